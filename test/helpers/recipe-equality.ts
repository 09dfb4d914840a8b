// Semantic comparison of two recipes (ours and cargo-chef's): manifests and Cargo.lock are parsed
// and compared as data, never as text (@iarna/toml and the toml crate print differently). The
// deliberate differences are normalised away here, each with its reason:
//  1. cargo-chef writes `edition` into every [lib]/[[bin]]/… it completes; cargo 1.9x warns that a
//     per-target edition is deprecated, and it only repeats [package].edition, so we do not.
//  2. cargo-chef gives a proc-macro [lib] `crate-type = ["lib"]`, contradicting `proc-macro = true`
//     (cargo ignores it); we leave it out.
//  3. cargo-chef's serde defaults add empty values — `required-features = []`, `members = []`,
//     `[profile.*.package]`, `[target.*.dev-dependencies]` — which mean the same as absent.
//  4. Target tables in [[test]]/[[bench]]/[[example]] are compared as sets (cargo does not care
//     about their order; [[bin]] is sorted by path by both tools).
import TOML from '@iarna/toml';

type Value = unknown;
const PRODUCTS = ['bin', 'test', 'bench', 'example'];

function dropEmpty(value: Value): Value {
  if (Array.isArray(value)) return value.map(dropEmpty);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, Value> = {};
  for (const [k, v] of Object.entries(value)) {
    const c = dropEmpty(v);
    if (Array.isArray(c) && c.length === 0) continue;
    if (typeof c === 'object' && c !== null && !Array.isArray(c) && Object.keys(c).length === 0) continue;
    out[k] = c;
  }
  return out;
}

// A manifest's TOML as comparable data (see the numbered differences above).
export function canonicalManifest(contents: string): Value {
  const doc = JSON.parse(JSON.stringify(TOML.parse(contents))) as Record<string, Value>;
  const lib = doc.lib as Record<string, Value> | undefined;
  if (lib) {
    delete lib.edition;
    if (lib['proc-macro'] === true && JSON.stringify(lib['crate-type']) === '["lib"]') delete lib['crate-type'];
  }
  for (const key of PRODUCTS) {
    const list = doc[key] as Array<Record<string, Value>> | undefined;
    if (!Array.isArray(list)) continue;
    for (const entry of list) delete entry.edition;
    if (key !== 'bin') list.sort((a, b) => String(a.name).localeCompare(String(b.name)));
  }
  return dropEmpty(doc);
}

// A whole recipe as comparable data.
export function canonicalRecipe(json: string): Value {
  const recipe = JSON.parse(json) as { skeleton: { manifests: Array<{ relative_path: string; contents: string; targets: unknown[] }>; lock_file: string | null; config_file: string | null; rust_toolchain_file: unknown } };
  const s = recipe.skeleton;
  return {
    manifests: [...s.manifests]
      .sort((a, b) => a.relative_path.localeCompare(b.relative_path))
      .map((m) => ({ relative_path: m.relative_path, contents: canonicalManifest(m.contents), targets: m.targets })),
    lock_file: s.lock_file === null ? null : JSON.parse(JSON.stringify(TOML.parse(s.lock_file))),
    config_file: s.config_file ?? null,
    rust_toolchain_file: s.rust_toolchain_file ?? null,
  };
}
