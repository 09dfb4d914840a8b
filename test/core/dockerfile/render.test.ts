import { describe, expect, test } from 'vitest';
import type { BinaryTarget } from '../../../scripts/src/core/cargo/binaries.ts';
import { cargoSelection, cargoSelectionArgs, type PlanInput } from '../../../scripts/src/core/build/plan.ts';
import { resolveConfig } from '../../../scripts/src/core/config.ts';
import { entrypointOf } from '../../../scripts/src/core/dockerfile/entrypoint.ts';
import { type DockerfileInput, dockerString, renderDockerfile, renderDockerignore } from '../../../scripts/src/core/dockerfile/render.ts';
import { parsePlatform } from '../../../scripts/src/core/platform.ts';
import { isBuildStaticError } from '../../../scripts/src/errors.ts';

const bin = (name: string, pkg = 'app', requiredFeatures: string[] = []): BinaryTarget => ({
  package: pkg,
  name,
  manifestPath: `/src/${pkg}/Cargo.toml`,
  requiredFeatures,
  version: '1.2.3',
  repository: 'https://example.invalid/app',
  description: 'An "app" that costs $5',
});

function input(layer: Parameters<typeof resolveConfig>[0][number] = {}, binaries = [bin('app')], lockfile = true): DockerfileInput {
  return { config: resolveConfig([layer]), binaries, lockfile };
}

// The command of the RUN instruction that contains `needle`, with line continuations joined.
function runLine(dockerfile: string, needle: string): string {
  const instructions = dockerfile.replace(/ \\\n\s*/g, ' ').split('\n');
  const line = instructions.find((l) => l.startsWith('RUN ') && l.includes(needle));
  if (!line) throw new Error(`no RUN with ${needle} in:\n${dockerfile}`);
  return line.replace(/^RUN (--mount=\S+ )*/, '');
}

describe('cook and build take the same selection', () => {
  test.each([
    ['defaults', {}, [bin('app')], true, '--profile release --package app --bin app --locked'],
    ['features', { features: ['metrics', 'tls'] }, [bin('app')], true, '--profile release --package app --bin app --features metrics,tls --locked'],
    ['no-default-features', { noDefaultFeatures: true }, [bin('app')], true, '--profile release --package app --bin app --no-default-features --locked'],
    ['custom profile', { profile: 'dist' }, [bin('app')], true, '--profile dist --package app --bin app --locked'],
    ['no Cargo.lock', {}, [bin('app')], false, '--profile release --package app --bin app'],
    ['several bins', {}, [bin('app'), bin('worker')], true, '--profile release --package app --bin app --package app --bin worker --locked'],
    ['required-features', { features: ['x'] }, [bin('app'), bin('app-cli', 'app', ['cli'])], true, '--profile release --package app --bin app --package app --bin app-cli --features x,app/cli --locked'],
  ] as const)('%s', (_name, layer, binaries, lockfile, expected) => {
    const text = renderDockerfile(input(layer, [...binaries], lockfile));
    expect(runLine(text, 'cargo chef cook')).toBe(`cargo chef cook --recipe-path recipe.json --target "$(target-triple)" ${expected}`);
    expect(runLine(text, 'cargo build')).toMatch(new RegExp(`^cargo build --target "\\$\\(target-triple\\)" ${expected.replace(/[$()]/g, '\\$&')} && get-executable `));
    // The native plan's argv holds the very same flags: one source of truth.
    const native = cargoSelectionArgs({ ...input(layer, [...binaries], lockfile), manifestPath: '/m' } as unknown as PlanInput, { platform: parsePlatform('linux/amd64'), rust: { std: 'prebuilt' } } as never);
    expect(native.join(' ')).toBe(`--manifest-path /m --target x86_64-unknown-linux-musl ${expected}`);
    expect(cargoSelection(input(layer, [...binaries], lockfile)).join(' ')).toBe(expected);
  });

  test('every binary is verified into /out and copied with owner 65532 and mode 0555', () => {
    const text = renderDockerfile(input({ profile: 'dist' }, [bin('app'), bin('worker')]));
    expect(runLine(text, 'cargo build')).toContain('&& get-executable app /out/app --profile dist && get-executable worker /out/worker --profile dist');
    expect(text).toContain('COPY --from=builder --chown=65532:65532 --chmod=0555 /out/app /usr/local/bin/app\n');
    expect(text).toContain('COPY --from=builder --chown=65532:65532 --chmod=0555 /out/worker /usr/local/bin/worker\n');
    expect(text).toContain('USER 65532:65532\nENTRYPOINT ["/usr/local/bin/app"]\n');
  });
});

