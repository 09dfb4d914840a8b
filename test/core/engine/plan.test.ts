import { describe, expect, test } from 'vitest';
import { type EngineFlags, engineRequest, type EngineRequest } from '../../../scripts/src/core/engine/options.ts';
import { archTag, type EnginePlanInput, planEngine } from '../../../scripts/src/core/engine/plan.ts';
import { parsePlatform, parsePlatforms } from '../../../scripts/src/core/platform.ts';
import { isBuildStaticError } from '../../../scripts/src/errors.ts';

function input(flags: EngineFlags, overrides: Partial<EnginePlanInput> = {}): EnginePlanInput {
  return {
    request: engineRequest(flags) as EngineRequest,
    platforms: parsePlatforms(['linux/amd64', 'linux/arm64']),
    hostPlatform: parsePlatform('linux/amd64'),
    contextDir: '/src/app',
    dockerfile: '/tmp/bs-engine/Dockerfile',
    ignorefile: '/tmp/bs-engine/Dockerfile.dockerignore',
    workDir: '/tmp/bs-engine',
    tag: flags.tag ?? 'localhost/app:latest',
    labels: { 'org.opencontainers.image.revision': '0123abc' },
    ...overrides,
  };
}

const argvs = (i: EnginePlanInput) => planEngine(i).steps.map((s) => s.argv.join(' '));

describe('buildx', () => {
  test('one multi-platform build on a named builder, registry cache, push', () => {
    const plan = planEngine(input({ engine: 'buildx', builder: 'remote-bk', tag: 'registry.example/app:1', push: true, cacheRef: 'registry.example/app:cache', chefImage: 'registry.example/acme/muslrust-chef:v1' }));
    expect(plan.steps).toHaveLength(1);
    expect(plan.steps[0]!.argv).toMatchInlineSnapshot(`
      [
        "docker",
        "buildx",
        "build",
        "--progress=plain",
        "--builder",
        "remote-bk",
        "--platform",
        "linux/amd64,linux/arm64",
        "-f",
        "/tmp/bs-engine/Dockerfile",
        "--build-arg",
        "MUSLRUST_CHEF_ORG=registry.example/acme",
        "--build-arg",
        "MUSLRUST_CHEF_TAG=v1",
        "--label",
        "org.opencontainers.image.revision=0123abc",
        "--cache-from",
        "type=registry,ref=registry.example/app:cache",
        "--cache-to",
        "type=registry,ref=registry.example/app:cache,mode=max",
        "--tag",
        "registry.example/app:1",
        "--push",
        "--metadata-file",
        "/tmp/bs-engine/metadata.json",
        "/src/app",
      ]
    `);
    expect(plan.images).toEqual(['registry.example/app:1']);
    expect(plan.digestFile).toBe('/tmp/bs-engine/metadata.json');
  });

  test('plain-HTTP registries (loopback or --insecure-registry) are marked insecure for push and cache', () => {
    const local = argvs(input({ engine: 'buildx', tag: '127.0.0.1:5000/app:1', push: true, cacheRef: '127.0.0.1:5000/app:cache' }))[0]!;
    expect(local).toContain('--output type=image,name=127.0.0.1:5000/app:1,push=true,registry.insecure=true');
    expect(local).not.toContain(' --push');
    expect(local).toContain('--cache-to type=registry,ref=127.0.0.1:5000/app:cache,mode=max,registry.insecure=true');
    const listed = argvs(input({ engine: 'buildx', tag: 'reg.lan:5000/app:1', push: true, insecureRegistries: ['reg.lan:5000'] }))[0]!;
    expect(listed).toContain('registry.insecure=true');
    expect(argvs(input({ engine: 'buildx', tag: 'reg.lan:5000/app:1', push: true }))[0]).toContain(' --push ');
  });

  test('--load, user build args after ours (last wins), SOURCE_DATE_EPOCH passed as a build arg', () => {
    const line = argvs(input({ engine: 'buildx', load: true, buildArgs: ['BASE_IMAGE=mine/static:1', 'X=a=b'], base: 'other/static:2' }, { sourceDateEpoch: 1700000000 }))[0]!;
    expect(line).toContain('--build-arg BASE_IMAGE=mine/static:1 --build-arg X=a=b');
    expect(line).not.toContain('other/static:2');
    expect(line).toContain('--build-arg SOURCE_DATE_EPOCH=1700000000');
    expect(line).toMatch(/ --load --metadata-file /);
  });

  test('--sbom asks BuildKit for an SBOM attestation (--sbom=true); off by default; other engines refuse it', () => {
    expect(argvs(input({ engine: 'buildx', tag: 'reg.lan:5000/app:1', push: true, sbom: true }))[0]).toContain(' --tag reg.lan:5000/app:1 --sbom=true --push ');
    expect(argvs(input({ engine: 'buildx', tag: 'reg.lan:5000/app:1', push: true }))[0]).not.toContain('--sbom');
    expect(() => engineRequest({ engine: 'podman', sbom: true })).toThrow('--sbom asks BuildKit for SBOM attestations, which needs --engine buildx');
    expect(() => engineRequest({ sbom: true })).toThrow('--sbom needs --engine buildx|docker|podman');
  });
});

