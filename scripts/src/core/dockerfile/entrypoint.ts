// Which binary an image runs. An image has one ENTRYPOINT, but a package may have several
// binaries: all of them go into the image, and the entrypoint is the one cargo itself treats as
// the package's main binary (named like the package). Anything else is ambiguous: ask for --bin.
import type { BinaryTarget } from '../cargo/binaries.ts';
import { BuildStaticError } from '../../errors.ts';

// Picks the entrypoint among the selected binaries, or throws USAGE naming the choices.
export function entrypointOf(binaries: readonly BinaryTarget[]): BinaryTarget {
  const [first] = binaries;
  if (!first) throw new BuildStaticError('NO_BINARY_TARGET', 'no binary selected: pass --bin NAME');
  if (binaries.length === 1) return first;
  const packages = new Set(binaries.map((b) => b.package));
  const main = binaries.find((b) => b.name === b.package);
  if (packages.size === 1 && main) return main;
  throw new BuildStaticError('USAGE', `an image has one entrypoint and the binaries ${binaries.map((b) => b.name).join(', ')} come from ${packages.size > 1 ? 'several packages' : `package ${first.package}, none named like it`}: pass --bin with one of them`);
}
