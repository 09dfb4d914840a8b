// Copy-pasteable rendering of argv and env for dry runs, logs and error messages.

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

// Quotes one argument for a POSIX shell only when it needs it, escaping control characters.
export function quoteArg(arg: string): string {
  if (arg !== '' && SAFE.test(arg)) return arg;
  const escaped = arg.replace(/'/g, `'\\''`).replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return `'${escaped}'`;
}

// Renders a command line the user can paste into a shell.
export function escapeCommand(argv: readonly string[]): string {
  return argv.map(quoteArg).join(' ');
}

// Renders `K=V ... cmd args` with only the variables a step sets itself.
export function escapeStep(step: { argv: readonly string[]; env?: Readonly<Record<string, string>> }): string {
  const env = Object.entries(step.env ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${quoteArg(v)}`);
  return [...env, escapeCommand(step.argv)].join(' ');
}
