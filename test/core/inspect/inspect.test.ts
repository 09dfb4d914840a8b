// inspect and its run-image verdicts on real binaries built by the ELF fixture builder.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { glibcOnlyImports } from '../../../scripts/src/core/inspect/glibc-only.ts';
import { inspect, inspectFile } from '../../../scripts/src/core/inspect/inspect.ts';
import { buildFixtures, type Fixtures } from '../../elf/fixtures.ts';

let fx: Fixtures;
beforeAll(() => {
  fx = buildFixtures(['glibc-mallopt', 'musl-static-stripped', 'aarch64-musl-static', 'gnu-dynamic', 'runpath', 'mimalloc-strings-stripped']);
});
afterAll(() => fx.cleanup());

const verdictMap = (r: Awaited<ReturnType<typeof inspectFile>>) => Object.fromEntries(r.verdicts.map((v) => [v.image, v.ok]));

describe('inspectFile', () => {
  test('glibc program calling mallopt: fails on Alpine even with libc6-compat, names the symbol', async () => {
    const r = await inspectFile(fx.path('glibc-mallopt'));
    expect(r).toMatchObject({ linkage: 'dynamic', interpreter: '/lib64/ld-linux-x86-64.so.2', needed: ['libc.so.6'], allocator: 'glibc' });
    expect(r.glibcFloor).toMatch(/^GLIBC_2\.\d+$/);
    expect(r.glibcOnlySymbols.map((g) => g.symbol)).toContain('mallopt');
    expect(verdictMap(r)).toEqual({ scratch: false, alpine: false, 'alpine+libgcc': false, 'alpine+libc6-compat': false, 'distroless-cc': true, 'debian-slim': true });
    const compat = r.verdicts.find((v) => v.image === 'alpine+libc6-compat')!;
    expect(compat.reasons.join(' ')).toMatch(/symbol not found: mallopt/);
  });

  test('a plain glibc program runs on Alpine only with libc6-compat', async () => {
    const r = await inspectFile(fx.path('gnu-dynamic'));
    expect(r.glibcOnlySymbols).toEqual([]);
    expect(verdictMap(r)).toEqual({ scratch: false, alpine: false, 'alpine+libgcc': false, 'alpine+libc6-compat': true, 'distroless-cc': true, 'debian-slim': true });
  });

  test.each([
    ['musl-static-stripped', 'x86_64'],
    ['aarch64-musl-static', 'aarch64'],
  ] as const)('%s runs everywhere', async (name, machine) => {
    const r = await inspectFile(fx.path(name), 'static');
    expect(r.machine).toBe(machine);
    expect(r.linkage).toBe('static');
    expect(r.unmet).toEqual([]);
    expect(Object.values(verdictMap(r)).every(Boolean)).toBe(true);
  });

  test('RUNPATH, build-id and strip state are reported', async () => {
    const r = await inspectFile(fx.path('runpath'));
    expect(r.runpath).toEqual(['$ORIGIN/lib', '/opt/bs']);
    expect(r.stripped).toBe(false);
    expect(r.buildId).toMatch(/^[0-9a-f]{40}$/);
  });

  test.each([
    ['static', ['dynamic: needs the loader']],
    ['alpine', ['glibc executable: Alpine has no']],
    ['glibc>=2.17', ['needs GLIBC_2.']],
    ['glibc>=2.99', []],
  ])('--require %s on the mallopt program', async (require, unmet) => {
    const r = await inspectFile(fx.path('glibc-mallopt'), require);
    expect(r.unmet?.map((u) => u.slice(0, unmet[0]?.length ?? 0))).toEqual(unmet);
  });
});

test('inspect validates --require and needs a file', async () => {
  await expect(inspect([fx.path('gnu-dynamic')], 'musl')).rejects.toThrow(/unknown requirement "musl": use static, alpine or glibc>=2\.x/);
  await expect(inspect([])).rejects.toThrow(/inspect needs at least one file/);
});

test('glibcOnlyImports table', () => {
  expect(glibcOnlyImports(['malloc', 'mallopt', '__memcpy_chk', 'printf', '__res_nquery', 'gnu_get_libc_version']).map((g) => [g.symbol, g.compat])).toEqual([
    ['__memcpy_chk', true],
    ['__res_nquery', false],
    ['gnu_get_libc_version', true],
    ['mallopt', false],
  ]);
});
