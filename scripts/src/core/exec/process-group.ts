// Ending everything a command started. Every child runs in its own process group (execa's
// `detached`), so cargo's rustc and build-script children share its group; on abort the whole
// group gets SIGTERM, then SIGKILL after a grace period, and we wait until the group is empty.
// (Killing only the leader, as execa's cancelSignal does, left build scripts running under PID 1.)
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';

const GRACE_MS = 3000;

function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // ESRCH: the group is empty
  }
}

// True once no process of the group is left (polls until `ms` passes).
async function waitEmpty(pgid: number, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (!signalGroup(pgid, 0)) return true;
    await sleep(50);
  }
  return !signalGroup(pgid, 0);
}

const ending = new Map<number, Promise<void>>();

// Ends process group `pgid`: SIGTERM, then SIGKILL for what is left after the grace period.
export function endProcessGroup(pgid: number, graceMs = GRACE_MS): Promise<void> {
  let done = ending.get(pgid);
  if (!done) {
    done = (async () => {
      if (!signalGroup(pgid, 'SIGTERM')) return;
      if (await waitEmpty(pgid, graceMs)) return;
      signalGroup(pgid, 'SIGKILL');
      await waitEmpty(pgid, 2000);
    })().finally(() => ending.delete(pgid));
    ending.set(pgid, done);
  }
  return done;
}

const live = new Set<number>();

// Records a running child's group so that an interrupt can end it (see endAllProcessGroups).
export function trackProcessGroup(pgid: number): () => void {
  live.add(pgid);
  return () => live.delete(pgid);
}

// Ends every process group still running (the CLI calls this on SIGINT/SIGTERM, so children of
// steps that were given no AbortSignal, such as probes and the std build, end too).
export async function endAllProcessGroups(graceMs = GRACE_MS): Promise<void> {
  await Promise.all([...live].map((pgid) => endProcessGroup(pgid, graceMs)));
}
