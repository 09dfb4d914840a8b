// Commands, flags and arguments: every mistake is exit 2 with one line, before any work is done.
import type { SweepCase } from './harness.ts';
import { app, files } from './fixtures.ts';

const COMMANDS = /commands: build, plan, cook, inspect, bundle, image, dockerfile, doctor, help/;
const NEEDS_ONE_DIR = /takes one (project )?directory, got 2/;

export const CLI_CASES: SweepCase[] = [
  { name: 'unknown command frobnicate', args: () => ['frobnicate'], code: 2, message: /unknown command "frobnicate"; commands: build, plan/ },
  { name: 'unknown command verify', setup: app(), args: () => ['verify'], code: 2, message: COMMANDS },
  { name: 'misspelt command biuld', setup: app(), args: () => ['biuld', '--platform', 'linux/amd64'], code: 2, message: /unknown command "biuld"/ },
  { name: 'unknown command with --json', args: () => ['frobnicate', '--json'], code: 2, message: /unknown command "frobnicate"/ },
  { name: 'help for an unknown command', args: () => ['help', 'frobnicate'], code: 2, message: /unknown command "frobnicate"/ },
  { name: 'help for a misspelt command', args: () => ['help', 'biuld'], code: 2, message: COMMANDS },
  { name: 'build: unknown flag', setup: app(), args: () => ['build', '--platfrom', 'linux/amd64'], code: 2, message: /unknown option '--platfrom'.*build-static build --help/i },
  { name: 'build: --out without a value', setup: app(), args: () => ['build', '--out'], code: 2, message: /argument missing/i },
  { name: 'build: two directories', setup: app(), args: () => ['build', '.', 'mydata'], code: 2, message: NEEDS_ONE_DIR },
  { name: 'plan: two directories', setup: app(), args: () => ['plan', '.', 'mydata'], code: 2, message: NEEDS_ONE_DIR },
  { name: 'cook: two directories', setup: app(), args: () => ['cook', '.', 'mydata'], code: 2, message: NEEDS_ONE_DIR },
  { name: 'image: two directories', setup: app(), args: () => ['image', '.', 'mydata'], code: 2, message: NEEDS_ONE_DIR },
  { name: 'dockerfile: two directories', setup: app(), args: () => ['dockerfile', '.', 'mydata'], code: 2, message: NEEDS_ONE_DIR },
  { name: 'bundle: only one argument', args: () => ['bundle', '/bin/true'], code: 2, message: /EXE… OUT/ },
  { name: 'inspect: no file', args: () => ['inspect'], code: 2, message: /inspect needs at least one file/ },
  { name: 'inspect: unknown --require', args: () => ['inspect', '/bin/true', '--require', 'tiny'], code: 2, message: /unknown requirement "tiny"/ },
  { name: '--platform with an empty item', setup: app(), args: () => ['build', '--platform', 'linux/amd64,,'], code: 2, message: /--platform "linux\/amd64,," has an empty item/ },
  { name: '--platform of only a comma', setup: app(), args: () => ['build', '--platform', ','], code: 2, message: /has an empty item/ },
  { name: '--platform riscv64', setup: app(), args: () => ['build', '--platform', 'linux/riscv64'], code: 2, message: /unknown platform "linux\/riscv64": supported platforms are/ },
  { name: 'image: --platform with an empty item', setup: app(), args: () => ['image', '--platform', 'linux/arm64,,linux/amd64'], code: 2, message: /has an empty item/ },
  { name: 'build: unknown --allocator', setup: app(), args: () => ['build', '--allocator', 'tcmalloc', '--platform', 'linux/amd64'], code: 2, message: /allocator.*tcmalloc/ },
  { name: 'build: unknown --std', setup: app(), args: () => ['build', '--std', 'magic', '--platform', 'linux/amd64'], code: 2, message: /magic/ },
  { name: 'build: unknown --bin', setup: app(), args: () => ['build', '--bin', 'nope', '--platform', 'linux/amd64'], code: 2, message: /no binary named "nope": available binaries are app/ },
  { name: 'image: --push without --tag', setup: app(), args: () => ['image', '--push'], code: 2, message: /--push needs --tag/ },
  { name: 'image: malformed --tag', setup: app(), args: () => ['image', '--tag', 'Bad Ref!'], code: 2, message: /Bad Ref!/ },
  { name: 'bundle: --max-size not a number', args: () => ['bundle', '/bin/true', 'out', '--max-size', 'big'], code: 2, message: /--max-size must be a number/ },
  { name: 'bundle: --oci-layout without --image', args: () => ['bundle', '/bin/true', 'out', '--oci-layout', 'img'], code: 2, message: /--oci-layout needs --image/ },
  { name: 'dockerfile: --force without --out', setup: app(), args: () => ['dockerfile', '--force'], code: 2, message: /--force only applies with --out/ },
  { name: 'dockerfile: unknown --cargo-cache', setup: app(), args: () => ['dockerfile', '--cargo-cache', 'disk'], code: 2, message: /disk/ },
  { name: 'dockerfile: malformed --chef-image', setup: app(), args: () => ['dockerfile', '--chef-image', 'no-tag'], code: 2, message: /chef-image|no-tag/ },
  { name: 'build: unknown --engine', setup: app(), args: () => ['build', '--engine', 'kaniko', '--tag', 'x/y:1'], code: 2, message: /kaniko/ },
  { name: 'build: --engine with --out', setup: app(), args: () => ['build', '--engine', 'podman', '--tag', 'x/y:1', '--out', 'mydata'], code: 2, message: /--out/ },
  {
    name: 'the working directory was deleted',
    args: () => ['build'],
    runtime: () => ['sh', '-c', 'mkdir gone && cd gone && rmdir ../gone && exec "$@"', 'sh', process.execPath],
    code: 2,
    message: /the current directory no longer exists.*cd into an existing directory/,
  },
  { name: 'a file given as the project directory', setup: files({ 'notes.txt': 'x\n' }), args: () => ['build', 'notes.txt'], code: 2, message: /notes\.txt is not a directory/ },
];
