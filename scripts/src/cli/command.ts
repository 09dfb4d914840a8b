// One way to define a command: the opening every command shares (parse, --help, the positional
// limit, --json/--verbose into the context) lives here; a command file keeps its options, its help
// paragraph, one library call and its printing. Errors propagate to main, which reports them once.
import { BuildStaticError } from '../errors.ts';
import { type FlagValue, type OptionSpec, parseCommandArgs } from './args.ts';
import type { CommandContext } from './context.ts';
import { EXIT, EXIT_CODES_HELP } from './report.ts';

// The flags of every command that prints a JSON object and error detail.
export const OUTPUT_OPTIONS = { json: { type: 'boolean' }, verbose: { type: 'boolean' } } as const;

export interface Parsed {
  readonly values: Record<string, FlagValue>;
  readonly positionals: string[];
  /** positionals[0] or "." (the project directory of most commands). */
  readonly dir: string;
}

export interface CommandSpec {
  readonly options: OptionSpec;
  /** At most one positional, named in the error: `build takes one project directory, got 2: a b`. */
  readonly onePositional?: string;
  readonly run: (args: Parsed, ctx: CommandContext) => Promise<number>;
}

export interface Command {
  readonly name: string;
  readonly help: string;
  readonly run: (argv: string[], ctx: CommandContext) => Promise<number>;
}

// Wraps a command's own part in the shared opening, so no command repeats it. `name` is the word
// after build-static (USAGE errors say "see build-static NAME --help"); `text` is the help without
// the exit-code section, which is appended here.
export function defineCommand(name: string, text: string, spec: CommandSpec): Command {
  const help = `${text}\n\n${EXIT_CODES_HELP}`;
  return {
    name,
    help,
    run: async (argv, ctx) => {
      const { values, positionals } = parseCommandArgs(name, argv, spec.options);
      if (values.help) {
        ctx.stdout(help);
        return EXIT.OK;
      }
      if (spec.onePositional !== undefined && positionals.length > 1) {
        throw new BuildStaticError('USAGE', `${name} takes ${spec.onePositional}, got ${positionals.length}: ${positionals.join(' ')}`);
      }
      if ('json' in spec.options) ctx.json = values.json === true;
      if ('verbose' in spec.options) ctx.verbose = values.verbose === true;
      return spec.run({ values, positionals, dir: positionals[0] ?? '.' }, ctx);
    },
  };
}
