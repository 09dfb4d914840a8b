// cargo's one-line reason: the `error:` line plus every `Caused by:` block, as cargo prints them.
import { expect, test } from 'vitest';
import { firstCargoError } from '../../../scripts/src/core/cargo/metadata.ts';

test.each([
  ['error: failed to parse manifest at `/p/Cargo.toml`\n\nCaused by:\n  manifest is missing either a `[package]` or a `[workspace]`\n', 'failed to parse manifest at `/p/Cargo.toml`: manifest is missing either a `[package]` or a `[workspace]`'],
  ['error: failed to parse manifest at `/p/Cargo.toml`\n\nCaused by:\n  no targets specified in the manifest\n  either src/lib.rs, src/main.rs, a [lib] section, or [[bin]] section must be present\n', 'failed to parse manifest at `/p/Cargo.toml`: no targets specified in the manifest either src/lib.rs, src/main.rs, a [lib] section, or [[bin]] section must be present'],
  ['error: failed to load manifest for workspace member `/p/a`\n\nCaused by:\n  failed to read `/p/a/Cargo.toml`\n\nCaused by:\n  No such file or directory (os error 2)\n', 'failed to load manifest for workspace member `/p/a`: failed to read `/p/a/Cargo.toml`: No such file or directory (os error 2)'],
  ['error: profile `nope` is not defined\n', 'profile `nope` is not defined'],
  ['warning: x\n', undefined],
])('%#', (stderr, line) => {
  expect(firstCargoError(stderr)).toBe(line);
});
