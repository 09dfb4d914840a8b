// The run bases as tar entries, read from this machine's Debian packages (setup.sh installs musl
// and the arm64 cross libraries): each root holds what its stand-in holds, and the musl roots
// search libraries like Alpine's loader does, not like Debian's.
import { describe, expect, test } from 'vitest';
import { baseEntries, crossImagePath, LIBGCC_IMAGE_PATH, RUN_BASES, type BaseName, type MatrixArch } from '../../../scripts/src/core/matrix/bases.ts';

const base = (name: BaseName) => RUN_BASES.find((b) => b.name === name)!;
const paths = async (name: BaseName, arch: MatrixArch, libgcc?: string) => (await baseEntries(base(name), arch, libgcc)).map((e) => e.path);

describe('run bases', () => {
  test('scratch is empty; static adds only CA certificates and passwd/group', async () => {
    expect(await paths('scratch', 'amd64')).toEqual([]);
    expect(await paths('static', 'amd64')).toEqual(['/etc/group', '/etc/passwd', '/etc/ssl/certs/ca-certificates.crt']);
  });

  test.each([
    ['amd64', '/lib/ld-musl-x86_64.so.1'],
    ['arm64', '/lib/ld-musl-aarch64.so.1'],
  ] as const)('%s musl root has the loader and no Debian /etc/ld-musl-*.path, so /usr/lib is searched as on Alpine', async (arch, loader) => {
    const p = await paths('musl', arch);
    expect(p).toContain(loader);
    expect(p.filter((x) => x.startsWith('/etc/ld-musl-'))).toEqual([]);
  });

  test('musl+libgcc carries the stand-in at /usr/lib and refuses to be made without it', async () => {
    expect(await paths('musl+libgcc', 'amd64', '/etc/hostname')).toContain(LIBGCC_IMAGE_PATH);
    await expect(baseEntries(base('musl+libgcc'), 'amd64')).rejects.toThrow(/libgcc_s\.so\.1 stand-in/);
  });

  test('arm64 glibc comes from the cross packages, moved to where an arm64 Debian keeps it', async () => {
    expect(crossImagePath('/usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1')).toBe('/lib/ld-linux-aarch64.so.1');
    expect(crossImagePath('/usr/aarch64-linux-gnu/lib/libc.so.6')).toBe('/lib/aarch64-linux-gnu/libc.so.6');
    const p = await paths('distroless-cc', 'arm64');
    expect(p).toContain('/lib/ld-linux-aarch64.so.1');
    expect(p).toContain('/lib/aarch64-linux-gnu/libgcc_s.so.1');
  });

  test('entries are sorted by path, and debian-slim holds libstdc++', async () => {
    const entries = await baseEntries(base('debian-slim'), 'amd64');
    const sorted = [...entries.map((e) => e.path)].sort();
    expect(entries.map((e) => e.path)).toEqual(sorted);
    expect(entries.some((e) => e.path.includes('libstdc++'))).toBe(true);
  });
});
