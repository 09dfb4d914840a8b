// The failure classification table against the real messages each failure prints (copied from
// runs of the matrix and of glibc/musl loaders), and the started() rule for CLIs and servers.
import { describe, expect, test } from 'vitest';
import { classifyFailure, started } from '../../../scripts/src/core/matrix/classify.ts';

describe('classifyFailure', () => {
  test.each([
    ["/usr/sbin/chroot: failed to run command '/app': No such file or directory", 'missing-loader'],
    ["/.qemu-aarch64-static: Could not open '/lib/ld-linux-aarch64.so.1': No such file or directory", 'missing-loader'],
    ['/app: error while loading shared libraries: libgcc_s.so.1: cannot open shared object file: No such file or directory', 'missing-libgcc_s'],
    ['Error loading shared library libgcc_s.so.1: No such file or directory (needed by /app)', 'missing-libgcc_s'],
    ["/app: /lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.39' not found (required by /app)", 'glibc-version'],
    ['Error relocating /app: mallopt: symbol not found', 'symbol-not-found'],
    ['/app: error while loading shared libraries: libssl.so.3: cannot open shared object file: No such file or directory', 'missing-library'],
    ['error: invalid peer certificate: UnknownIssuer', 'missing-ca-certificates'],
    ['error: no such user nonroot in /etc/passwd', 'missing-user'],
    ['error: PORT is not a number', 'exit-code'],
  ] as const)('%s -> %s', (stderr, kind) => {
    const r = classifyFailure({ exitCode: 127, stdout: '', stderr });
    expect(r.kind).toBe(kind);
    expect(r.reason).toContain(stderr.slice(0, 20));
  });

  test('an empty stderr still names the exit code', () => {
    expect(classifyFailure({ exitCode: 2, stdout: '', stderr: '' })).toEqual({ kind: 'exit-code', reason: 'exit code 2' });
  });
});

describe('started', () => {
  test('a CLI starts when it exits 0', () => {
    expect(started({ exitCode: 0, stdout: 'x 1.0', stderr: '' })).toBe(true);
    expect(started({ exitCode: 1, stdout: '', stderr: '' })).toBe(false);
  });
  test('a server starts when it prints its ready line, whatever the exit after the stop', () => {
    expect(started({ exitCode: 124, stdout: 'allowlist listening on 127.0.0.1:4000\n', stderr: '' }, /listening on/)).toBe(true);
    expect(started({ exitCode: 0, stdout: '', stderr: '' }, /listening on/)).toBe(false);
  });
});
