// runStep's children lead their own process group, and an abort ends the whole group (a shell's
// background child too, which killing only the leader left running), before runStep returns.
import { readdir, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, test } from 'vitest';
import { runStep } from '../../../scripts/src/core/exec/exec.ts';
import { endAllProcessGroups } from '../../../scripts/src/core/exec/process-group.ts';

async function running(needle: string): Promise<number> {
  let n = 0;
  for (const pid of await readdir('/proc')) {
    if (/^\d+$/.test(pid) && (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).includes(needle)) n++;
  }
  return n;
}

const marker = () => String(700_000 + Math.floor(Math.random() * 200_000));

test('an abort ends the child and its background children', async () => {
  const m = marker();
  const controller = new AbortController();
  const step = runStep({ argv: ['sh', '-c', `sleep ${m} & sleep ${Number(m) + 1}; wait`] }, { signal: controller.signal });
  while ((await running(`sleep\0${m}`)) === 0) await sleep(50);
  controller.abort();
  await expect(step).rejects.toThrow(/was interrupted/);
  expect(await running(`sleep\0${m}`)).toBe(0);
  expect(await running(`sleep\0${Number(m) + 1}`)).toBe(0);
});

test('endAllProcessGroups ends steps that were given no signal; a TERM-ignoring child gets SIGKILL', async () => {
  const m = marker();
  const step = runStep({ argv: ['sh', '-c', `trap '' TERM; sleep ${m}`] }).then(
    () => undefined,
    (e: Error) => e,
  );
  while ((await running(`sleep\0${m}`)) === 0) await sleep(50);
  const started = Date.now();
  await endAllProcessGroups(500);
  expect((await step)?.message).toMatch(/was killed with SIGKILL/);
  expect(await running(`sleep\0${m}`)).toBe(0);
  expect(Date.now() - started).toBeLessThan(10_000);
});
