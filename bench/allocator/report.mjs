// Pure arithmetic and text for bench/allocator: medians of the rounds, ratios to the glibc build
// and the markdown tables printed by the run and by chart.mjs. No I/O, so it is unit-tested.

// The median (mean of the middle two for an even count); rounds are few, so sorting is fine.
export function median(xs) {
  if (xs.length === 0) throw new Error('median of no values');
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

// One variant's server figures: each metric's median over the rounds, the rounds kept as measured.
export function summariseServer(rounds) {
  const m = (key) => median(rounds.map((r) => r[key]));
  return { requestsPerSecond: m('requestsPerSecond'), p50Ms: m('p50Ms'), p99Ms: m('p99Ms'), peakRssKiB: m('peakRssKiB'), rounds };
}

// One variant's workload figures at one thread count, as summariseServer.
export function summariseWorkload(threads, rounds) {
  const m = (key) => median(rounds.map((r) => r[key]));
  return { threads, opsPerSecond: m('opsPerSecond'), elapsedSeconds: m('elapsedSeconds'), peakRssKiB: m('peakRssKiB'), rounds };
}

// Every variant's throughput (and p99) divided by the glibc build's: >1 is faster than glibc.
export function ratiosToGlibc(variants) {
  const base = variants.find((v) => v.id === 'glibc');
  if (!base) throw new Error('no glibc variant to compare with');
  const ratios = {};
  for (const v of variants) {
    const workload = {};
    for (const w of v.workload) workload[w.threads] = w.opsPerSecond / base.workload.find((b) => b.threads === w.threads).opsPerSecond;
    ratios[v.id] = { requestsPerSecond: v.server.requestsPerSecond / base.server.requestsPerSecond, p99Ms: v.server.p99Ms / base.server.p99Ms, workload };
  }
  return ratios;
}

export const thousands = (n) => String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
export const ratio = (r) => `${r.toFixed(2)}×`;
export const medianOf = (rounds) => (rounds === 1 ? '1 round' : `median of ${rounds} rounds`);
const ms = (x) => `${x >= 100 ? Math.round(x) : x.toPrecision(3)} ms`;
const mib = (kib) => `${(kib / 1024).toFixed(1)} MiB`;

// The two markdown tables (HTTP service under wrk; allocation workload), with their settings.
export function markdownTables(result) {
  const { settings, machine, variants } = result;
  const r = ratiosToGlibc(variants);
  const threads = settings.workload.threads;
  const http = [
    `allowlist (in-memory) under \`wrk -t${settings.wrk.threads} -c${settings.wrk.connections} -d${settings.wrk.durationSeconds}s\`, 80% GET / 20% POST, ${medianOf(settings.rounds)}`,
    '',
    '| build | req/s | vs glibc | p50 | p99 | peak RSS |',
    '|---|--:|--:|--:|--:|--:|',
    ...variants.map((v) => `| ${v.label} | ${thousands(v.server.requestsPerSecond)} | ${ratio(r[v.id].requestsPerSecond)} | ${ms(v.server.p50Ms)} | ${ms(v.server.p99Ms)} | ${mib(v.server.peakRssKiB)} |`),
  ];
  const work = [
    `alloc-workload: ${thousands(settings.workload.ops)} small JSON documents built, serialised, parsed and dropped, split over N threads, ${medianOf(settings.rounds)}`,
    '',
    `| build | ${threads.map((t) => `${t} threads ops/s | vs glibc`).join(' | ')} | peak RSS (${threads.at(-1)} threads) |`,
    `|---|${threads.map(() => '--:|--:').join('|')}|--:|`,
    ...variants.map((v) => {
      const cells = threads.map((t) => {
        const w = v.workload.find((x) => x.threads === t);
        return `${thousands(w.opsPerSecond)} | ${ratio(r[v.id].workload[t])}`;
      });
      return `| ${v.label} | ${cells.join(' | ')} | ${mib(v.workload.find((x) => x.threads === threads.at(-1)).peakRssKiB)} |`;
    }),
  ];
  const load = machine.loadavgStart.map((x) => x.toFixed(2)).join(' ');
  const foot = `${machine.nproc} cores (${machine.cpu}), Linux ${machine.kernel}, ${machine.rustc}; load average at start ${load}.`;
  return [...http, '', ...work, '', foot, ''].join('\n');
}