describe('docker engine', () => {
  test('one build per platform with DOCKER_BUILDKIT=1, tags suffixed per arch, then pushes', () => {
    const plan = planEngine(input({ engine: 'docker', tag: 'registry.example/app:1', push: true }));
    expect(plan.images).toEqual(['registry.example/app:1-amd64', 'registry.example/app:1-arm64']);
    expect(plan.steps.map((s) => s.env)).toEqual(Array(4).fill({ DOCKER_BUILDKIT: '1' }));
    expect(argvs(input({ engine: 'docker', tag: 'registry.example/app:1', push: true }))).toEqual([
      'docker build --progress=plain --platform linux/amd64 -f /tmp/bs-engine/Dockerfile --label org.opencontainers.image.revision=0123abc --tag registry.example/app:1-amd64 /src/app',
      'docker build --progress=plain --platform linux/arm64 -f /tmp/bs-engine/Dockerfile --label org.opencontainers.image.revision=0123abc --tag registry.example/app:1-arm64 /src/app',
      'docker push registry.example/app:1-amd64',
      'docker push registry.example/app:1-arm64',
    ]);
    expect(plan.index).toEqual({ tag: 'registry.example/app:1', sources: ['registry.example/app:1-amd64', 'registry.example/app:1-arm64'] });
  });

  test('a single platform keeps the tag as given; without --push no index is written', () => {
    const plan = planEngine(input({ engine: 'docker', tag: 'app:1', push: true }, { platforms: parsePlatforms(['linux/arm64']) }));
    expect(plan.images).toEqual(['app:1']);
    expect(plan.steps).toHaveLength(2);
    expect(plan.index).toBeUndefined();
    expect(planEngine(input({ engine: 'docker', tag: 'app:1' })).index).toBeUndefined();
  });

  test.each([
    ['registry.example/app:1', 'linux/arm64', 'registry.example/app:1-arm64'],
    ['127.0.0.1:5000/team/app', 'linux/amd64', '127.0.0.1:5000/team/app:latest-amd64'],
    ['app', 'linux/arm64', 'app:latest-arm64'],
  ])('archTag(%s, %s) = %s', (tag, platform, expected) => {
    expect(archTag(tag, parsePlatform(platform))).toBe(expected);
  });
});

describe('podman', () => {
  test('stale list removed (failure allowed), one --manifest build with BUILDPLATFORM, then push --all', () => {
    const plan = planEngine(input({ engine: 'podman', tag: '127.0.0.1:5000/app:1', push: true }, { sourceDateEpoch: 0 }));
    expect(plan.steps.map((s) => s.allowFailure === true)).toEqual([true, false, false]);
    expect(plan.steps.map((s) => s.argv.join(' '))).toEqual([
      'podman rmi --ignore 127.0.0.1:5000/app:1',
      'podman build --platform linux/amd64,linux/arm64 --manifest 127.0.0.1:5000/app:1 --build-arg BUILDPLATFORM=linux/amd64 -f /tmp/bs-engine/Dockerfile --label org.opencontainers.image.revision=0123abc --tls-verify=false --timestamp 0 --ignorefile /tmp/bs-engine/Dockerfile.dockerignore /src/app',
      'podman manifest push --all --tls-verify=false --digestfile /tmp/bs-engine/digest 127.0.0.1:5000/app:1 docker://127.0.0.1:5000/app:1',
    ]);
  });

  test('TLS is verified unless a registry involved is loopback or listed insecure', () => {
    expect(argvs(input({ engine: 'podman', tag: 'registry.example/app:1', push: true })).join('\n')).not.toContain('--tls-verify=false');
    expect(argvs(input({ engine: 'podman', chefImage: '127.0.0.1:5000/build-static/muslrust-chef:1' }))[1]).toContain('--tls-verify=false');
    expect(argvs(input({ engine: 'podman', base: 'reg.lan/static:1', insecureRegistries: ['reg.lan'] }))[1]).toContain('--tls-verify=false');
    expect(argvs(input({ engine: 'podman', buildArgs: ['BASE_IMAGE=localhost:5000/static'] }))[1]).toContain('--tls-verify=false');
  });

  test('an arm64 host passes its own BUILDPLATFORM; no --ignorefile when the context has a .dockerignore', () => {
    const line = argvs(input({ engine: 'podman' }, { hostPlatform: parsePlatform('linux/arm64'), ignorefile: undefined }))[1]!;
    expect(line).toContain('--build-arg BUILDPLATFORM=linux/arm64');
    expect(line).not.toContain('--ignorefile');
    expect(planEngine(input({ engine: 'podman' })).digestFile).toBeUndefined();
  });
});

