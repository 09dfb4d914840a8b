// A published crate's source the way cargo gets it: the .crate downloaded once from the crates
// registry (DL/NAME/VERSION/download, DL from the index's config.json), checked against the
// pinned sha256 and kept in CACHE/crates; unpacked fresh on every call so no earlier build
// changes the source. Shared by bench/real-world/run.mjs and bench/peers.mjs.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// Where cargo itself downloads a .crate: the `dl` of the sparse index's config.json (crates.io's
// /api/v1/crates/NAME/VERSION/download, or the mirror this machine's index points at).
let dl;
async function downloadUrl(c) {
  dl ??= (await (await fetch('https://index.crates.io/config.json')).json()).dl;
  if (/\{(crate|version)\}/.test(dl)) return dl.replaceAll('{crate}', c.name).replaceAll('{version}', c.version);
  return `${dl}/${c.name}/${c.version}/download`;
}

// The crate `c` ({name, version, sha256}) unpacked into INTO/NAME-VERSION (default CACHE/src).
export async function crateSource(c, cache, into = join(cache, 'src')) {
  const file = join(cache, 'crates', `${c.name}-${c.version}.crate`);
  mkdirSync(join(cache, 'crates'), { recursive: true });
  if (!existsSync(file)) {
    const res = await fetch(await downloadUrl(c), { headers: { 'user-agent': 'build-static bench (real-world corpus)' } });
    if (!res.ok) throw new Error(`download of ${c.name} ${c.version}: HTTP ${res.status}`);
    writeFileSync(`${file}.tmp`, Buffer.from(await res.arrayBuffer()));
    renameSync(`${file}.tmp`, file);
  }
  const sha = createHash('sha256').update(readFileSync(file)).digest('hex');
  if (sha !== c.sha256) throw new Error(`${file}: sha256 ${sha}, pinned ${c.sha256}`);
  const dir = join(into, `${c.name}-${c.version}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(into, { recursive: true });
  const tar = spawnSync('tar', ['xzf', file, '-C', into]);
  if (tar.status !== 0) throw new Error(`tar xzf ${file}: ${tar.stderr}`);
  return dir;
}
