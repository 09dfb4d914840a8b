// Every path build-static writes, aimed at things it did not write: the project, the cwd, $HOME,
// a user's file or directory, a device, an input. Each is refused with one line (naming --force
// when that would help) and nothing is touched — the data-loss cases of issue #14.
import { join } from 'node:path';
import type { SweepCase } from './harness.ts';
import { all, app, files, link, recipe, tool } from './fixtures.ts';

const AMD64 = ['--platform', 'linux/amd64'];
const CWD = /is the current directory: build-static never replaces it, not even with --force/;
const HOLDS_CWD = /holds the current directory: build-static never replaces it/;
const NOT_DIR = /exists and is not a directory: .*never replaces a file, not even with --force/;
const NOT_FILE = /exists and is not a regular file/;
const NOT_OURS = /already exists and is not build-static's own output.*pass --force to replace it/;
const EMPTY = /is empty \(an unset variable\?\)/;
const INPUT = /(is|holds) .*an input of this command: build-static never replaces it/;
// $HOME moved into the case's directory; cargo, rustup and build-static's caches stay where they are.
const realHome = process.env.HOME ?? '/root';
const fakeHome = (d: string) => ({
  ...process.env,
  HOME: join(d, 'home'),
  CARGO_HOME: process.env.CARGO_HOME ?? `${realHome}/.cargo`,
  RUSTUP_HOME: process.env.RUSTUP_HOME ?? `${realHome}/.rustup`,
  BUILD_STATIC_CACHE: process.env.BUILD_STATIC_CACHE ?? `${process.env.XDG_CACHE_HOME ?? `${realHome}/.cache`}/build-static`,
});

const build = (...a: string[]) => () => ['build', ...AMD64, ...a];
const image = (...a: string[]) => () => ['image', ...AMD64, '--base', 'scratch', ...a];

// The same hostile targets for every writer: [target, message, also with --force?]. notes.txt and
// mydata/ hold the user's files; plan -o mydata used to leave mydata.tmp-<pid>-<rand> behind.
type Target = readonly [string, RegExp, boolean];
const DIR_TARGETS: Target[] = [['.', CWD, true], ['', EMPTY, true], ['notes.txt', NOT_DIR, true], ['/dev/null', NOT_DIR, true], ['mydata', NOT_OURS, false]];
const FILE_TARGETS: Target[] = [['.', CWD, true], ['', EMPTY, true], ['mydata', NOT_FILE, true], ['/dev/null', NOT_FILE, true], ['notes.txt', NOT_OURS, false]];
const WRITERS: ReadonlyArray<readonly [string, (target: string) => string[], Target[]]> = [
  ['build --out', (t) => build('--out', t)(), DIR_TARGETS],
  ['image --oci-layout', (t) => image('--oci-layout', t)(), DIR_TARGETS],
  ['image --tarball', (t) => image('--tarball', t)(), FILE_TARGETS],
  ['plan -o', (t) => ['plan', '-o', t], FILE_TARGETS],
  ['dockerfile --out', (t) => ['dockerfile', '--out', t], FILE_TARGETS],
  // Refused before any build or run: the chart is claimed first.
  ['matrix --svg', (t) => ['matrix', '--exe', 'a=/bin/true', '--svg', t], FILE_TARGETS],
];
const MATRIX: SweepCase[] = WRITERS.flatMap(([writer, argsFor, targets]) =>
  targets.flatMap(([target, message, withForce]) =>
    (withForce ? [[], ['--force']] : [[]]).map((force): SweepCase => ({
      name: `${writer} ${JSON.stringify(target)} ${force.join(' ')}`.trim(),
      setup: app(),
      args: () => [...argsFor(target), ...force],
      code: 2,
      message,
    })),
  ),
);

