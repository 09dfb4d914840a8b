// Reads the text wrk prints with --latency into numbers. Pure (no I/O), so the parser is tested
// against output captured from a real run (test/bench/fixtures).

const TIME_UNITS_MS = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

// One of wrk's durations ("812.00us", "1.08ms", "2.50s") in milliseconds.
export function durationMs(text) {
  const m = /^([\d.]+)(us|ms|s|m|h)$/.exec(text.trim());
  if (!m) throw new Error(`not a wrk duration: ${JSON.stringify(text)}`);
  return Number(m[1]) * TIME_UNITS_MS[m[2]];
}

// Requests, req/s, latency percentiles, socket errors and non-2xx responses of one wrk run.
// Throws when the text is not wrk --latency output, so a failed run is never read as zeros.
export function parseWrk(text) {
  const rps = /^Requests\/sec:\s+([\d.]+)\s*$/m.exec(text);
  const total = /^\s*(\d+) requests in ([\d.]+\w+), /m.exec(text);
  if (!rps || !total) throw new Error(`no "Requests/sec" in wrk output: ${text.trim().split('\n').slice(-3).join(' | ')}`);
  const percentile = (p) => {
    const m = new RegExp(`^\\s+${p}%\\s+(\\S+)\\s*$`, 'm').exec(text);
    if (!m) throw new Error(`no ${p}% latency in wrk output: run wrk with --latency`);
    return durationMs(m[1]);
  };
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(text);
  return {
    requests: Number(total[1]),
    seconds: durationMs(total[2]) / 1000,
    requestsPerSecond: Number(rps[1]),
    latencyMs: { p50: percentile(50), p75: percentile(75), p90: percentile(90), p99: percentile(99) },
    socketErrors: socket ? { connect: +socket[1], read: +socket[2], write: +socket[3], timeout: +socket[4] } : { connect: 0, read: 0, write: 0, timeout: 0 },
    non2xx: non2xx ? Number(non2xx[1]) : 0,
  };
}
