// A fluent builder for throwaway Cargo projects written from inline TOML and Rust (after
// cargo-chef's test support): `new CargoWorkspace().manifest('.', toml).file('src/main.rs', rs).build()`.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export class CargoWorkspace {
  private readonly files = new Map<string, string>();

  // Adds a Cargo.toml under `dir` (relative to the workspace root).
  manifest(dir: string, toml: string): this {
    this.files.set(join(dir, 'Cargo.toml'), toml);
    return this;
  }

  // Adds any file (source, build.rs, .cargo/config.toml, rust-toolchain.toml).
  file(path: string, contents: string): this {
    this.files.set(path, contents);
    return this;
  }

  // A package with a hello-world main.rs.
  binPackage(dir: string, name: string, extra = ''): this {
    return this.manifest(dir, `[package]\nname = "${name}"\nversion = "0.1.0"\nedition = "2021"\n${extra}`).file(join(dir, 'src/main.rs'), 'fn main() { println!("hello"); }\n');
  }

  // Writes everything into a fresh temp directory and returns its path.
  async build(prefix = 'bs-ws-'): Promise<string> {
    const root = await mkdtemp(join(tmpdir(), prefix));
    for (const [path, contents] of this.files) {
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), contents);
    }
    return root;
  }
}
