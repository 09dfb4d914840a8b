// Section `dockerfile`: the image of allowlist for linux/amd64 built with podman from the
// Dockerfile `build-static dockerfile` renders vs cargo-chef's documented Dockerfile (planner,
// cook, `COPY . .`, build: its README's pattern, with --target musl), both on the same
// muslrust-chef image and static base from a local registry, with the same rustflags (the chef
// image's plain static musl ones; allowlist brings its own mimalloc). Cold (--no-cache, fresh
// cache-mount ids), then the rebuild after a one-line edit of src/main.rs, which is what a team
// waits for on every push. Each image's binary is read with `build-static inspect`.
// Podman runs on a store of the bench's own (--root/--runroot under the work dir), removed at the
// end with the cache mounts it named, so nothing else's images or caches are touched.
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { startBenchRegistry } from '../registry.mjs';
import { alternate, cli, median, peersDir, repo, round, run, say } from './common.mjs';

const PROJECT = join(repo, 'examples', 'allowlist');
const BIN = 'allowlist';
const TRIPLE = 'x86_64-unknown-linux-musl';
// This machine's CA bundle over the image's during RUN steps (not baked in): crates.io may be
// behind a TLS-intercepting proxy only the host trusts (as bench/dockerfile.mjs does).
const HOST_CA = '/etc/ssl/certs/ca-certificates.crt';
const CACHE_MOUNTS = '/var/tmp/buildah-cache';
const TOOL_IDS = ['build-static', 'cargo-chef'];

// cargo-chef's README Dockerfile, musl target, on the chef image every Dockerfile here uses.
const chefDockerfile = (chef, base) => `FROM ${chef} AS chef
WORKDIR /app

FROM chef AS planner
COPY . .
RUN cargo chef prepare --recipe-path recipe.json

FROM chef AS builder
ENV CARGO_TARGET_X86_64_UNKNOWN_LINUX_MUSL_RUSTFLAGS="\${BUILD_STATIC_SYSTEM_RUSTFLAGS_X86_64_UNKNOWN_LINUX_MUSL}"
COPY --from=planner /app/recipe.json recipe.json
RUN cargo chef cook --release --target ${TRIPLE} --recipe-path recipe.json
COPY . .
RUN cargo build --release --target ${TRIPLE} --bin ${BIN}

FROM ${base}
COPY --from=builder /app/target/${TRIPLE}/release/${BIN} /usr/local/bin/${BIN}
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/${BIN}"]
`;

const copySources = (to) => cpSync(PROJECT, to, { recursive: true, filter: (src) => !['target', 'node_modules'].includes(basename(src)) });

