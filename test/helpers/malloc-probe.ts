// A small dynamic C program that mallocs and frees from four threads, then prints
// `mi_version=N` — mimalloc's mi_version() looked up with dlsym(RTLD_DEFAULT), so 0 unless an
// LD_PRELOAD'ed mimalloc is really in the process. Compiled by the tests with the real compilers
// (glibc gcc for each platform, musl-gcc) and run natively or under qemu-user.
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { hostPlatform, type Platform } from '../../scripts/src/core/platform.ts';

export const MALLOC_PROBE_C = `#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static void *work(void *arg) {
  for (int i = 0; i < 20000; i++) { char *p = malloc(16 + (i % 700)); memset(p, i, 16); free(p); }
  return arg;
}
int main(void) {
  pthread_t t[4];
  for (int i = 0; i < 4; i++) pthread_create(&t[i], 0, work, 0);
  for (int i = 0; i < 4; i++) pthread_join(t[i], 0);
  int (*v)(void) = (int (*)(void))dlsym(RTLD_DEFAULT, "mi_version");
  printf("mi_version=%d\\n", v ? v() : 0);
  return 0;
}
`;

export type ProbeTarget = 'amd64' | 'arm64' | 'musl';

const COMPILER: Record<ProbeTarget, string> = { amd64: 'x86_64-linux-gnu-gcc', arm64: 'aarch64-linux-gnu-gcc', musl: 'musl-gcc' };

// Compiles the probe as a dynamic executable for the target; returns its path.
export function compileMallocProbe(dir: string, target: ProbeTarget, extra: readonly string[] = []): string {
  const source = join(dir, 'malloc-probe.c');
  writeFileSync(source, MALLOC_PROBE_C);
  const out = join(dir, `malloc-probe-${target}${extra.includes('-static') ? '-static' : ''}`);
  execFileSync(COMPILER[target], ['-O2', ...extra, '-o', out, source, '-lpthread'], { stdio: ['ignore', 'ignore', 'pipe'] });
  return out;
}

export interface ProbeRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

// Runs an executable with `env` only (plus PATH): natively, or for arm64 under qemu-aarch64-static
// with the cross sysroot as its root for the loader and libraries (-L), env passed with -E.
export function runProbe(exe: string, target: ProbeTarget, env: Record<string, string> = {}, args: readonly string[] = []): ProbeRun {
  const argv = target === 'arm64'
    ? ['qemu-aarch64-static', '-L', '/usr/aarch64-linux-gnu', ...Object.entries(env).flatMap(([k, v]) => ['-E', `${k}=${v}`]), exe, ...args]
    : [exe, ...args];
  const r = spawnSync(argv[0]!, argv.slice(1), { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...(target === 'arm64' ? {} : env) }, encoding: 'utf8', timeout: 120_000 });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// Runs a built spawner test program (natively or under qemu) with MIMALLOC_VERBOSE=1, asserts it
// exited 0 and printed 1000, and returns its stderr (where mimalloc says `process init`).
export function spawnerStderr(platform: Platform, exe: string): string {
  const argv = hostPlatform() === platform ? [exe] : [platform.qemu, exe];
  const r = spawnSync(argv[0]!, argv.slice(1), { env: { ...process.env, MIMALLOC_VERBOSE: '1' }, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout.trim()).toBe('1000');
  return r.stderr;
}
