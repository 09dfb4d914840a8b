import { expect, test } from 'vitest';
import { EXIT, formatReport, reportJson, toReport } from '../../scripts/src/cli/report.ts';
import { BuildStaticError, ERROR_CODES, type ErrorCode } from '../../scripts/src/errors.ts';

test.each(Object.keys(ERROR_CODES) as ErrorCode[])('%s maps to a documented exit code', (code) => {
  const report = toReport(new BuildStaticError(code, 'x'));
  expect([EXIT.FAILED, EXIT.BAD_INPUT, EXIT.ENVIRONMENT, EXIT.VERIFY]).toContain(report.exitCode);
});

test('bad input is exit 2, environment 3, verification 4', () => {
  expect(toReport(new BuildStaticError('UNKNOWN_BIN', 'x')).exitCode).toBe(2);
  expect(toReport(new BuildStaticError('LINKER_MISSING', 'x')).exitCode).toBe(3);
  expect(toReport(new BuildStaticError('VERIFY_FAILED', 'x')).exitCode).toBe(4);
});

test('one line for people; detail only when verbose', () => {
  const report = toReport(new BuildStaticError('TOOLCHAIN_MISSING', 'no toolchain', { detail: 'tried a\ntried b' }));
  expect(formatReport(report, false)).toBe('build-static: error: no toolchain');
  expect(formatReport(report, true).split('\n')).toEqual(['build-static: error: no toolchain', '  tried a', '  tried b']);
});

test('unknown errors are INTERNAL with exit 1', () => {
  const report = toReport(new TypeError('boom'));
  expect(report.code).toBe('INTERNAL');
  expect(report.exitCode).toBe(1);
  expect(JSON.parse(reportJson(report))).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  expect(reportJson(report), 'no stack trace in --json').not.toMatch(/\n\s+at /);
  expect(formatReport(report, false)).toBe('build-static: error: internal error: boom');
});
