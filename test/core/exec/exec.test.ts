// core/exec/exec.ts against real processes (sh, cat, sleep): lines streamed as they come, the
// failure kinds (exit code, signal, not found, timeout, abort) each named in the error with the
// escaped command and stderr's tail, stdin input, env and cwd.
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { CommandError, probe, runStep, stderrTail } from '../../../scripts/src/core/exec/exec.ts';
import { isBuildStaticError } from '../../../scripts/src/errors.ts';

const sh = (script: string) => ({ argv: ['sh', '-c', script] });

// The CommandError a failing step throws (fails the test when it does not throw one).
async function failure(promise: Promise<unknown>): Promise<CommandError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CommandError);
  return error as CommandError;
}

describe('runStep: output', () => {
  test('streams stdout and stderr line by line, a last line without newline included, CR stripped', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const result = await runStep(sh(`printf 'a\\r\\nb\\n'; printf 'e1\\ne2'  >&2; printf c`), {
      onStdoutLine: (l) => out.push(l),
      onStderrLine: (l) => err.push(l),
    });
    expect(out).toEqual(['a', 'b', 'c']);
    expect(err).toEqual(['e1', 'e2']);
    expect(result).toEqual({ stdout: 'a\r\nb\nc', stderr: 'e1\ne2' });
  });

  test('a line split over two writes arrives whole', async () => {
    const out: string[] = [];
    await runStep(sh(`printf 'hal'; sleep 0.1; printf 'f\\nnext\\n'`), { onStdoutLine: (l) => out.push(l) });
    expect(out).toEqual(['half', 'next']);
  });

  test('input goes to stdin; without input stdin is closed', async () => {
    expect((await runStep({ argv: ['cat'] }, { input: 'hello\nworld' })).stdout).toBe('hello\nworld');
    expect((await runStep({ argv: ['cat'] })).stdout).toBe('');
  });

  test('env is added to the process environment and cwd is honoured', async () => {
    const dir = await realpath(await mkdtemp(join(tmpdir(), 'bs-exec-')));
    try {
      const { stdout } = await runStep({ ...sh('echo "$BS_EXEC_TEST:$PATH" | cut -c1-6; pwd'), env: { BS_EXEC_TEST: 'set' }, cwd: dir });
      expect(stdout).toBe(`set:${(process.env.PATH ?? '').slice(0, 2)}\n${dir}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('runStep: failures', () => {
  test('exit code: COMMAND_FAILED naming the escaped command, with the stderr tail as detail', async () => {
    const error = await failure(runStep(sh(`echo 'it broke' >&2; exit 3`)));
    expect(isBuildStaticError(error)).toBe(true);
    expect(error.code).toBe('COMMAND_FAILED');
    expect(error.message).toBe(`sh -c 'echo '\\''it broke'\\'' >&2; exit 3' failed with exit code 3`);
    expect(error).toMatchObject({ exitCode: 3, signal: undefined, notFound: false, stderr: 'it broke', detail: 'it broke' });
    expect(error.argv).toEqual(['sh', '-c', `echo 'it broke' >&2; exit 3`]);
  });

  test('the detail keeps only the last 30 non-blank stderr lines; stderr stays whole', async () => {
    const error = await failure(runStep(sh('for i in $(seq 1 40); do echo "line $i" >&2; echo >&2; done; exit 1')));
    const detail = (error.detail ?? '').split('\n');
    expect(detail).toHaveLength(30);
    expect(detail[0]).toBe('line 11');
    expect(detail.at(-1)).toBe('line 40');
    expect(error.stderr.split('\n').filter((l) => l.startsWith('line'))).toHaveLength(40);
  });

  test('signal: the error says which signal killed it', async () => {
    const error = await failure(runStep(sh('kill -KILL $$')));
    expect(error.message).toMatch(/ was killed with SIGKILL$/);
    expect(error).toMatchObject({ signal: 'SIGKILL', notFound: false });
  });

  test('a program that does not exist: notFound, "could not start"', async () => {
    const error = await failure(runStep({ argv: ['build-static-no-such-program', '--flag'] }));
    expect(error.message).toMatch(/^build-static-no-such-program --flag could not start \(.*ENOENT.*\)$/);
    expect(error).toMatchObject({ notFound: true, exitCode: undefined });
  });

  test('an empty argv is refused before anything starts', async () => {
    await expect(runStep({ argv: [] })).rejects.toMatchObject({ code: 'COMMAND_FAILED', message: 'empty command' });
  });

  test('timeout: the process is stopped and the error names the limit', async () => {
    const started = Date.now();
    const error = await failure(runStep({ argv: ['sleep', '30'] }, { timeoutMs: 200 }));
    expect(error.message).toBe('sleep 30 timed out after 200 ms');
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  test('abort signal: the process is stopped and the step fails', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 200);
    const error = await failure(runStep({ argv: ['sleep', '30'] }, { signal: controller.signal }));
    // An abort ends the step's whole process group; the error says it was interrupted.
    expect(error.message).toBe('sleep 30 was interrupted');
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});

describe('probe and stderrTail', () => {
  test('probe returns stdout, or undefined when the command fails or is absent', async () => {
    expect(await probe(['sh', '-c', 'echo 1.2.3'])).toBe('1.2.3');
    expect(await probe(['sh', '-c', 'exit 1'])).toBeUndefined();
    expect(await probe(['build-static-no-such-program'])).toBeUndefined();
  });

  test('stderrTail drops blank lines and keeps the last N', () => {
    expect(stderrTail('a\n\n  \nb\nc\n', 2)).toBe('b\nc');
    expect(stderrTail('')).toBe('');
  });
});
