// The muslrust-chef image's helper commands, made runnable on this machine for tests: verify-static
// built for the host with cargo (into the build-static cache, so a warm run only checks it is fresh)
// and a bin directory holding it next to the POSIX sh helpers, as /usr/local/bin does in the image.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDir } from '../../../scripts/src/core/fs.ts';

export const IMAGE_DIR = fileURLToPath(new URL('../../../images/muslrust-chef/', import.meta.url));
export const SCRIPTS = ['target-triple', 'get-executable', 'ensure-cross-targets'] as const;

// Builds verify-static for the host (no dependencies, so offline) and returns the binary's path.
export function buildVerifyStatic(): string {
  const target = join(cacheDir(), 'test', 'verify-static-target');
  try {
    execFileSync('cargo', ['build', '--release', '--locked', '--offline', '--manifest-path', join(IMAGE_DIR, 'verify-static', 'Cargo.toml'), '--target-dir', target], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    throw new Error(`building verify-static with cargo failed (is Rust installed? run ./setup.sh):\n${(e as { stderr?: Buffer }).stderr?.toString() ?? e}`);
  }
  return join(target, 'release', 'verify-static');
}

// A fresh directory laid out like the image's /usr/local/bin: the helper scripts and verify-static.
export function helperBin(verifyStatic: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'bs-chef-bin-'));
  for (const s of SCRIPTS) copyFileSync(join(IMAGE_DIR, 'bin', s), join(dir, s));
  symlinkSync(verifyStatic, join(dir, 'verify-static'));
  return dir;
}