export const OUTPUT_CASES: SweepCase[] = [
  ...MATRIX,
  // build --out
  { name: 'build . --out . (the project, the cwd)', setup: app(), args: build('.', '--out', '.'), code: 2, message: CWD },
  { name: 'build --out src (the sources)', setup: app(), args: build('--out', 'src'), code: 2, message: NOT_OURS },
  { name: 'build --out .. (a parent of the cwd)', setup: app('proj'), cwd: (d) => join(d, 'proj'), args: build('--out', '..'), code: 2, message: HOLDS_CWD },
  { name: 'build --out / --force', setup: app(), args: build('--out', '/', '--force'), code: 2, message: /is the root directory/ },
  { name: 'build --out $HOME --force', setup: all(app(), files({ 'home/.profile': 'x\n' })), env: fakeHome, args: (d) => build('--out', join(d, 'home'), '--force')(), code: 2, message: /is your home directory/ },
  { name: 'build proj --out proj (the project, not the cwd)', setup: app('proj'), args: build('proj', '--out', 'proj', '--force'), code: 2, message: INPUT },
  { name: 'build proj --out . (holds the project)', setup: app('proj'), args: build('proj', '--out', '.', '--force'), code: 2, message: CWD },
  { name: 'build --out target (cargo\'s target dir)', setup: all(app(), files({ 'target/keep': 'x\n' })), args: build('--out', 'target', '--force'), code: 2, message: INPUT },
  { name: 'build --out Cargo.toml', setup: app(), args: build('--out', 'Cargo.toml', '--force'), code: 2, message: INPUT },
  { name: 'build --out a symlink to a directory', setup: all(app(), link('mydata', 'out-link')), args: build('--out', 'out-link', '--force'), code: 2, message: /is a symlink/ },
  { name: 'build --out an OUT with a forged build-static.json and user files', setup: all(app(), files({ 'out/build-static.json': '{"schemaVersion":1,"outputs":[]}', 'out/thesis.tex': 'x\n' })), args: build('--out', 'out'), code: 2, message: NOT_OURS },
  { name: 'build --dry-run --out notes.txt', setup: app(), args: build('--dry-run', '--out', 'notes.txt'), code: 2, message: NOT_DIR },
  { name: 'image shorthand --out .', setup: app(), args: () => ['.', ...AMD64, '--out', '.'], code: 2, message: CWD },
  // image --oci-layout / --tarball
  { name: 'image --oci-layout with a foreign file beside an oci-layout', setup: all(app(), files({ 'img/oci-layout': '{"imageLayoutVersion":"1.0.0"}', 'img/index.json': '{"manifests":[]}', 'img/mine.txt': 'x\n' })), args: image('--oci-layout', 'img'), code: 2, message: NOT_OURS },
  { name: 'image --oci-layout the --base layout (an input)', setup: all(app(), files({ 'base/oci-layout': '{"imageLayoutVersion":"1.0.0"}' })), args: () => ['image', ...AMD64, '--base', 'oci-layout:base', '--oci-layout', 'base', '--force'], code: 2, message: INPUT },
  { name: 'image --tarball Cargo.toml --force', setup: app(), args: image('--tarball', 'Cargo.toml', '--force'), code: 2, message: INPUT },
  // plan -o
  { name: 'plan -o Cargo.toml --force', setup: app(), args: () => ['plan', '-o', 'Cargo.toml', '--force'], code: 2, message: INPUT },
  { name: 'plan -o Cargo.lock --force', setup: app(), args: () => ['plan', '-o', 'Cargo.lock', '--force'], code: 2, message: INPUT },
  { name: 'plan -o a symlink', setup: all(app(), link('notes.txt', 'r.json')), args: () => ['plan', '-o', 'r.json', '--force'], code: 2, message: /is a symlink/ },
  // dockerfile --out
  { name: 'dockerfile --out Cargo.toml --force', setup: app(), args: () => ['dockerfile', '--out', 'Cargo.toml', '--force'], code: 2, message: INPUT },
  { name: 'dockerfile --out beside a user .dockerignore', setup: all(app(), files({ '.dockerignore': 'mine\n' })), args: () => ['dockerfile', '--out', 'Dockerfile'], code: 2, message: /\.dockerignore .*already exists.*--force/ },
  // cook's skeleton
  { name: 'cook over src/main.rs with no Cargo.toml', setup: all(recipe(), files({ 'src/main.rs': 'fn main() { println!("my work"); }\n' })), args: () => ['cook', ...AMD64], code: 2, message: /cook would overwrite src\/main\.rs .*--force/ },
  { name: 'cook --dry-run over src/main.rs with no Cargo.toml', setup: all(recipe(), files({ 'src/main.rs': 'fn main() { println!("my work"); }\n' })), args: () => ['cook', ...AMD64, '--dry-run'], code: 2, message: /cook would overwrite src\/main\.rs/ },
  { name: 'cook over a Cargo.lock of another project', setup: all(recipe(), files({ 'Cargo.lock': '# mine\n' })), args: () => ['cook', ...AMD64, '--dry-run'], code: 2, message: /cook would overwrite Cargo\.lock/ },
  { name: 'cook: a missing recipe', setup: app(), args: () => ['cook', ...AMD64, '--recipe', 'nope.json'], code: 2, message: /nope\.json/ },
  { name: 'cook: a corrupt recipe', setup: all(app(), files({ 'r.json': '{"skeleton": 5' })), args: () => ['cook', ...AMD64, '--recipe', 'r.json'], code: 2, message: /r\.json/ },
  { name: 'cook: a recipe of another project', setup: all(recipe(), app('other', { 'Cargo.toml': '[package]\nname = "other"\nversion = "0.1.0"\nedition = "2021"\n' })), args: () => ['cook', 'other', ...AMD64, '--recipe', 'recipe.json', '--dry-run'], code: 2, message: /was made for another project/ },
  // bundle OUT
  { name: 'bundle ./mytool . --force (deleted its input)', setup: all(tool(), files({ 'notes.txt': 'x\n' })), args: () => ['bundle', './mytool', '.', '--force'], code: 2, message: CWD },
  { name: 'bundle ./mytool . --force --json', setup: all(tool(), files({ 'notes.txt': 'x\n' })), args: () => ['bundle', './mytool', '.', '--force', '--json'], code: 2, message: CWD },
  { name: 'bundle ./mytool .', setup: tool(), args: () => ['bundle', './mytool', '.'], code: 2, message: CWD },
  { name: 'bundle bin/mytool bin --force (OUT holds the input)', setup: all(tool('bin/mytool'), files({ 'bin/README': 'x\n' })), args: () => ['bundle', 'bin/mytool', 'bin', '--force'], code: 2, message: INPUT },
  { name: 'bundle mytool notes.txt (a file)', setup: all(tool(), files({ 'notes.txt': 'x\n' })), args: () => ['bundle', 'mytool', 'notes.txt', '--force'], code: 2, message: NOT_DIR },
  { name: 'bundle mytool mydata (not empty)', setup: all(tool(), files({ 'mydata/a': 'x\n' })), args: () => ['bundle', 'mytool', 'mydata'], code: 2, message: /mydata is not empty: .*--force/ },
  { name: 'bundle mytool ""', setup: tool(), args: () => ['bundle', 'mytool', ''], code: 2, message: EMPTY },
  { name: 'bundle mytool $HOME --force', setup: all(tool(), files({ 'home/.profile': 'x\n' })), env: fakeHome, args: (d) => ['bundle', 'mytool', join(d, 'home'), '--force'], code: 2, message: /is your home directory/ },
  { name: 'bundle mytool /dev/null', setup: tool(), args: () => ['bundle', 'mytool', '/dev/null', '--force'], code: 2, message: NOT_DIR },
  { name: 'bundle --image --oci-layout notes.txt', setup: all(tool(), files({ 'notes.txt': 'x\n' })), args: () => ['bundle', 'mytool', 'out', '--image', 'x/y:1', '--oci-layout', 'notes.txt'], code: 2, message: NOT_DIR },
  { name: 'bundle --image --tarball mydata', setup: all(tool(), files({ 'mydata/a': 'x\n' })), args: () => ['bundle', 'mytool', 'out', '--image', 'x/y:1', '--tarball', 'mydata'], code: 2, message: NOT_FILE },
  { name: 'bundle --image --oci-layout OUT itself', setup: tool(), args: () => ['bundle', 'mytool', 'out', '--image', 'x/y:1', '--oci-layout', 'out'], code: 2, message: INPUT },
];
