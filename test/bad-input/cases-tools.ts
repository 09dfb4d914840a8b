// Inputs the helpers and cargo judge: ELF files for inspect and bundle, flags only cargo checks
// (still exit 2: bad input whoever detects it), and a registry port fetch refuses.
import type { SweepCase } from './harness.ts';
import { all, app, APP_TOML, files, pnXnumElf, tool } from './fixtures.ts';

const AMD64 = ['--platform', 'linux/amd64'];

export const TOOL_CASES: SweepCase[] = [
  { name: 'inspect: an ELF with e_phnum = PN_XNUM passes no --require', setup: pnXnumElf(), args: () => ['inspect', 'xnum', '--require', 'static'], code: 4, message: /does not meet --require .*PN_XNUM/, prefix: 'build-static: xnum' },
  { name: 'inspect: PN_XNUM with --require alpine', setup: pnXnumElf(), args: () => ['inspect', 'xnum', '--require', 'alpine'], code: 4, message: /does not meet --require .*PN_XNUM/, prefix: 'build-static: xnum' },
  { name: 'inspect: a text file', setup: files({ 'notes.txt': 'hello\n' }), args: () => ['inspect', 'notes.txt'], code: 2, message: /notes\.txt|not an ELF/i },
  { name: 'inspect: a missing file', args: () => ['inspect', 'missing'], code: 2, message: /missing/ },
  { name: 'inspect: a directory', setup: files({ 'd/x': '' }), args: () => ['inspect', 'd'], code: 2, message: /\bd\b/ },
  { name: 'inspect: a truncated ELF', setup: files({ 'trunc': '\x7fELF\x02\x01\x01' }), args: () => ['inspect', 'trunc'], code: 2, message: /truncated|too short|ELF/i },
  { name: 'inspect: a dynamic program --require static', setup: tool(), args: () => ['inspect', 'mytool', '--require', 'static'], code: 4, message: /does not meet --require static: dynamic/, prefix: 'build-static: mytool' },
  { name: 'bundle: a text file as EXE', setup: files({ 'notes.txt': 'hello\n' }), args: () => ['bundle', 'notes.txt', 'out'], code: 2, message: /notes\.txt/ },
  { name: 'bundle: a missing EXE', args: () => ['bundle', 'nope', 'out'], code: 2, message: /nope/ },
  { name: 'bundle: a directory as EXE', setup: files({ 'd/x': '' }), args: () => ['bundle', 'd', 'out'], code: 2, message: /d is a directory, not an executable/ },
  { name: 'build: an unknown --profile (cargo finds it)', setup: app(), args: () => ['build', ...AMD64, '--profile', 'nope'], code: 2, message: /cargo has no profile "nope"/ },
  { name: 'build: an unknown --features (cargo finds it)', setup: app(), args: () => ['build', ...AMD64, '--features', 'zzz'], code: 2, message: /does not (contain|have) .*zzz.*--features/ },
  { name: 'build: a garbage Cargo.lock (cargo finds it)', setup: app('.', { 'Cargo.lock': 'garbage\n' }), args: () => ['build', ...AMD64], code: 2, message: /failed to parse lock file at .*Cargo\.lock.*fix or delete Cargo\.lock/ },
  { name: 'image: a registry on a port fetch refuses (6000)', setup: app(), args: () => ['image', ...AMD64, '--base', '127.0.0.1:6000/base:1', '--dry-run'], code: 1, message: /bad port.*another port/ },
  { name: 'build: features in Cargo.toml that do not exist', setup: app('.', { 'Cargo.toml': `${APP_TOML}[package.metadata.build-static]\nfeatures = ["ghost"]\n` }), args: () => ['build', ...AMD64], code: 2, message: /ghost/ },
  { name: 'dockerfile: --bin that does not exist', setup: all(app()), args: () => ['dockerfile', '--bin', 'ghost'], code: 2, message: /no binary named "ghost"/ },
];
