// The exit-code table has one source (scripts/src/errors.ts): README's table and every --help are
// generated from it, and every code maps to a documented exit code.
import { readFile } from 'node:fs/promises';
import { expect, test } from 'vitest';
import { EXIT_CODES_HELP, exitCodesMarkdown, toReport } from '../../scripts/src/cli/report.ts';
import { ERROR_TABLE, EXIT, type ReportedCode } from '../../scripts/src/errors.ts';
import { RegistryError, REGISTRY_ERROR_CODES, type RegistryErrorCode } from '../../scripts/src/oci/registry/errors.ts';
import { REPO, runCli } from '../helpers/cli.ts';

test("README's exit-code table is the generated one", async () => {
  const readme = await readFile(`${REPO}/README.md`, 'utf8');
  const block = /<!-- exit-codes:begin -->\n([\s\S]*?)\n<!-- exit-codes:end -->/.exec(readme)?.[1];
  expect(block, 'README.md has no <!-- exit-codes:begin/end --> block').toBeDefined();
  expect(block).toBe(exitCodesMarkdown());
});

test('every code in the table has a documented exit code and is listed in --help', () => {
  const documented = new Set<number>(Object.values(EXIT));
  for (const [code, entry] of Object.entries(ERROR_TABLE)) {
    expect(documented.has(entry.exit), code).toBe(true);
    if (code !== 'INTERRUPTED' && code !== 'TERMINATED') expect(EXIT_CODES_HELP, code).toContain(code);
  }
  expect(EXIT_CODES_HELP).toMatch(/^ {2}143 +terminated \(SIGTERM\)$/m);
});

test.each(Object.keys(REGISTRY_ERROR_CODES) as RegistryErrorCode[])('registry code %s reports its table exit code', (code) => {
  const report = toReport(new RegistryError(code, 'x'));
  expect(report.code).toBe(code);
  expect(report.exitCode).toBe(ERROR_TABLE[code as ReportedCode].exit);
});

test('the main --help shows the generated table', async () => {
  const r = await runCli(['--help']);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain(EXIT_CODES_HELP);
});
