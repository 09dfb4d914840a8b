// The README's "Compared with peers" table from bench/results/peers.json: medians, ratios
// (build-static / peer; below 1.00× build-static is ahead), and how loaded the machine was.
const s1 = (x) => (x === undefined ? '–' : `${x.toFixed(1)} s`);
const s3 = (x) => `${x.toFixed(2)} s`;
const r = (x) => `${x.toFixed(2)}×`;
const mib = (n) => `${(n / 1048576).toFixed(2)} MiB`;

export function markdownTable(results) {
  const s = results.sections ?? {};
  const rows = ['| section (peer) | case | build-static | peer | ratio |', '|---|---|--:|--:|--:|'];
  for (const [id, c] of Object.entries(s.build?.crates ?? {})) {
    const [a, b] = [c.tools['build-static'], c.tools['cargo-zigbuild']];
    const n = c.runsDone ?? c.runs;
    const feats = c.features?.length ? ` --features ${c.features.join(',')}` : '';
    rows.push(
      `| build (cargo-zigbuild ${s.build.versions.cargoZigbuild}, zig ${s.build.versions.zig}) | ${id}${feats}, cold, both platforms (${n} runs, load ${c.loadBefore[0]}→${c.loadAfter[0]}) | ${s1(a.cold)} | ${s1(b.cold)} | ${r(c.ratio.cold)} |`,
    );
    rows.push(`| | ${id}, after a one-line edit | ${s1(a.edit)} | ${s1(b.edit)} | ${r(c.ratio.edit)} |`);
  }
  if (s.cook) {
    const [a, b] = [s.cook.tools['build-static'], s.cook.tools['cargo-chef']];
    rows.push(
      `| cook (cargo-chef ${/\d+\.\d+\.\d+/.exec(s.cook.versions.cargoChef)?.[0] ?? s.cook.versions.cargoChef}, --zigbuild) | allowlist: recipe + cook + build, cold | ${s1(a.recipe)} + ${s1(a.cook)} + ${s1(a.build)} = ${s1(a.total)} | ${s1(b.recipe)} + ${s1(b.cook)} + ${s1(b.build)} = ${s1(b.total)} | ${r(s.cook.ratio.total)} |`,
    );
  }
  if (s.dockerfile) {
    const [a, b] = [s.dockerfile.tools['build-static'], s.dockerfile.tools['cargo-chef']];
    const n = a.samples?.length;
    rows.push(
      `| dockerfile (cargo-chef's README Dockerfile, ${s.dockerfile.versions.podman}) | allowlist image, linux/amd64, cold (${n} runs) | ${s1(a.cold)} | ${s1(b.cold)} | ${r(s.dockerfile.ratio.cold)} |`,
    );
    rows.push(`| | image rebuild after a one-line edit | ${s1(a.edit)} | ${s1(b.edit)} | ${r(s.dockerfile.ratio.edit)} |`);
  }
  if (s.push) {
    rows.push(
      `| push (${s.push.versions.skopeo}) | allowlist, 2 platforms, local registry | ${s3(s.push.seconds['build-static'])} | ${s3(s.push.seconds.skopeo)} | ${r(s.push.ratio)} |`,
    );
    for (const z of s.push.sizes)
      rows.push(
        `| | ${z.platform} image vs base + gzip -9 binary | ${mib(z.image)} | ${mib(z.lowerBound)} (bound) | ${r(z.overLowerBound)} |`,
      );
  }
  for (const p of s.bundle?.programs ?? []) {
    const [a, b] = [p.tools['build-static'], p.tools.magicpak];
    const runs = (t) => (t.runs ? 'runs' : "**doesn't run**");
    rows.push(
      `| bundle (magicpak ${s.bundle.versions.magicpak}) | ${p.name}${p.flags.length ? ' --dynamic' : ''}: size (time) | ${mib(a.bytes)} (${s3(a.seconds)}), ${runs(a)} | ${mib(b.bytes)} (${s3(b.seconds)}), ${runs(b)} | ${r(p.ratio.size)} (${r(p.ratio.time)}) |`,
    );
  }
  const m = Object.values(s)[0]?.machine;
  const loads = Object.entries(s)
    .map(([k, v]) => `${k} ${v.loadBefore[0]}→${v.loadAfter[0]}`)
    .join(', ');
  return `${rows.join('\n')}\n\nMedians of alternated runs (how many: per row, or in the JSON), ${m?.nproc} cores (${m?.cpu}), ${m?.rustc}; 1-minute load average before→after each section: ${loads}.\n`;
}
