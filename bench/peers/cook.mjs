// Section `cook`: dependency caching the way a Dockerfile does it, on allowlist, both platforms,
// cold (fresh stage, no target dir): recipe from the project, dependencies compiled in a stage
// holding only the recipe, then the sources copied in and the final build (only the crate itself
// compiles). build-static `plan` + `cook` + `build` vs `cargo chef prepare` + `cargo chef cook
// --zigbuild` + `cargo zigbuild` (cargo-chef has no linker setup of its own: --zigbuild gives it
// the same static musl cross toolchain as the build section's peer).
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { alternate, cli, median, ownSession, peersDir, repo, round, run, say } from './common.mjs';
import { cargoChefVersion, ensureZigbuild, zigEnv } from './install.mjs';

const PROJECT = join(repo, 'examples', 'allowlist');
const PLATFORMS = 'linux/amd64,linux/arm64';
const TARGETS = ['--target', 'x86_64-unknown-linux-musl', '--target', 'aarch64-unknown-linux-musl'];
const PHASES = ['recipe', 'cook', 'build'];

const copySources = (to) => cpSync(PROJECT, to, { recursive: true, filter: (src) => !['target', 'node_modules'].includes(basename(src)) });

const PIPELINES = {
  'build-static': (src, stage) => ({
    recipe: () => run([process.execPath, cli, 'plan', src, '-o', join(stage, 'recipe.json')]),
    cook: () => run([process.execPath, cli, 'cook', stage, '--recipe', join(stage, 'recipe.json'), '--platform', PLATFORMS]),
    build: () => run([process.execPath, cli, 'build', stage, '--platform', PLATFORMS, '--out', join(stage, 'bs-out')]),
  }),
  'cargo-chef': (src, stage) => ({
    recipe: () => run(ownSession(['cargo', 'chef', 'prepare', '--recipe-path', join(stage, 'recipe.json')]), { cwd: src }),
    cook: () =>
      run(ownSession(['cargo', 'chef', 'cook', '--release', '--locked', '--zigbuild', ...TARGETS, '--recipe-path', 'recipe.json']), {
        cwd: stage,
        env: zigEnv(),
      }),
    build: () => run(ownSession(['cargo', 'zigbuild', '--release', '--locked', ...TARGETS]), { cwd: stage, env: zigEnv() }),
  }),
};

// One cold pass of a pipeline: each phase's seconds, and the total.
function cookSample(tool, tag) {
  const work = join(peersDir, 'work', `cook-${tool}-${tag}`);
  rmSync(work, { recursive: true, force: true });
  const src = join(work, 'src');
  const stage = join(work, 'stage');
  copySources(src);
  mkdirSync(stage, { recursive: true });
  try {
    const phases = PIPELINES[tool](src, stage);
    const sample = {};
    for (const phase of PHASES) {
      if (phase === 'build') copySources(stage); // the Dockerfile's `COPY . .` after the cooked layer
      sample[phase] = round(phases[phase]().seconds, 1);
    }
    sample.total = round(
      PHASES.reduce((sum, p) => sum + sample[p], 0),
      1,
    );
    return sample;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export async function cookSection({ runs, warmup }) {
  const versions = { ...ensureZigbuild(), cargoChef: cargoChefVersion() };
  say('cook: warm-up (untimed): one pass of each pipeline');
  if (warmup) for (const tool of Object.keys(PIPELINES)) cookSample(tool, 'warmup');
  const contenders = Object.keys(PIPELINES).map((tool) => ({ id: tool, run: (i) => cookSample(tool, `run${i}`) }));
  const samples = await alternate(runs, contenders, (line) => say(`cook ${line}`));
  const tools = {};
  for (const [tool, s] of Object.entries(samples)) {
    tools[tool] = { ...Object.fromEntries([...PHASES, 'total'].map((p) => [p, median(s.map((x) => x[p]))])), samples: s };
  }
  const [a, b] = Object.values(tools);
  const ratio = {
    recipe: round(a.recipe / b.recipe),
    cook: round(a.cook / b.cook),
    rebuild: round(a.build / b.build),
    total: round(a.total / b.total),
  };
  console.log(
    `cook allowlist  build-static plan ${a.recipe} + cook ${a.cook} + build ${a.build} = ${a.total} s   cargo-chef prepare ${b.recipe} + cook --zigbuild ${b.cook} + zigbuild ${b.build} = ${b.total} s   total ${ratio.total}x`,
  );
  return {
    versions,
    project: 'examples/allowlist',
    peerSetup:
      'cargo chef cook --release --locked --zigbuild --target x86_64-unknown-linux-musl --target aarch64-unknown-linux-musl, then cargo zigbuild (same targets)',
    tools,
    ratio,
  };
}
