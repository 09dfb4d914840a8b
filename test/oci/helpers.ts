// Shared pieces of the OCI tests: temp dirs, running real tools (tar, skopeo, podman, compilers)
// that fail loudly with the package to install, the static base built once per test file, and
// a validator wrapper every test that makes an image calls.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { buildStaticBase } from '../../scripts/src/core/image/static-base.ts';
import { rootBlobSource, rootDescriptor, validate, validateLayout, type Root } from '../../scripts/src/oci/index.ts';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));

const HINT: Record<string, string> = {
  tar: 'apt-get install tar',
  skopeo: 'apt-get install skopeo (or run ./setup.sh)',
  podman: 'apt-get install podman runc (or run ./setup.sh)',
  'musl-gcc': 'apt-get install musl-tools musl-dev',
  'aarch64-linux-gnu-gcc': 'apt-get install gcc-aarch64-linux-gnu && dpkg --add-architecture arm64 && apt-get install musl-dev:arm64',
};

export interface RunResult { readonly code: number; readonly stdout: string; readonly stderr: string }

// Runs a command to completion; a missing program is an error naming the package, never a skip.
export function run(cmd: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { env: options.env ?? process.env, cwd: options.cwd, maxBuffer: 64 << 20, timeout: options.timeoutMs ?? 300_000, encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = (error as { code?: unknown } | null)?.code;
      if (code === 'ENOENT') return reject(new Error(`${cmd} is not installed: ${HINT[cmd] ?? `install ${cmd}`}`));
      resolve({ code: error ? (typeof code === 'number' ? code : 1) : 0, stdout, stderr });
    });
  });
}

// Like run, but any non-zero exit fails the test with the command's output.
export async function runOk(cmd: string, args: readonly string[], options: Parameters<typeof run>[2] = {}): Promise<string> {
  const result = await run(cmd, args, options);
  if (result.code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${result.code}:\n${result.stderr}\n${result.stdout}`);
  return result.stdout;
}

// A fresh temp dir; the returned cleanup removes it.
export async function scratch(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `bs-oci-${prefix}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

// The validator must accept every image a test produces.
export async function expectValidLayout(dir: string, tag?: string): Promise<void> {
  await expect(validateLayout(dir, tag)).resolves.toBeUndefined();
}

// Validates an image value before (or without) writing it: blobs come from memory or the base's source.
export async function expectValidRoot(root: Root): Promise<void> {
  await expect(validate(rootBlobSource(root), rootDescriptor(root))).resolves.toBeUndefined();
}

// Builds the static base stand-in into `dir` (epoch 0) and validates it.
export async function staticBase(dir: string): Promise<string> {
  const out = join(dir, 'static-base');
  await buildStaticBase(out, { epoch: 0 });
  await expectValidLayout(out);
  return out;
}

// Every file under a directory with its bytes, keyed by relative path (for byte-for-byte comparisons).
export async function readTree(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const walk = async (d: string) => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) await walk(path);
      else out.set(relative(dir, path), await readFile(path));
    }
  };
  await walk(dir);
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1)));
}

// Every file under a directory as path → sha256 (cheap to compare with toEqual).
export async function hashTree(dir: string): Promise<Map<string, string>> {
  const tree = await readTree(dir);
  return new Map([...tree].map(([path, bytes]) => [path, createHash('sha256').update(bytes).digest('hex')]));
}

export const A64_MUSL_SPECS = '/usr/lib/aarch64-linux-musl/musl-gcc.specs';

// A static C program that says which machine it runs on, as which uid, and whether the base's
// files are there; compiled for amd64 with musl-gcc and for arm64 with the cross gcc + musl specs.
export const HELLO_C = `#include <stdio.h>
#include <unistd.h>
#include <sys/utsname.h>
int main(void) {
  struct utsname u; uname(&u);
  printf("hello from %s uid=%d passwd=%s ca=%s sh=%s\\n", u.machine, (int)getuid(),
    access("/etc/passwd", R_OK) == 0 ? "yes" : "no",
    access("/etc/ssl/certs/ca-certificates.crt", R_OK) == 0 ? "yes" : "no",
    access("/bin/sh", F_OK) == 0 ? "yes" : "no");
  return 0;
}
`;

// Compiles HELLO_C statically for one architecture into `dir`; returns the binary's path.
export async function compileHello(dir: string, arch: 'amd64' | 'arm64'): Promise<string> {
  const src = join(dir, 'hello.c');
  await writeFile(src, HELLO_C);
  const out = join(dir, `hello-${arch}`);
  if (arch === 'amd64') await runOk('musl-gcc', ['-static', '-O2', '-s', '-o', out, src]);
  else {
    if (!existsSync(A64_MUSL_SPECS)) throw new Error(`${A64_MUSL_SPECS} is missing: dpkg --add-architecture arm64 && apt-get update && apt-get install musl-dev:arm64`);
    await runOk('aarch64-linux-gnu-gcc', ['-specs', A64_MUSL_SPECS, '-static', '-O2', '-s', '-o', out, src]);
  }
  return out;
}
