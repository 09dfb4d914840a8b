// .dep-v0 end to end without Rust: the fixture crate graph as cargo-auditable JSON, assembled into
// an object by each target's real GNU compiler, linked into a static C program with
// --gc-sections and -s (the section survives through the --undefined reference), read back by
// auditData; and the ways a broken section is reported.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { auditData, parseElf } from '../../scripts/src/elf/index.ts';
import { AUDITABLE_SYMBOL, auditableAssembly, auditableJson } from '../../scripts/src/core/sbom/auditable.ts';
import { crateGraph } from '../../scripts/src/core/sbom/graph.ts';
import { METADATA, ROOT } from '../core/sbom/fixtures.ts';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bs-dep-v0-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

const json = auditableJson(crateGraph(METADATA, ROOT));

test('the JSON: sorted packages, indices, kind build, one root', () => {
  const { packages } = JSON.parse(json);
  expect(packages.map((p: { name: string }) => p.name)).toEqual(['a', 'app', 'b', 'd', 'e', 'f']);
  expect(packages[1]).toEqual({ name: 'app', version: '0.1.0', source: 'local', dependencies: [0, 2], root: true });
  expect(packages[2]).toEqual({ name: 'b', version: '1.0.0', source: 'crates.io', kind: 'build', dependencies: [4, 5] });
  expect(packages.filter((p: { root?: boolean }) => p.root)).toHaveLength(1);
});

test.each([['x86_64', 'gcc'], ['aarch64', 'aarch64-linux-gnu-gcc']])('%s: linked with --gc-sections and -s, the section is kept and reads back', async (arch, cc) => {
  const asm = join(dir, `${arch}.s`);
  await writeFile(asm, auditableAssembly(json));
  await writeFile(join(dir, 'main.c'), 'int main(void) { return 0; }\n');
  execFileSync(cc, ['-c', asm, '-o', join(dir, `${arch}.o`)]);
  const exe = join(dir, `${arch}-app`);
  execFileSync(cc, ['-static', '-O2', '-ffunction-sections', '-Wl,--gc-sections', '-s', join(dir, 'main.c'), join(dir, `${arch}.o`), `-Wl,--undefined=${AUDITABLE_SYMBOL}`, '-o', exe]);
  const bytes = new Uint8Array(await readFile(exe));
  const elf = parseElf(bytes);
  expect(elf.machineName).toBe(arch);
  expect(auditData(bytes, elf)).toEqual(JSON.parse(json));
  // Without the reference, --gc-sections drops it: the flag is what keeps it.
  execFileSync(cc, ['-static', '-Wl,--gc-sections', '-s', join(dir, 'main.c'), join(dir, `${arch}.o`), '-o', `${exe}-gc`]);
  const gc = new Uint8Array(await readFile(`${exe}-gc`));
  expect(auditData(gc, parseElf(gc))).toBeUndefined();
});

test('a section that is not zlib, or not the format, is reported', async () => {
  const build = async (name: string, payload: Uint8Array) => {
    const asm = join(dir, `${name}.s`);
    await writeFile(asm, `\t.section .dep-v0,"a",@progbits\n\t.byte ${[...payload].join(',')}\n\t.section .note.GNU-stack,"",@progbits\n`);
    execFileSync('gcc', ['-c', asm, '-o', join(dir, `${name}.o`)]);
    const bytes = new Uint8Array(await readFile(join(dir, `${name}.o`)));
    return () => auditData(bytes, parseElf(bytes));
  };
  expect(await build('raw', new TextEncoder().encode('{"packages":[]}'))).toThrow('the .dep-v0 section is not zlib-compressed UTF-8');
  expect(await build('nolist', deflateSync('{"crates":[]}'))).toThrow('the .dep-v0 JSON has no "packages" list');
  expect((await build('ok', deflateSync('{"packages":[{"name":"x","version":"1.0.0","source":{"Other":"svn"}}]}')))()).toEqual({ packages: [{ name: 'x', version: '1.0.0', source: 'svn' }] });
});
