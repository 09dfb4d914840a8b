// Section `build` of bench/peers.mjs: for each crate, the two tools' samples alternated run by
// run, their medians and the ratio build-static / cargo-zigbuild (< 1.00 means build-static is
// faster), saved after every crate.
import { CRATES, TOOL_IDS, buildSample, fetchDependencies } from './build.mjs';
import { alternate, load, median, round, say } from './common.mjs';
import { ensureZigbuild } from './install.mjs';

// What each tool's binary ends up allocating with, and why (part of the comparison).
const ALLOCATOR_NOTE =
  "build-static links mimalloc in where the crate sets no #[global_allocator] (allowlist, ripgrep) and keeps the crate's own (fd-find built with --features use-jemalloc: jemalloc); cargo-zigbuild leaves musl's malloc unless the crate sets one. build-static also strips symbols (-C strip=symbols); cargo-zigbuild uses the crate's release profile as is.";

export async function buildSection({ runs, crates, warmup, previous, save }) {
  const versions = ensureZigbuild();
  const chosen = crates ? CRATES.filter((c) => crates.includes(c.id)) : CRATES;
  say(`build: untimed: cargo fetch of every crate${warmup ? ', one build of allowlist with each tool' : ''}`);
  for (const c of chosen) await fetchDependencies(c);
  if (warmup) for (const tool of TOOL_IDS) await buildSample(CRATES[0], tool, 'warmup');
  const record = {
    versions,
    command: {
      'build-static': 'build-static build DIR --bin BIN [--features F] --platform linux/amd64,linux/arm64',
      'cargo-zigbuild':
        'cargo zigbuild --release --locked --bin BIN [--features F] --target x86_64-unknown-linux-musl --target aarch64-unknown-linux-musl',
    },
    warmup: warmup
      ? "untimed: cargo fetch of each crate, then one cold+edit build of allowlist per tool (zig's libc caches, build-static's cross wrappers)"
      : 'untimed: cargo fetch of each crate only (--no-warmup: zig and build-static caches as earlier runs left them; the median absorbs a slower first run)',
    allocatorNote: ALLOCATOR_NOTE,
    crates: { ...previous?.crates },
  };
  for (const c of chosen) {
    say(`build: ${c.id}`);
    const contenders = TOOL_IDS.map((tool) => ({ id: tool, run: (i) => buildSample(c, tool, `run${i}`) }));
    const loadBefore = load();
    // Medians of the samples so far; saved after every sample once each tool has one.
    const summarize = (samples) => {
      const done = Math.min(...TOOL_IDS.map((t) => samples[t].length));
      if (done === 0) return undefined;
      const entry = { runs, runsDone: done, features: c.features ?? [], loadBefore, loadAfter: load(), tools: {} };
      for (const tool of TOOL_IDS) {
        const s = samples[tool].slice(0, done);
        entry.tools[tool] = {
          cold: median(s.map((x) => x.cold)),
          edit: median(s.map((x) => x.edit)),
          samples: s.map(({ cold, edit }) => ({ cold, edit })),
          elf: s[0].elf,
        };
      }
      const [a, b] = TOOL_IDS.map((t) => entry.tools[t]);
      entry.ratio = { cold: round(a.cold / b.cold), edit: round(a.edit / b.edit) };
      return entry;
    };
    const progress = (samples) => {
      const entry = summarize(samples);
      if (entry) save({ ...record, crates: { ...record.crates, [c.id]: entry } });
    };
    const samples = await alternate(runs, contenders, (line) => say(`build ${c.id} ${line}`), progress);
    const entry = summarize(samples);
    const [a, b] = TOOL_IDS.map((t) => entry.tools[t]);
    record.crates[c.id] = entry;
    save(record);
    console.log(
      `build ${c.id.padEnd(10)} cold: build-static ${a.cold} s, cargo-zigbuild ${b.cold} s (${entry.ratio.cold}x)   edit: ${a.edit} s vs ${b.edit} s (${entry.ratio.edit}x)   ` +
        TOOL_IDS.map((t) => `${t}: ${entry.tools[t].elf.map((e) => `${e.machine} ${e.linkage} ${e.allocator}`).join(', ')}`).join('; '),
    );
  }
  return record;
}
