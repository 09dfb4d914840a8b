// Verdicts for glibc bases on the linkage a Rust glibc build has: libgcc_s.so.1 is NEEDED, and
// distroless/cc and debian-slim both ship it (the matrix found the old "no" wrong for both).
import { describe, expect, test } from 'vitest';
import { runImageVerdicts } from '../../../scripts/src/core/inspect/verdicts.ts';

const ok = (needed: string[], interpreter = '/lib64/ld-linux-x86-64.so.2', glibcFloor = 'GLIBC_2.34') =>
  Object.fromEntries(runImageVerdicts({ linkage: { kind: 'dynamic', interpreter, needed }, glibcFloor, glibcOnly: [] }).map((v) => [v.image, v.ok]));

describe('runImageVerdicts on glibc bases', () => {
  test('a Rust glibc build (libgcc_s + libc) runs on distroless-cc and debian-slim', () => {
    expect(ok(['libgcc_s.so.1', 'libm.so.6', 'libc.so.6'])).toMatchObject({ scratch: false, alpine: false, 'distroless-cc': true, 'debian-slim': true });
  });
  test('libstdc++ is on debian-slim, not on distroless-cc', () => {
    expect(ok(['libstdc++.so.6', 'libc.so.6'])).toMatchObject({ 'distroless-cc': false, 'debian-slim': true });
  });
  test('a glibc newer than Debian 12 fails both', () => {
    expect(ok(['libc.so.6'], undefined, 'GLIBC_2.39')).toMatchObject({ 'distroless-cc': false, 'debian-slim': false });
  });
  test('a dynamic musl build needing libgcc_s fails plain Alpine and every glibc base', () => {
    expect(ok(['libgcc_s.so.1', 'libc.so'], '/lib/ld-musl-x86_64.so.1', '')).toMatchObject({ alpine: false, 'distroless-cc': false, 'debian-slim': false });
  });
  test('alpine+libgcc: a dynamic musl build with libgcc_s runs there; glibc builds and other libraries do not', () => {
    expect(ok(['libgcc_s.so.1', 'libc.so'], '/lib/ld-musl-aarch64.so.1', '')).toMatchObject({ 'alpine+libgcc': true });
    expect(ok(['libgcc_s.so.1', 'libc.so.6'])).toMatchObject({ 'alpine+libgcc': false });
    expect(ok(['libssl.so.3', 'libgcc_s.so.1', 'libc.so'], '/lib/ld-musl-x86_64.so.1', '')).toMatchObject({ 'alpine+libgcc': false });
  });
});