describe('engine flags', () => {
  test('native (the default) returns no request', () => {
    expect(engineRequest({})).toBeUndefined();
    expect(engineRequest({ engine: 'native', push: false, buildArgs: [] })).toBeUndefined();
  });

  test.each([
    [{ engine: 'kaniko' }, 'unknown engine "kaniko": use one of native, buildx, docker, podman'],
    [{ tag: 'app:1' }, '--tag needs --engine buildx|docker|podman'],
    [{ buildArgs: ['A=1'] }, '--build-arg needs --engine buildx|docker|podman'],
    [{ engine: 'podman', builder: 'bk' }, '--builder picks a docker buildx builder: it needs --engine buildx, not podman'],
    [{ engine: 'docker', cacheRef: 'r/c:1' }, '--cache-ref exports the build cache to a registry, which needs --engine buildx'],
    [{ engine: 'docker', insecureRegistries: ['h'] }, '--insecure-registry cannot be passed to a Docker engine build'],
    [{ engine: 'buildx', push: true }, '--push needs --tag'],
    [{ engine: 'buildx', tag: 'Bad/Name' }, 'invalid image reference "Bad/Name"'],
    [{ engine: 'buildx', tag: `app@sha256:${'a'.repeat(64)}` }, '--tag names the image to write: leave out the @sha256 digest'],
    [{ engine: 'buildx', buildArgs: ['NOVALUE'] }, '--build-arg must be NAME=VALUE, got "NOVALUE"'],
    [{ engine: 'buildx', chefImage: 'acme/rust:1' }, '--chef-image must be ORG/muslrust-chef[:TAG]'],
    [{ engine: 'podman', base: 'oci-layout:/tmp/base' }, 'a Dockerfile build needs a registry reference'],
    [{ engineArgs: ['--network=host'] }, '--engine-arg needs --engine buildx|docker|podman'],
    [{ cargoCache: 'layer' }, '--cargo-cache needs --engine buildx|docker|podman'],
    [{ engine: 'podman', cargoCache: 'disk' }, '--cargo-cache must be mount or layer, got "disk"'],
    [{ engine: 'docker', engineArgs: ['host'] }, '--engine-arg "host" is not an option of the engine\'s build command'],
  ] as const)('%j is refused', (flags, message) => {
    let error: unknown;
    try {
      engineRequest(flags);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(message);
    expect(isBuildStaticError(error) ? error.code : (error as { code?: string }).code).toMatch(/^(USAGE|REFERENCE_INVALID)$/);
  });

  test.each(['buildx', 'docker', 'podman'] as const)('%s: --engine-arg goes, as given, into every build command and nowhere else', (engine) => {
    const plan = planEngine(input({ engine, tag: '127.0.0.1:5000/app:1', push: true, engineArgs: ['--network=host', '--secret=id=npm,src=/tmp/npmrc'] }));
    const builds = plan.steps.filter((s) => s.argv.includes('build'));
    expect(builds.length).toBe(engine === 'docker' ? 2 : 1);
    for (const step of builds) {
      const at = step.argv.indexOf('--network=host');
      expect(step.argv.slice(at, at + 2)).toEqual(['--network=host', '--secret=id=npm,src=/tmp/npmrc']);
      expect(step.argv.at(-1)).toBe('/src/app');
    }
    for (const step of plan.steps.filter((s) => !s.argv.includes('build'))) expect(step.argv).not.toContain('--network=host');
  });

  test.each([
    [{ engine: 'buildx' }, 'mount'],
    [{ engine: 'buildx', cacheRef: 'r.example/app:cache' }, 'layer'],
    [{ engine: 'buildx', cacheRef: 'r.example/app:cache', cargoCache: 'mount' }, 'mount'],
    [{ engine: 'podman', cargoCache: 'layer' }, 'layer'],
  ] as const)('%j keeps cargo\'s files in: %s', (flags, expected) => {
    expect(engineRequest(flags)?.cargoCache).toBe(expected);
  });

  test('--chef-image splits into org (with registry) and tag; the tag defaults to latest', () => {
    expect(engineRequest({ engine: 'buildx', chefImage: '127.0.0.1:5000/build-static/muslrust-chef:v2' })?.chef).toEqual({ org: '127.0.0.1:5000/build-static', tag: 'v2' });
    expect(engineRequest({ engine: 'buildx', chefImage: 'acme/muslrust-chef' })?.chef).toEqual({ org: 'acme', tag: 'latest' });
  });
});
