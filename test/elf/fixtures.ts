// Builds the real ELF binaries the ELF-reader tests run against, with the compilers on this
// machine. A missing tool fails loudly with the package to install: a silently skipped
// fixture would let the parser go untested on that architecture.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  HELLO, NOP, MALLOPT, THREADS, MIMALLOC_STRINGS, MENTIONS_MIMALLOC, STUB_LIB, USE_LIB, LIB, START32, RUST_THREADS, RUST_NO_THREADS,
} from './fixture-sources.ts';

const A64_MUSL_SPECS = '/usr/lib/aarch64-linux-musl/musl-gcc.specs';
const MUSL_LIB = '/usr/lib/x86_64-linux-musl';
const HINT: Record<string, string> = {
  gcc: 'apt-get install gcc libc6-dev',
  'musl-gcc': 'apt-get install musl-tools musl-dev',
  'aarch64-linux-gnu-gcc': 'apt-get install gcc-aarch64-linux-gnu libc6-dev-arm64-cross',
  [A64_MUSL_SPECS]: 'dpkg --add-architecture arm64 && apt-get update && apt-get install musl-dev:arm64',
  rustc: 'install Rust with rustup (x86_64-unknown-linux-gnu host toolchain)',
  readelf: 'apt-get install binutils',
};

type Step = { tool: string; args: string[] };
interface Spec {
  sources: Record<string, string>;
  steps: (dir: string, out: string) => Step[];
  needsFiles?: string[];
}

const cc = (tool: string, src: string, extra: string[]) => (dir: string, out: string): Step[] => [
  { tool, args: [...extra, '-O2', '-o', out, join(dir, src)] },
];

const SPECS = {
  'gnu-dynamic': { sources: { 'hello.c': HELLO }, steps: cc('gcc', 'hello.c', []) },
  'gnu-dynamic-stripped': { sources: { 'hello.c': HELLO }, steps: cc('gcc', 'hello.c', ['-s']) },
  'glibc-static': { sources: { 'hello.c': HELLO }, steps: cc('gcc', 'hello.c', ['-static']) },
  'glibc-static-stripped': { sources: { 'hello.c': HELLO }, steps: cc('gcc', 'hello.c', ['-static', '-s']) },
  'musl-static': { sources: { 'hello.c': HELLO }, steps: cc('musl-gcc', 'hello.c', ['-static']) },
  'musl-static-stripped': { sources: { 'hello.c': HELLO }, steps: cc('musl-gcc', 'hello.c', ['-static', '-s']) },
  'musl-nop-stripped': { sources: { 'nop.c': NOP }, steps: cc('musl-gcc', 'nop.c', ['-static', '-s']) },
  // musl-gcc's specs drop -static-pie, so link by hand with rcrt1.o (musl's self-relocating start file).
  'musl-static-pie': {
    sources: { 'hello.c': HELLO },
    needsFiles: [join(MUSL_LIB, 'rcrt1.o')],
    steps: (dir: string, out: string): Step[] => {
      const crt = (f: string) => execFileSync('gcc', [`-print-file-name=${f}`], { encoding: 'utf8' }).trim();
      return [{ tool: 'musl-gcc', args: ['-fPIE', '-O2', '-nostartfiles', '-Wl,-static', '-Wl,-pie', '-Wl,--no-dynamic-linker', '-Wl,-z,text',
        join(MUSL_LIB, 'rcrt1.o'), join(MUSL_LIB, 'crti.o'), crt('crtbeginS.o'), join(dir, 'hello.c'), crt('crtendS.o'), join(MUSL_LIB, 'crtn.o'), '-o', out] }];
    },
  },
  'aarch64-gnu-dynamic': { sources: { 'hello.c': HELLO }, steps: cc('aarch64-linux-gnu-gcc', 'hello.c', []) },
  'aarch64-musl-static': {
    sources: { 'hello.c': HELLO }, needsFiles: [A64_MUSL_SPECS],
    steps: cc('aarch64-linux-gnu-gcc', 'hello.c', ['-specs', A64_MUSL_SPECS, '-static']),
  },
  'aarch64-musl-static-stripped': {
    sources: { 'hello.c': HELLO }, needsFiles: [A64_MUSL_SPECS],
    steps: cc('aarch64-linux-gnu-gcc', 'hello.c', ['-specs', A64_MUSL_SPECS, '-static', '-s']),
  },
  'glibc-mallopt': { sources: { 'mallopt.c': MALLOPT }, steps: cc('gcc', 'mallopt.c', []) },
  rpath: { sources: { 'hello.c': HELLO }, steps: cc('gcc', 'hello.c', ['-Wl,-rpath,$ORIGIN/lib', '-Wl,--disable-new-dtags']) },
  runpath: { sources: { 'hello.c': HELLO }, steps: cc('gcc', 'hello.c', ['-Wl,-rpath,$ORIGIN/lib:/opt/bs', '-Wl,--enable-new-dtags']) },
  'shared-lib': { sources: { 'lib.c': LIB }, steps: cc('gcc', 'lib.c', ['-shared', '-fPIC', '-Wl,-soname,libbsfixture.so.1']) },
  'glibc-threads': { sources: { 'threads.c': THREADS }, steps: cc('gcc', 'threads.c', ['-pthread']) },
  'musl-threads-static': { sources: { 'threads.c': THREADS }, steps: cc('musl-gcc', 'threads.c', ['-static']) },
  'musl-threads-static-stripped': { sources: { 'threads.c': THREADS }, steps: cc('musl-gcc', 'threads.c', ['-static', '-s']) },
  'aarch64-musl-threads-static': {
    sources: { 'threads.c': THREADS }, needsFiles: [A64_MUSL_SPECS],
    steps: cc('aarch64-linux-gnu-gcc', 'threads.c', ['-specs', A64_MUSL_SPECS, '-static']),
  },
  'aarch64-musl-threads-static-stripped': {
    sources: { 'threads.c': THREADS }, needsFiles: [A64_MUSL_SPECS],
    steps: cc('aarch64-linux-gnu-gcc', 'threads.c', ['-specs', A64_MUSL_SPECS, '-static', '-s']),
  },
  'glibc-threads-static-stripped': { sources: { 'threads.c': THREADS }, steps: cc('gcc', 'threads.c', ['-static', '-pthread', '-s']) },
  'mimalloc-strings-stripped': { sources: { 'm.c': MIMALLOC_STRINGS }, steps: cc('musl-gcc', 'm.c', ['-static', '-s']) },
  'mentions-mimalloc-stripped': { sources: { 'm.c': MENTIONS_MIMALLOC }, steps: cc('musl-gcc', 'm.c', ['-static', '-s']) },
  // Dynamic links against stub libraries named like the real allocators: exercises DT_NEEDED and .dynsym.
  'jemalloc-dynamic': {
    sources: { 'je.c': STUB_LIB('mallocx'), 'use.c': USE_LIB('mallocx') },
    steps: (dir: string, out: string): Step[] => [
      { tool: 'gcc', args: ['-shared', '-fPIC', '-Wl,-soname,libjemalloc.so.2', '-o', join(dir, 'libjemalloc.so.2'), join(dir, 'je.c')] },
      { tool: 'gcc', args: ['-o', out, join(dir, 'use.c'), join(dir, 'libjemalloc.so.2')] },
    ],
  },
  'mimalloc-dynamic': {
    sources: { 'mi.c': STUB_LIB('mi_malloc'), 'use.c': USE_LIB('mi_malloc') },
    steps: (dir: string, out: string): Step[] => [
      { tool: 'gcc', args: ['-shared', '-fPIC', '-Wl,-soname,libmimalloc.so.2', '-o', join(dir, 'libmimalloc.so.2'), join(dir, 'mi.c')] },
      { tool: 'gcc', args: ['-o', out, join(dir, 'use.c'), join(dir, 'libmimalloc.so.2')] },
    ],
  },
  // No 32-bit libc is needed: a freestanding _start is enough for a real ELF32 executable/library.
  'i386-static': { sources: { 's.c': START32 }, steps: cc('gcc', 's.c', ['-m32', '-nostdlib', '-static', '-fno-pie', '-no-pie']) },
  'i386-shared': { sources: { 's.c': START32 }, steps: cc('gcc', 's.c', ['-m32', '-nostdlib', '-shared', '-fPIC', '-Wl,-soname,libi386fixture.so.1']) },
  'rust-threads-stripped': {
    sources: { 'main.rs': RUST_THREADS },
    steps: (dir: string, out: string): Step[] => [{ tool: 'rustc', args: ['-O', '-C', 'strip=symbols', '-o', out, join(dir, 'main.rs')] }],
  },
  'rust-no-threads-stripped': {
    sources: { 'main.rs': RUST_NO_THREADS },
    steps: (dir: string, out: string): Step[] => [{ tool: 'rustc', args: ['-O', '-C', 'strip=symbols', '-o', out, join(dir, 'main.rs')] }],
  },
} satisfies Record<string, Spec>;

