// defineCommand's shared opening, in process: help with the exit codes appended, the one-positional
// limit, unknown flags as USAGE, and --json/--verbose set on the context only when declared.
import { describe, expect, test } from 'vitest';
import { defineCommand, OUTPUT_OPTIONS, type Parsed } from '../../scripts/src/cli/command.ts';
import type { CommandContext } from '../../scripts/src/cli/context.ts';
import { EXIT_CODES_HELP } from '../../scripts/src/cli/report.ts';

function context(): CommandContext & { out: string[] } {
  const out: string[] = [];
  return { out, stdout: (t) => out.push(t), stderr: (t) => out.push(`err:${t}`), json: false, verbose: false };
}

describe('defineCommand', () => {
  const seen: Parsed[] = [];
  const hello = defineCommand('hello', 'Usage: build-static hello [DIR]', {
    options: { name: { type: 'string' }, ...OUTPUT_OPTIONS },
    onePositional: 'one project directory',
    run: async (parsed, ctx) => {
      seen.push(parsed);
      ctx.stdout(`json=${ctx.json} verbose=${ctx.verbose}`);
      return 7;
    },
  });

  test('--help prints the text with the exit-code section and runs nothing', async () => {
    const ctx = context();
    expect(await hello.run(['--help'], ctx)).toBe(0);
    expect(ctx.out).toEqual([`Usage: build-static hello [DIR]\n\n${EXIT_CODES_HELP}`]);
    expect(hello.help).toBe(ctx.out[0]);
    expect(seen).toEqual([]);
  });

  test('runs with the parsed flags, the directory and --json/--verbose on the context', async () => {
    const ctx = context();
    expect(await hello.run(['proj', '--name', 'x', '--json', '--verbose'], ctx)).toBe(7);
    expect(seen.at(-1)).toMatchObject({ dir: 'proj', positionals: ['proj'], values: { name: 'x', json: true } });
    expect(ctx.out).toEqual(['json=true verbose=true']);
    await hello.run([], ctx);
    expect(seen.at(-1)?.dir).toBe('.');
  });

  test('two positionals and an unknown flag are USAGE errors naming the command', async () => {
    await expect(hello.run(['a', 'b'], context())).rejects.toMatchObject({
      code: 'USAGE',
      message: 'hello takes one project directory, got 2: a b',
    });
    await expect(hello.run(['--frob'], context())).rejects.toMatchObject({
      code: 'USAGE',
      message: expect.stringMatching(/see build-static hello --help\)$/),
    });
  });

  test('a command without --verbose leaves the context as main set it', async () => {
    const quiet = defineCommand('quiet', 'Usage: quiet', {
      options: { json: { type: 'boolean' } },
      run: async (_, ctx) => (ctx.verbose ? 1 : 0),
    });
    const ctx = { ...context(), verbose: true };
    expect(await quiet.run(['x', 'y'], ctx)).toBe(1);
    expect(ctx.json).toBe(false);
  });
});
