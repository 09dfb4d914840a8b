// The resolve graph the rust-version scan reads (`cargo metadata --filter-platform` for the first
// target, before the toolchain is chosen) is the same query the SBOM of that target makes: build
// reuses it instead of running cargo again while cargo compiles. Real cargo on examples/allowlist.
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { resolveBuild } from '../../../scripts/src/core/build/resolve.ts';
import type { PlanInput } from '../../../scripts/src/core/build/plan.ts';
import { platformMetadata } from '../../../scripts/src/core/sbom/sbom.ts';
import { BuildStaticError } from '../../../scripts/src/errors.ts';
import { REPO } from '../../helpers/cli.ts';

const project = join(REPO, 'examples', 'allowlist');
let input: PlanInput;

beforeAll(async () => {
  input = await resolveBuild(project, { platforms: ['linux/amd64', 'linux/arm64'] });
});

describe('scannedMetadata', () => {
  test('the scan of the first platform is kept with its argv and RUSTC', () => {
    expect(input.scannedMetadata).toHaveLength(1);
    const scanned = input.scannedMetadata![0]!;
    expect(scanned.argv).toEqual(expect.arrayContaining(['--filter-platform', 'x86_64-unknown-linux-musl', '--locked']));
    expect(scanned.rustc).toBe(input.toolchains[0]!.rust.toolchain.rustc);
    expect(scanned.meta.packages.some((p) => p.name === 'axum')).toBe(true);
  });

  test('the first platform gets that graph; the second asks cargo for its own', async () => {
    const [amd64, arm64] = input.toolchains;
    expect(await platformMetadata(input, amd64!)).toBe(input.scannedMetadata![0]!.meta);
    const other = await platformMetadata(input, arm64!);
    expect(other).not.toBe(input.scannedMetadata![0]!.meta);
    expect(other.packages.some((p) => p.name === 'axum')).toBe(true);
  });

  // A cargo that cannot start proves whether cargo ran: the scan is reused only for the same query.
  test('a different query (features, cargo) is not answered from the scan', async () => {
    const tc = input.toolchains[0]!;
    const broken = { ...tc, rust: { ...tc.rust, toolchain: { ...tc.rust.toolchain, cargo: '/nonexistent/cargo' } } };
    const error = await platformMetadata(input, broken).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BuildStaticError);
    expect((error as BuildStaticError).code).toBe('CARGO_METADATA_FAILED');
    const withFeatures = { ...input, config: { ...input.config, features: ['nonexistent-feature'] } };
    expect(await platformMetadata(withFeatures, tc).catch((e: unknown) => (e as BuildStaticError).code)).toBe('CARGO_METADATA_FAILED');
  });
});
