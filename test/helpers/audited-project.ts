// A tiny Cargo project for the .dep-v0 tests: a binary `audited` 0.1.0 with a path dependency
// `helper` 0.2.0 (nothing to download, seconds to build for both targets), stripped in release.
import { CargoWorkspace } from './workspace.ts';

// Writes the project into a fresh temp dir and returns its path.
export function auditedProject(): Promise<string> {
  return new CargoWorkspace()
    .binPackage('.', 'audited', '\n[dependencies]\nhelper = { path = "helper" }\n\n[profile.release]\nstrip = true\n')
    .file('src/main.rs', 'fn main() { println!("{}", helper::greeting()); }\n')
    .manifest('helper', '[package]\nname = "helper"\nversion = "0.2.0"\nedition = "2021"\n')
    .file('helper/src/lib.rs', 'pub fn greeting() -> &\'static str { "hello" }\n')
    .build('bs-auditable-');
}
