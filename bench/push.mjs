#!/usr/bin/env node
// Benchmark: pushing the two-platform allowlist image to a local registry with build-static's
// client vs `skopeo copy --all` of the same OCI layout to the same registry (fresh repository
// each run, median of N), and image bytes added on top of the base vs the gzipped binaries.
// Prints figures; asserts nothing. Needs `npm run build`, docker-registry and skopeo (setup.sh).
// Usage: node bench/push.mjs [--runs 3] [--json]
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startBenchRegistry } from './registry.mjs';
import { gzipSync } from 'node:zlib';
import { $ } from 'zx';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, json: { type: 'boolean' } } });
const repo = new URL('..', import.meta.url).pathname;
const dist = join(repo, 'scripts', 'dist');
const {
  buildStaticBase,
  oci: { openLayout, findRootDescriptor },
  registry: { push },
} = await import(join(dist, 'index.js'));

const work = mkdtempSync(join(tmpdir(), 'bs-bench-push-'));
const registry = await startBenchRegistry(work);
const host = registry.host;
try {
  await buildStaticBase(join(work, 'base'), { tag: 'latest' });
  const copy = (from, to) => $`skopeo copy --all --quiet --dest-tls-verify=false ${from} ${to}`.quiet();
  await copy(`oci:${join(work, 'base')}:latest`, `docker://${host}/base:latest`);
  const layoutDir = join(work, 'app');
  const cli = join(dist, 'cli', 'main.js');
  await $({
    cwd: repo,
    quiet: true,
  })`${process.execPath} ${cli} image examples/allowlist --base ${host}/base:latest --tag bench/allowlist:1 --oci-layout ${layoutDir}`;

  const layout = await openLayout(layoutDir);
  const root = findRootDescriptor(layout, 'bench/allowlist:1');
  const source = {
    root: await layout.source.get(root.digest, root),
    mediaType: root.mediaType,
    getBlob: (d, desc) => layout.source.get(d, desc),
  };
  const time = async (fn) => {
    const t = process.hrtime.bigint();
    await fn();
    return Number(process.hrtime.bigint() - t) / 1e9;
  };
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const ours = [];
  const skopeo = [];
  // Alternated, order rotated every run, so neither client always pushes first.
  for (let i = 0; i < Number(values.runs); i++) {
    const pushOurs = async () => ours.push(await time(() => push(source, `${host}/ours-${i}:1`)));
    const pushSkopeo = async () =>
      skopeo.push(await time(() => copy(`oci:${layoutDir}:bench/allowlist:1`, `docker://${host}/skopeo-${i}:1`)));
    for (const step of i % 2 ? [pushSkopeo, pushOurs] : [pushOurs, pushSkopeo]) await step();
  }

  const index = JSON.parse(Buffer.from(source.root).toString());
  const sizes = [];
  const out = JSON.parse(readFileSync(join(repo, 'examples/allowlist/target/build-static/out/build-static.json'), 'utf8'));
  for (const m of index.manifests) {
    const manifest = JSON.parse(Buffer.from(await layout.source.get(m.digest, m)).toString());
    const appLayer = manifest.layers.at(-1).size;
    const platform = `${m.platform.os}/${m.platform.architecture}`;
    const binary = out.outputs.find((o) => o.platform === platform);
    const gz = gzipSync(readFileSync(join(repo, 'examples/allowlist/target/build-static/out', binary.path)), { level: 9 }).byteLength;
    const baseLayers = manifest.layers.slice(0, -1).reduce((sum, l) => sum + l.size, 0);
    sizes.push({ platform, imageMinusBase: appLayer, gzipBinary: gz, binary: binary.size, baseLayers, config: manifest.config.size });
  }
  const figures = {
    runs: Number(values.runs),
    pushSeconds: { buildStatic: median(ours), skopeo: median(skopeo), all: { buildStatic: ours, skopeo } },
    ratio: median(ours) / median(skopeo),
    sizes,
  };
  if (values.json) console.log(JSON.stringify(figures, null, 2));
  else {
    console.log(
      `build-static bench/push: allowlist, 2 platforms, local docker-registry, fresh repository per run, median of ${figures.runs}`,
    );
    console.log(
      `push  build-static ${figures.pushSeconds.buildStatic.toFixed(3)} s   skopeo copy --all ${figures.pushSeconds.skopeo.toFixed(3)} s   ratio ${figures.ratio.toFixed(2)}`,
    );
    for (const s of sizes)
      console.log(
        `${s.platform.padEnd(12)} image minus base ${s.imageMinusBase} B   gzip -9 of binary ${s.gzipBinary} B   (${((s.imageMinusBase / s.gzipBinary - 1) * 100).toFixed(1)}% over)   binary ${s.binary} B`,
      );
  }
} finally {
  registry.stop();
}