describe('stages', () => {
  test('compiling stages run on $BUILDPLATFORM, the final one on $TARGETPLATFORM; no syntax line, no heredoc', () => {
    const text = renderDockerfile(input());
    const froms = text.split('\n').filter((l) => l.startsWith('FROM '));
    expect(froms).toEqual([
      'FROM --platform=$BUILDPLATFORM ${MUSLRUST_CHEF_ORG}/muslrust-chef:${MUSLRUST_CHEF_TAG} AS chef',
      'FROM chef AS planner',
      'FROM chef AS builder',
      'FROM --platform=$TARGETPLATFORM ${BASE_IMAGE}',
    ]);
    expect(text).not.toMatch(/^# *syntax=/m);
    expect(text.split('\n')[0]).toBe('# check=skip=RedundantTargetPlatform');
    expect(text).not.toContain('<<');
  });

  test('cache mounts: a target dir per project and platform, then the registry, shared and locked', () => {
    const text = renderDockerfile(input());
    const mounts = [...new Set(text.match(/--mount=\S+/g))];
    expect(mounts).toEqual([
      '--mount=type=cache,id=build-static-target-app-${TARGETPLATFORM},target=/app/target,sharing=shared',
      '--mount=type=cache,id=build-static-cargo-registry,target=/usr/local/cargo/registry,sharing=locked',
    ]);
    // buildah 1.28 releases only the last mount's lock of a RUN: one locked mount, and last.
    for (const run of text.replace(/ \\\n\s*/g, ' ').split('\n').filter((l) => l.startsWith('RUN --mount'))) {
      const options = run.match(/--mount=\S+/g)!;
      expect(options.filter((m) => m.includes('sharing=locked'))).toEqual([options.at(-1)]);
    }
    expect(text.match(/--mount=/g)).toHaveLength(4);
  });

  test('the builder stage has a platform-keyed layer before the recipe COPY (buildah cache chains)', () => {
    const text = renderDockerfile(input());
    const builder = text.slice(text.indexOf('FROM chef AS builder')).replace(/ \\\n\s*/g, ' ').split('\n').filter((l) => /^(RUN|COPY) /.test(l));
    // buildah keys COPY by content only: the first layer step must name $TARGETPLATFORM, so the
    // platforms' chains never join and each finds its own cook layer.
    expect(builder[0]).toMatch(/^RUN .*\$TARGETPLATFORM/);
    expect(builder[1]).toBe('COPY --from=planner /app/recipe.json recipe.json');
    expect(builder[2]).toMatch(/cargo chef cook/);
  });

  test('cargoCache layer: no cache mounts at all, so cook\'s compiled dependencies stay in its layer', () => {
    const mount = renderDockerfile(input());
    const layer = renderDockerfile(input(), { cargoCache: 'layer' });
    expect(layer).not.toContain('--mount=');
    expect(runLine(layer, 'cargo chef cook')).toBe(runLine(mount, 'cargo chef cook'));
    expect(runLine(layer, 'cargo build')).toBe(runLine(mount, 'cargo build'));
    expect(layer).toMatch(/^RUN cargo chef cook /m);
    expect(layer).toContain('# Dependencies only, compiled into this layer (no cache mounts): a registry cache carries it.');
    expect(renderDockerfile(input(), { cargoCache: 'mount' })).toBe(mount);
  });

  test('prepare is trimmed with --bin only when the user chose one', () => {
    expect(renderDockerfile(input())).toContain('RUN cargo chef prepare --recipe-path recipe.json\n');
    expect(renderDockerfile({ ...input(), prepareBin: 'app' })).toContain('RUN cargo chef prepare --recipe-path recipe.json --bin app\n');
  });

  test('ARG defaults come from the caller; labels are escaped and the base name is the build arg', () => {
    const text = renderDockerfile(input(), { chefOrg: '127.0.0.1:5000/org', chefTag: 'v1', base: '127.0.0.1:5000/static:latest' });
    expect(text).toContain('ARG MUSLRUST_CHEF_ORG=127.0.0.1:5000/org\nARG MUSLRUST_CHEF_TAG=v1\nARG BASE_IMAGE=127.0.0.1:5000/static:latest\n');
    expect(text).toMatchInlineSnapshot(`
      "# check=skip=RedundantTargetPlatform
      # Generated by \`build-static dockerfile\`; render it again when Cargo.toml's binaries, features or
      # settings change. Every compiling stage runs on the build machine ($BUILDPLATFORM) and
      # cross-compiles for $TARGETPLATFORM: no QEMU. Build both platforms with BuildKit:
      #   docker buildx build --platform linux/amd64,linux/arm64 --tag REF --push .
      # or with podman (buildah needs BUILDPLATFORM spelled out):
      #   podman build --platform linux/amd64,linux/arm64 --manifest REF --build-arg BUILDPLATFORM=linux/amd64 .
      # Build args: MUSLRUST_CHEF_ORG and MUSLRUST_CHEF_TAG pick <org>/muslrust-chef:<tag>, BASE_IMAGE the run image.
      ARG MUSLRUST_CHEF_ORG=127.0.0.1:5000/org
      ARG MUSLRUST_CHEF_TAG=v1
      ARG BASE_IMAGE=127.0.0.1:5000/static:latest

      FROM --platform=$BUILDPLATFORM \${MUSLRUST_CHEF_ORG}/muslrust-chef:\${MUSLRUST_CHEF_TAG} AS chef
      WORKDIR /app

      FROM chef AS planner
      COPY . .
      RUN cargo chef prepare --recipe-path recipe.json

      FROM chef AS builder
      ARG TARGETPLATFORM
      # C's __DATE__/__TIME__ (mimalloc prints them) from SOURCE_DATE_EPOCH, not the clock: same bytes.
      ARG SOURCE_DATE_EPOCH=0
      ENV CARGO_TARGET_DIR=/app/target
      # A layer of its own per platform before the recipe: buildah (podman) keys a COPY layer by content
      # alone, so without it both platforms could share the recipe layer and then miss the cook cache.
      # It also stops a chef image older than its link-time mimalloc (no BUILD_STATIC_SYSTEM_RUSTFLAGS_*).
      RUN test -n "\${BUILD_STATIC_SYSTEM_RUSTFLAGS_X86_64_UNKNOWN_LINUX_MUSL:-}" \\
       || { echo "build-static: this muslrust-chef image predates its link-time mimalloc: rebuild it with images/muslrust-chef/build.mjs or pick a newer tag (--build-arg MUSLRUST_CHEF_TAG=...)" >&2; exit 1; } \\
       && echo "cross-compiling for $TARGETPLATFORM: $(target-triple)"
      COPY --from=planner /app/recipe.json recipe.json
      # Dependencies only: this layer stays cached until Cargo.toml or Cargo.lock change.
      RUN --mount=type=cache,id=build-static-target-app-\${TARGETPLATFORM},target=/app/target,sharing=shared \\
          --mount=type=cache,id=build-static-cargo-registry,target=/usr/local/cargo/registry,sharing=locked \\
          cargo chef cook --recipe-path recipe.json --target "$(target-triple)" --profile release --package app --bin app --locked
      COPY . .
      # The same flags as the cook above, so only the workspace's own crates compile here.
      RUN --mount=type=cache,id=build-static-target-app-\${TARGETPLATFORM},target=/app/target,sharing=shared \\
          --mount=type=cache,id=build-static-cargo-registry,target=/usr/local/cargo/registry,sharing=locked \\
          cargo build --target "$(target-triple)" --profile release --package app --bin app --locked \\
       && get-executable app /out/app --profile release

      FROM --platform=$TARGETPLATFORM \${BASE_IMAGE}
      ARG BASE_IMAGE
      LABEL org.opencontainers.image.base.name="\${BASE_IMAGE}" \\
            org.opencontainers.image.description="An \\"app\\" that costs \\$5" \\
            org.opencontainers.image.source="https://example.invalid/app" \\
            org.opencontainers.image.title="app" \\
            org.opencontainers.image.version="1.2.3"
      COPY --from=builder --chown=65532:65532 --chmod=0555 /out/app /usr/local/bin/app
      USER 65532:65532
      ENTRYPOINT ["/usr/local/bin/app"]
      "
    `);
  });

  test('feature names are shell-quoted in RUN lines when they need it', () => {
    expect(runLine(renderDockerfile(input({ features: ['a b'] })), 'cargo build')).toContain('--features a,b --locked');
    expect(runLine(renderDockerfile(input({ features: ['x$y'] })), 'cargo build')).toContain("--features 'x$y'");
  });
});

describe('entrypoint', () => {
  test.each([
    ['one binary', [bin('server', 'svc')], 'server'],
    ['several from one package: the one named like it', [bin('tool', 'app'), bin('app', 'app'), bin('other', 'app')], 'app'],
  ])('%s', (_name, binaries, expected) => {
    expect(entrypointOf(binaries).name).toBe(expected);
  });

  test.each([
    ['several packages', [bin('api', 'api'), bin('worker', 'worker')], /come from several packages: pass --bin with one of them/],
    ['none named like the package', [bin('a', 'tools'), bin('b', 'tools')], /package tools, none named like it/],
  ])('%s is ambiguous: USAGE naming the binaries', (_name, binaries, message) => {
    const error = (() => {
      try {
        entrypointOf(binaries);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(isBuildStaticError(error) && error.code).toBe('USAGE');
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain(binaries.map((b) => b.name).join(', '));
  });
});

describe('helpers', () => {
  test('dockerString escapes backslash, quote and $ and folds newlines', () => {
    expect(dockerString('a "b" \\ $HOME\n  next')).toBe('"a \\"b\\" \\\\ \\$HOME next"');
  });

  test('.dockerignore leaves out git history and every target dir once', () => {
    expect(renderDockerignore()).toBe('# Generated by `build-static dockerfile`: the build context is the sources only.\n.git\ntarget\n');
    expect(renderDockerignore(['target', 'build/out', 'target'])).toBe('# Generated by `build-static dockerfile`: the build context is the sources only.\n.git\ntarget\nbuild/out\n');
  });
});
