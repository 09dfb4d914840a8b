// Command-line parsing on node:util's parseArgs (also in Deno), with errors turned into one
// USAGE line that points at --help.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { BuildStaticError } from '../errors.ts';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

// Parses argv for one command; unknown flags and missing values become USAGE errors.
export type FlagValue = string | boolean | (string | boolean)[] | undefined;

export function parseCommandArgs(
  command: string,
  argv: string[],
  options: OptionSpec,
): { values: Record<string, FlagValue>; positionals: string[] } {
  const config = {
    args: argv,
    options: { ...options, help: { type: 'boolean' as const, short: 'h' } },
    allowPositionals: true as const,
    strict: true as const,
  };
  try {
    return parseArgs(config);
  } catch (error) {
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, '').replace(/\s+/g, ' ');
    throw new BuildStaticError('USAGE', `${message.charAt(0).toLowerCase()}${message.slice(1)} (see build-static ${command} --help)`);
  }
}

// Flags that may be given several times or comma-separated (`--platform a,b --platform c`).
export function listFlag(value: FlagValue): string[] | undefined {
  if (value === undefined) return undefined;
  const values = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
  return values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

// Flags that may be given several times, each value kept whole (`--build-arg A=1,2`).
export function repeatedFlag(value: FlagValue): string[] {
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
}

// A flag that must be a string if present.
export function stringFlag(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

// A list flag where an empty item is a mistake (`--platform linux/amd64,,` from a bad variable).
export function strictListFlag(flag: string, value: FlagValue): string[] | undefined {
  const raw = value === undefined ? [] : (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
  for (const v of raw) {
    if (v.split(',').some((item) => item.trim() === ''))
      throw new BuildStaticError(
        'USAGE',
        `${flag} ${JSON.stringify(v)} has an empty item: list values separated by single commas, e.g. ${flag} linux/amd64,linux/arm64`,
      );
  }
  return listFlag(value);
}
