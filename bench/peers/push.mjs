// Section `push`: bench/push.mjs as is (the two-platform allowlist image to a local
// docker-registry on 127.0.0.1, build-static's client vs `skopeo copy --all` of the same OCI
// layout, fresh repository per run, alternated), plus each platform's image bytes against the
// lower bound base layers + gzip -9 of the binary.
import { join } from 'node:path';
import { repo, round, run } from './common.mjs';
import { skopeoVersion } from './install.mjs';

export async function pushSection({ runs }) {
  const figures = JSON.parse(run([process.execPath, join(repo, 'bench', 'push.mjs'), '--runs', String(runs), '--json']).stdout);
  const sizes = figures.sizes.map((s) => {
    const image = s.baseLayers + s.imageMinusBase;
    const lowerBound = s.baseLayers + s.gzipBinary;
    return { ...s, image, lowerBound, overLowerBound: round(image / lowerBound, 3) };
  });
  const ratio = round(figures.pushSeconds.buildStatic / figures.pushSeconds.skopeo);
  console.log(
    `push allowlist  build-static ${figures.pushSeconds.buildStatic.toFixed(3)} s   skopeo copy --all ${figures.pushSeconds.skopeo.toFixed(3)} s   ${ratio}x   ` +
      sizes.map((s) => `${s.platform} image ${s.image} B vs base + gzip -9 binary ${s.lowerBound} B (${s.overLowerBound}x)`).join('; '),
  );
  return {
    versions: { skopeo: skopeoVersion() },
    seconds: { 'build-static': round(figures.pushSeconds.buildStatic, 3), skopeo: round(figures.pushSeconds.skopeo, 3) },
    samples: {
      'build-static': figures.pushSeconds.all.buildStatic.map((x) => round(x, 3)),
      skopeo: figures.pushSeconds.all.skopeo.map((x) => round(x, 3)),
    },
    ratio,
    sizes,
  };
}