export type FixtureName = keyof typeof SPECS;
export const ALL_FIXTURES = Object.keys(SPECS) as FixtureName[];

// Fails with the install command when a tool is absent, instead of letting tests skip.
export function requireTool(tool: string): void {
  try {
    execFileSync(tool, ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error(`ELF test fixtures need \`${tool}\`, which is not installed: ${HINT[tool] ?? `install ${tool}`}`);
  }
}

export interface Fixtures {
  dir: string;
  path(name: FixtureName): string;
  bytes(name: FixtureName): Uint8Array;
  cleanup(): void;
}

// Compiles the requested fixtures into a fresh temp dir (call from beforeAll; cleanup in afterAll).
export function buildFixtures(names: readonly FixtureName[] = ALL_FIXTURES): Fixtures {
  const dir = mkdtempSync(join(tmpdir(), 'bs-elf-fixtures-'));
  const built = new Map<FixtureName, string>();
  for (const name of names) {
    const spec: Spec = SPECS[name];
    const sub = mkdtempSync(join(dir, `${name}-`));
    for (const f of spec.needsFiles ?? []) {
      if (!existsSync(f)) throw new Error(`ELF fixture "${name}" needs ${f}, which is missing: ${HINT[f] ?? 'install the matching -dev package'}`);
    }
    for (const [file, text] of Object.entries(spec.sources)) writeFileSync(join(sub, file), text);
    const out = join(sub, name);
    for (const step of spec.steps(sub, out)) {
      requireTool(step.tool);
      try {
        execFileSync(step.tool, step.args, { cwd: sub, stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (e) {
        const stderr = (e as { stderr?: Buffer }).stderr?.toString() ?? '';
        throw new Error(`building ELF fixture "${name}" failed: ${step.tool} ${step.args.join(' ')}\n${stderr}`);
      }
    }
    built.set(name, out);
  }
  const path = (name: FixtureName) => {
    const p = built.get(name);
    if (!p) throw new Error(`fixture "${name}" was not built; pass it to buildFixtures()`);
    return p;
  };
  return {
    dir,
    path,
    bytes: (name) => new Uint8Array(readFileSync(path(name))),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

// Runs readelf (test-only cross-check of the parser) and returns its stdout.
export function readelf(args: string[], file: string): string {
  requireTool('readelf');
  return execFileSync('readelf', ['-W', ...args, file], { encoding: 'utf8' });
}
