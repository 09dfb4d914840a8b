// Section `build`: both platforms, static musl, build-static vs cargo-zigbuild on one crate —
// cold (a fresh copy of the source, no target dir; global caches warm) and after a one-line edit
// of the binary's main file (the second build). Every output is read with `build-static
// inspect` (static? allocator?) so a fast but wrong build cannot win.
import { appendFileSync, cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { crateSource } from '../real-world/fetch.mjs';
import { baseEnv, benchCache, cli, ownSession, peersDir, repo, round, run } from './common.mjs';
import { zigEnv } from './install.mjs';

const TRIPLES = { 'linux/amd64': 'x86_64-unknown-linux-musl', 'linux/arm64': 'aarch64-unknown-linux-musl' };
const PLATFORMS = Object.keys(TRIPLES);
// The crates: the example, one with heavy C (tikv-jemalloc-sys runs configure + make) and one
// large pure-Rust one, with the pins of bench/real-world/corpus.json. fd-find's jemalloc is not a
// default feature: `use-jemalloc` turns it on (its own #[global_allocator], kept by both tools).
const corpus = JSON.parse(readFileSync(join(repo, 'bench/real-world/corpus.json'), 'utf8')).crates;
const pinned = (name) => {
  const c = corpus.find((k) => k.name === name && !k.label);
  if (!c) throw new Error(`bench/peers: ${name} is not in bench/real-world/corpus.json`);
  return { id: name, bin: c.bin, name, version: c.version, sha256: c.sha256 };
};
export const CRATES = [{ id: 'allowlist', bin: 'allowlist', local: 'examples/allowlist' }, pinned('fd-find'), pinned('ripgrep')];

// A fresh copy of the crate's source under the bench's work dir (never a target dir).
async function freshCopy(c, tag) {
  const into = join(peersDir, 'work', `${c.id}-${tag}`);
  rmSync(into, { recursive: true, force: true });
  mkdirSync(into, { recursive: true });
  if (c.local) {
    const dir = join(into, c.id);
    cpSync(join(repo, c.local), dir, { recursive: true, filter: (src) => !['target', 'node_modules'].includes(basename(src)) });
    return dir;
  }
  return crateSource(c, join(benchCache, 'real-world'), into);
}

// The file holding the binary's main, where the one-line edit goes.
function mainFile(dir, bin) {
  const meta = JSON.parse(
    run(['cargo', 'metadata', '--no-deps', '--format-version', '1', '--offline'], { cwd: dir, allowFail: true }).stdout || '{}',
  );
  const target = meta.packages?.flatMap((p) => p.targets).find((t) => t.kind.includes('bin') && t.name === bin);
  return target?.src_path ?? join(dir, 'src', 'main.rs');
}

// Linkage and allocator of each platform's binary, by the ELF.
function inspect(files) {
  const report = JSON.parse(run([process.execPath, cli, 'inspect', ...files, '--json']).stdout);
  return report.map((r, i) => ({ platform: PLATFORMS[i], machine: r.machine, linkage: r.linkage, allocator: r.allocator }));
}

const features = (c) => (c.features ? ['--features', c.features.join(',')] : []);

const TOOLS = {
  'build-static': {
    build: (dir, c) =>
      run([
        process.execPath,
        cli,
        'build',
        dir,
        '--bin',
        c.bin,
        ...features(c),
        '--platform',
        PLATFORMS.join(','),
        '--out',
        join(dir, 'bs-out'),
        '--json',
      ]),
    outputs: (dir, c) => PLATFORMS.map((p) => join(dir, 'bs-out', p.replace('/', '-'), c.bin)),
  },
  'cargo-zigbuild': {
    build: (dir, c) =>
      run(
        ownSession([
          'cargo',
          'zigbuild',
          '--release',
          '--locked',
          '--bin',
          c.bin,
          ...features(c),
          ...PLATFORMS.flatMap((p) => ['--target', TRIPLES[p]]),
        ]),
        {
          cwd: dir,
          env: zigEnv(),
        },
      ),
    outputs: (dir, c) => PLATFORMS.map((p) => join(dir, 'target', TRIPLES[p], 'release', c.bin)),
  },
};
export const TOOL_IDS = Object.keys(TOOLS);

// One sample for one tool: cold build, then the build after a one-line edit; outputs checked.
export async function buildSample(c, tool, tag) {
  const dir = await freshCopy(c, `${tool}-${tag}`);
  const t = TOOLS[tool];
  try {
    const cold = t.build(dir, c).seconds;
    const elf = inspect(t.outputs(dir, c));
    appendFileSync(mainFile(dir, c.bin), `\n// bench/peers: a one-line source edit (${tag})\n`);
    const edit = t.build(dir, c).seconds;
    return { cold: round(cold, 1), edit: round(edit, 1), elf };
  } finally {
    rmSync(join(dir, '..'), { recursive: true, force: true });
  }
}

// Untimed: fills cargo's registry for the crate (both tools share ~/.cargo) so no run downloads.
export async function fetchDependencies(c) {
  const dir = await freshCopy(c, 'fetch');
  try {
    run(['cargo', 'fetch', '--locked'], { cwd: dir, env: baseEnv });
  } finally {
    rmSync(join(dir, '..'), { recursive: true, force: true });
  }
}
