// The bad-input sweep (issue #14): >= 100 mistakes a hostile new user makes, across every command
// and output path. Each: exit code, one error line, no stack trace, every pre-existing file
// byte-identical. Runs the built CLI; cases run a few at a time (each is a separate process).
import { describe, expect, test } from 'vitest';
import { CLI_CASES } from './cases-cli.ts';
import { OUTPUT_CASES } from './cases-outputs.ts';
import { PROJECT_CASES } from './cases-project.ts';
import { TOOL_CASES } from './cases-tools.ts';
import { runCase } from './harness.ts';

const CASES = [...CLI_CASES, ...PROJECT_CASES, ...OUTPUT_CASES, ...TOOL_CASES];

test('the sweep has at least 100 cases with distinct names', () => {
  expect(CASES.length).toBeGreaterThanOrEqual(100);
  expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
});

describe.concurrent('bad input', () => {
  test.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => runCase(c), 120_000);
});
