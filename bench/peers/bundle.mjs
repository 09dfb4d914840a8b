// Section `bundle`: `build-static bundle` vs magicpak (same flags: python3 with --dynamic and the
// same -c script, jq and curl plain) — bundle bytes and files, wall time (median of the
// alternated runs), and whether the result runs: `chroot BUNDLE EXE ARGS` must exit 0.
import { lstatSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { alternate, cli, median, ownSession, peersDir, round, run, say } from './common.mjs';
import { ensureMagicpak, magicpakBin } from './install.mjs';

const PY = 'import json,sys; print(json.dumps({"ok": sys.version_info[0]}))';
const PROGRAMS = [
  { name: 'jq', exe: '/usr/bin/jq', flags: [], check: ['--version'] },
  { name: 'curl', exe: '/usr/bin/curl', flags: [], check: ['--version'] },
  { name: 'python3', exe: '/usr/bin/python3', flags: ['--dynamic', '--dynamic-arg=-c', `--dynamic-arg=${PY}`], check: ['-c', PY] },
];

// Bytes and regular files under dir (symlinks count as neither).
function tree(dir) {
  let bytes = 0;
  let files = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = lstatSync(p);
    if (st.isDirectory()) {
      const t = tree(p);
      bytes += t.bytes;
      files += t.files;
    } else if (st.isFile()) {
      bytes += st.size;
      files += 1;
    }
  }
  return { bytes, files };
}

const TOOLS = {
  'build-static': (p, out) => run([process.execPath, cli, 'bundle', p.exe, out, ...p.flags]),
  magicpak: (p, out) => run(ownSession([magicpakBin, ...p.flags, p.exe, out])),
};

// One bundle of program p with tool; size, files, seconds, and whether it runs in a chroot.
function bundleSample(p, tool, tag) {
  const work = join(peersDir, 'work', `bundle-${p.name}-${tool}-${tag}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const out = join(work, 'out');
  try {
    const { seconds } = TOOLS[tool](p, out);
    const r = run(['chroot', out, p.exe, ...p.check], { allowFail: true, timeout: 30_000 });
    return {
      seconds: round(seconds, 3),
      ...tree(out),
      runs: r.status === 0,
      output: (r.stdout || r.stderr).trim().split('\n')[0].slice(0, 120),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export async function bundleSection({ runs }) {
  const versions = { magicpak: ensureMagicpak() };
  const programs = [];
  for (const p of PROGRAMS) {
    const contenders = Object.keys(TOOLS).map((tool) => ({ id: tool, run: (i) => bundleSample(p, tool, `run${i}`) }));
    const samples = await alternate(runs, contenders, (line) => say(`bundle ${p.name} ${line}`));
    const tools = {};
    for (const [tool, s] of Object.entries(samples)) {
      tools[tool] = {
        seconds: median(s.map((x) => x.seconds)),
        bytes: s[0].bytes,
        files: s[0].files,
        runs: s.every((x) => x.runs),
        output: s[0].output,
        samples: s.map((x) => x.seconds),
      };
    }
    const [a, b] = Object.values(tools);
    const entry = {
      name: p.name,
      exe: p.exe,
      flags: p.flags,
      check: p.check,
      tools,
      ratio: { size: round(a.bytes / b.bytes), time: round(a.seconds / b.seconds) },
    };
    programs.push(entry);
    const mib = (n) => (n / 1048576).toFixed(2);
    console.log(
      `bundle ${p.name.padEnd(8)} build-static ${mib(a.bytes)} MiB ${a.files} files ${a.seconds} s runs=${a.runs}   magicpak ${mib(b.bytes)} MiB ${b.files} files ${b.seconds} s runs=${b.runs}   size ${entry.ratio.size}x time ${entry.ratio.time}x`,
    );
  }
  return { versions, programs };
}
