// What a command gets from main: output sinks (injectable for tests), the cancel signal, and the
// --json/--verbose choices main needs to format a failure the same way.
export interface CommandContext {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly signal?: AbortSignal;
  json: boolean;
  verbose: boolean;
}
