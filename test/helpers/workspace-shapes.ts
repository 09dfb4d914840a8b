// The workspace shapes the recipe tests run against (after cargo-chef's own test fixtures): each
// a tiny Cargo project built with CargoWorkspace, with a Cargo.lock. Third-party crates are kept
// to itoa and cfg-if (tiny, quick to compile for two targets).
import { execFileSync } from 'node:child_process';
import { CargoWorkspace } from './workspace.ts';

export interface WorkspaceShape {
  readonly name: string;
  readonly make: () => CargoWorkspace;
  /** Also compare recipes trimmed with `--bin` to this binary. */
  readonly bin?: string;
  /** Directories cook needs with their real sources (not carried by a recipe). */
  readonly external?: readonly string[];
}

const pkg = (name: string, extra = '', version = '0.1.0') => `[package]\nname = "${name}"\nversion = "${version}"\nedition = "2021"\n${extra}`;
const MAIN = 'fn main() { println!("hello"); }\n';
const LIB = 'pub fn answer() -> u32 { 42 }\n';

export const SHAPES: readonly WorkspaceShape[] = [
  { name: 'single bin', make: () => new CargoWorkspace().manifest('.', pkg('app', '\n[dependencies]\nitoa = "1"\n')).file('src/main.rs', 'fn main() { println!("{}", itoa::Buffer::new().format(7)); }\n') },
  { name: 'lib and bin', make: () => new CargoWorkspace().manifest('.', pkg('lib-and-bin')).file('src/lib.rs', LIB).file('src/main.rs', 'fn main() { println!("{}", lib_and_bin::answer()); }\n') },
  {
    name: 'several bins',
    make: () =>
      new CargoWorkspace()
        .manifest('.', pkg('tools', '\n[[bin]]\nname = "custom"\npath = "cmd/custom.rs"\n\n[[bin]]\nname = "my-tool"\n'))
        .file('src/main.rs', MAIN).file('src/bin/my-tool.rs', MAIN).file('src/bin/helper.rs', MAIN).file('src/bin/multi/main.rs', MAIN).file('cmd/custom.rs', MAIN),
  },
  {
    name: 'virtual workspace, glob members, exclude',
    bin: 'api',
    make: () =>
      new CargoWorkspace()
        .manifest('.', '[workspace]\nmembers = ["crates/*"]\nexclude = ["crates/legacy"]\nresolver = "2"\n')
        .manifest('crates/api', pkg('api', '\n[dependencies]\nmodel = { path = "../model" }\n')).file('crates/api/src/main.rs', 'fn main() { println!("{}", model::answer()); }\n')
        .manifest('crates/model', pkg('model')).file('crates/model/src/lib.rs', LIB)
        .manifest('crates/worker', pkg('worker', '\n[dependencies]\ncfg-if = "1"\n')).file('crates/worker/src/main.rs', MAIN)
        .manifest('crates/legacy', pkg('legacy', '\n[workspace]\n')).file('crates/legacy/src/main.rs', MAIN),
  },
  {
    name: 'default-members',
    bin: 'server',
    make: () =>
      new CargoWorkspace()
        .manifest('.', '[workspace]\nmembers = ["server", "cli", "common"]\ndefault-members = ["server"]\nresolver = "2"\n')
        .manifest('server', pkg('server', '\n[dependencies]\ncommon = { path = "../common", version = "0.1.0" }\n')).file('server/src/main.rs', MAIN)
        .manifest('cli', pkg('cli', '\n[dependencies]\nitoa = "1"\n')).file('cli/src/main.rs', MAIN)
        .manifest('common', pkg('common')).file('common/src/lib.rs', LIB),
  },
  {
    name: 'path and renamed dependencies',
    bin: 'app',
    make: () =>
      new CargoWorkspace()
        .manifest('.', '[workspace]\nmembers = ["app", "util", "sys", "testkit"]\nresolver = "2"\n')
        .manifest('app', pkg('app', '\n[dependencies]\nhelpers = { path = "../util", package = "my-util", version = "0.2.0" }\n\n[target.\'cfg(unix)\'.dependencies]\nsys = { path = "../sys", version = "0.3" }\n\n[dev-dependencies]\ntestkit = { path = "../testkit", version = "0.1.0" }\n'))
        .file('app/src/main.rs', 'fn main() { println!("{}", helpers::answer()); }\n')
        .manifest('util', pkg('my-util', '', '0.2.0')).file('util/src/lib.rs', LIB)
        .manifest('sys', pkg('sys', '', '0.3.1')).file('sys/src/lib.rs', LIB)
        .manifest('testkit', pkg('testkit')).file('testkit/src/lib.rs', LIB),
  },
  {
    name: 'build scripts',
    make: () =>
      new CargoWorkspace()
        .manifest('.', '[workspace]\nmembers = ["gen", "custom"]\nresolver = "2"\n')
        .manifest('gen', pkg('gen', '\n[build-dependencies]\ncfg-if = "1"\n')).file('gen/build.rs', 'fn main() { println!("cargo:rustc-env=GENERATED=1"); }\n').file('gen/src/main.rs', 'fn main() { println!("{}", env!("GENERATED")); }\n')
        .manifest('custom', pkg('custom', 'build = "tools/generate.rs"\n')).file('custom/tools/generate.rs', 'fn main() {}\n').file('custom/src/lib.rs', LIB),
  },
  {
    name: 'benches, examples and tests with custom paths and harness = false',
    make: () =>
      new CargoWorkspace()
        .manifest('.', pkg('targets', '\n[[bench]]\nname = "speed"\npath = "perf/speed.rs"\nharness = false\n\n[[test]]\nname = "integration"\npath = "checks/integration.rs"\n\n[[test]]\nname = "custom-runner"\npath = "checks/runner.rs"\nharness = false\n\n[[example]]\nname = "demo"\npath = "samples/demo.rs"\n'))
        .file('src/lib.rs', LIB).file('src/main.rs', MAIN).file('perf/speed.rs', MAIN).file('checks/integration.rs', '#[test]\nfn works() {}\n').file('checks/runner.rs', MAIN)
        .file('samples/demo.rs', MAIN).file('tests/smoke.rs', '#[test]\nfn smoke() {}\n').file('benches/auto.rs', '').file('examples/auto.rs', MAIN),
  },
  {
    name: '[workspace.package] and [workspace.dependencies] inheritance',
    bin: 'svc',
    make: () =>
      new CargoWorkspace()
        .manifest('.', '[workspace]\nmembers = ["crates/*"]\nresolver = "2"\n\n[workspace.package]\nversion = "1.4.2"\nedition = "2021"\nlicense = "MIT"\n\n[workspace.dependencies]\nitoa = "1"\ncfg-if = "1"\nbase = { path = "crates/base", version = "1.4.2" }\n')
        .manifest('crates/svc', '[package]\nname = "svc"\nversion.workspace = true\nedition.workspace = true\nlicense.workspace = true\n\n[dependencies]\nbase.workspace = true\nitoa = { workspace = true }\n')
        .file('crates/svc/src/main.rs', 'fn main() { println!("{}", base::answer()); }\n')
        .manifest('crates/base', '[package]\nname = "base"\nversion.workspace = true\nedition.workspace = true\n').file('crates/base/src/lib.rs', LIB)
        .manifest('crates/other', '[package]\nname = "other"\nversion.workspace = true\nedition.workspace = true\n\n[dependencies]\ncfg-if.workspace = true\n').file('crates/other/src/main.rs', MAIN),
  },
  {
    name: '[patch] with a vendored crate',
    external: ['vendor/cfg-if'],
    make: () =>
      new CargoWorkspace()
        .manifest('.', pkg('patched', '\n[dependencies]\ncfg-if = "1"\n\n[patch.crates-io]\ncfg-if = { path = "vendor/cfg-if" }\n'))
        .file('src/main.rs', 'fn main() { println!("{}", cfg_if::patched()); }\n')
        .manifest('vendor/cfg-if', '[package]\nname = "cfg-if"\nversion = "1.0.99"\nedition = "2018"\n').file('vendor/cfg-if/src/lib.rs', 'pub fn patched() -> u32 { 7 }\n'),
  },
  {
    name: 'required-features binaries and examples',
    make: () =>
      new CargoWorkspace()
        .manifest('.', pkg('featured', '\n[dependencies]\nitoa = { version = "1", optional = true }\n\n[features]\ncli = ["dep:itoa"]\n\n[[bin]]\nname = "featured-cli"\npath = "src/bin/cli.rs"\nrequired-features = ["cli"]\n\n[[example]]\nname = "needs-cli"\nrequired-features = ["cli"]\n'))
        .file('src/main.rs', MAIN).file('src/bin/cli.rs', 'fn main() { println!("{}", itoa::Buffer::new().format(1)); }\n').file('examples/needs-cli.rs', MAIN),
  },
  {
    name: 'rust-toolchain.toml and .cargo/config.toml',
    make: () =>
      new CargoWorkspace()
        .manifest('.', pkg('configured'))
        .file('src/main.rs', 'fn main() { println!("{}", env!("FROM_CONFIG")); }\n')
        .file('rust-toolchain.toml', '[toolchain]\nchannel = "stable"\n')
        .file('.cargo/config.toml', '[env]\nFROM_CONFIG = "yes"\n\n[net]\nretry = 3\n'),
  },
  {
    name: 'proc-macro crate and lints',
    bin: 'uses-macro',
    make: () =>
      new CargoWorkspace()
        .manifest('.', '[workspace]\nmembers = ["macros", "app"]\nresolver = "2"\n\n[workspace.lints.rust]\nmissing_docs = "deny"\n')
        .manifest('macros', pkg('macros', '\n[lib]\nproc-macro = true\n\n[lints]\nworkspace = true\n'))
        .file('macros/src/lib.rs', '//! Macros.\nuse proc_macro::TokenStream;\n/// Returns 42.\n#[proc_macro]\npub fn answer(_: TokenStream) -> TokenStream { "42".parse().unwrap() }\n')
        .manifest('app', pkg('uses-macro', '\n[dependencies]\nmacros = { path = "../macros" }\n\n[lints]\nworkspace = true\n'))
        .file('app/src/main.rs', '//! App.\nfn main() { println!("{}", macros::answer!()); }\n'),
  },
];

// Writes the shape to a temp dir and creates its Cargo.lock (offline when the index cache has it).
export async function buildShape(shape: WorkspaceShape, prefix = 'bs-shape-'): Promise<string> {
  const dir = await shape.make().build(prefix);
  lockfile(dir);
  return dir;
}

export function lockfile(dir: string): void {
  try {
    execFileSync('cargo', ['generate-lockfile', '--offline'], { cwd: dir, stdio: 'pipe' });
  } catch {
    execFileSync('cargo', ['generate-lockfile'], { cwd: dir, stdio: 'pipe' });
  }
}