export async function dockerfileSection({ runs }) {
  const nonce = `bench-peers-${process.pid}`;
  const work = join(peersDir, 'work', `dockerfile-${nonce}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  // podman refuses a runroot path over 50 characters: that one lives in a short temp dir.
  const runroot = mkdtempSync(join(tmpdir(), 'bs-peers-'));
  const store = ['--root', join(work, 'storage'), '--runroot', runroot];
  const podman = (...args) => ['podman', ...store, ...args];
  const registry = await startBenchRegistry(work);
  try {
    say('dockerfile: untimed: muslrust-chef and the static base into a local registry, pulled into the bench store');
    const chef = JSON.parse(
      run([process.execPath, join(repo, 'images/muslrust-chef/build.mjs'), '--registry', registry.host, '--org', 'bench-peers', '--json'])
        .stdout,
    ).ref;
    run([process.execPath, join(repo, 'images/static-base/build.mjs'), join(work, 'base')]);
    const base = `${registry.host}/chainguard/static:latest`;
    run(['skopeo', 'copy', '--all', '--quiet', '--dest-tls-verify=false', `oci:${join(work, 'base')}:latest`, `docker://${base}`]);
    for (const ref of [chef, base]) run(podman('pull', '--quiet', '--tls-verify=false', '--platform', 'linux/amd64', ref));
    const rendered = JSON.parse(
      run([process.execPath, cli, 'dockerfile', PROJECT, '--chef-image', chef, '--base', base, '--json']).stdout,
    ).dockerfile;
    if (!rendered.includes('id=build-static-'))
      throw new Error('the rendered Dockerfile has no build-static cache mounts to make fresh per run');
    const versions = {
      podman: run(['podman', '--version']).stdout.trim(),
      chefImage: chef,
      cargoChef:
        /cargo-chef \S+/.exec(run(podman('run', '--rm', chef, 'cargo', 'chef', '--version'), { allowFail: true }).stdout)?.[0] ?? 'unknown',
    };

    // One sample: a fresh copy of the sources, a cold build, the binary checked, a one-line edit, the rebuild.
    const sample = (tool, i) => {
      const src = join(work, `src-${tool}-${i}`);
      copySources(src);
      const file = join(work, `Dockerfile.${tool}-${i}`);
      writeFileSync(
        file,
        tool === 'build-static' ? rendered.replaceAll('id=build-static-', `id=${nonce}-r${i}-`) : chefDockerfile(chef, base),
      );
      const image = `localhost/${nonce}-${tool}:${i}`;
      const build = (cold) =>
        run(
          podman(
            'build',
            '--platform',
            'linux/amd64',
            '--build-arg',
            'BUILDPLATFORM=linux/amd64',
            '--tls-verify=false',
            '--volume',
            `${HOST_CA}:${HOST_CA}:ro`,
            ...(cold ? ['--no-cache'] : []),
            '-f',
            file,
            '-t',
            image,
            src,
          ),
          { timeout: 30 * 60_000 },
        );
      const compiled = (r) => (`${r.stdout}\n${r.stderr}`.match(/^\s*Compiling /gm) ?? []).length;
      try {
        const cold = build(true);
        const elf = inspectImage(podman, image, join(work, `bin-${tool}-${i}`));
        appendFileSync(join(src, 'src', 'main.rs'), `\n// bench/peers dockerfile: a one-line source edit (${i})\n`);
        const edit = build(false);
        const editCompiled = compiled(edit);
        if (editCompiled !== 1)
          throw new Error(
            `${tool}: the rebuild after the edit compiled ${editCompiled} crates, not allowlist alone: its dependency cache missed`,
          );
        return { cold: round(cold.seconds, 1), edit: round(edit.seconds, 1), coldCompiled: compiled(cold), editCompiled, elf };
      } finally {
        // Disk: this run's image, its now-dangling layers (the bench's store only) and cache mounts.
        rmSync(src, { recursive: true, force: true });
        run(podman('rmi', '--force', image), { allowFail: true });
        run(podman('image', 'prune', '--force'), { allowFail: true });
        removeCacheMounts(`${nonce}-r${i}-`);
      }
    };

    const contenders = TOOL_IDS.map((tool) => ({ id: tool, run: (i) => sample(tool, i) }));
    const samples = await alternate(runs, contenders, (line) => say(`dockerfile ${line}`));
    const tools = {};
    for (const [tool, s] of Object.entries(samples)) {
      tools[tool] = {
        cold: median(s.map((x) => x.cold)),
        edit: median(s.map((x) => x.edit)),
        samples: s.map(({ elf: _e, ...x }) => x),
        elf: s[0].elf,
      };
    }
    const [a, b] = TOOL_IDS.map((t) => tools[t]);
    const ratio = { cold: round(a.cold / b.cold), edit: round(a.edit / b.edit) };
    console.log(
      `dockerfile allowlist linux/amd64 (podman)  cold: build-static ${a.cold} s, cargo-chef ${b.cold} s (${ratio.cold}x)   edit rebuild: ${a.edit} s vs ${b.edit} s (${ratio.edit}x)`,
    );
    return {
      versions,
      project: 'examples/allowlist',
      platform: 'linux/amd64',
      engine: 'podman build (buildah), a store of its own',
      peerSetup:
        'cargo-chef README Dockerfile: planner (cargo chef prepare), builder (cargo chef cook --release --target x86_64-unknown-linux-musl, COPY . ., cargo build --release), runtime FROM the static base; same chef image and rustflags',
      tools,
      ratio,
    };
  } finally {
    registry.stop();
    run(podman('rmi', '--all', '--force'), { allowFail: true });
    removeCacheMounts(nonce);
    try {
      rmSync(runroot, { recursive: true, force: true });
      rmSync(work, { recursive: true, force: true });
    } catch (e) {
      say(`dockerfile: could not remove ${work} (${e.code}): a podman mount may remain; remove it by hand`);
    }
  }
}

// Buildah's cache mounts whose ids the bench made (they start with its nonce).
function removeCacheMounts(prefix) {
  const mounts = existsSync(CACHE_MOUNTS) ? readdirSync(CACHE_MOUNTS).filter((name) => name.startsWith(prefix)) : [];
  for (const name of mounts) rmSync(join(CACHE_MOUNTS, name), { recursive: true, force: true });
}

// The image's binary, copied out and read with build-static inspect: a fast image that is not
// static x86_64 cannot win.
function inspectImage(podman, image, dir) {
  mkdirSync(dir, { recursive: true });
  const id = run(podman('create', '--platform', 'linux/amd64', image)).stdout.trim();
  try {
    run(podman('cp', `${id}:/usr/local/bin/${BIN}`, join(dir, BIN)));
  } finally {
    run(podman('rm', id), { allowFail: true });
  }
  const [r] = JSON.parse(run([process.execPath, cli, 'inspect', join(dir, BIN), '--json']).stdout);
  if (r.machine !== 'x86_64' || !/^static/.test(r.linkage))
    throw new Error(`${image}: ${BIN} is ${r.linkage} ${r.machine}, not static x86_64`);
  return { machine: r.machine, linkage: r.linkage, allocator: r.allocator, size: statSync(join(dir, BIN)).size };
}
