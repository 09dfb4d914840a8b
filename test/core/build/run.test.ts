import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import type { BuildStep } from '../../../scripts/src/core/build/plan.ts';
import { failedPlatform, runPlan } from '../../../scripts/src/core/build/run.ts';
import { parsePlatform } from '../../../scripts/src/core/platform.ts';

const amd64 = parsePlatform('linux/amd64');
const arm64 = parsePlatform('linux/arm64');
const shared: BuildStep = { argv: ['cargo'], env: {}, cwd: '/w', platform: amd64, platforms: [amd64, arm64], targetDir: '/w/target/build-static/multi', notes: [] };

test('a shared step\'s failure names the platform when cargo mentions only its triple, else all of them', () => {
  expect(failedPlatform(shared, 'error: linking with `cc` failed\n  = note: /w/target/build-static/multi/aarch64-unknown-linux-musl/release/deps/app-0123')).toBe(arm64);
  expect(failedPlatform(shared, 'error: could not compile `app` (bin "app")').id).toBe('linux/amd64, linux/arm64');
});

// A stand-in cargo (fault injection: it replays two compiler-artifact lines of a shared step) that
// prints the arm64 executable only after the amd64 one has been handed on: the build can check
// one platform's executable while cargo still works on the other's, or this step never finishes.
test('runPlan hands on each executable as soon as cargo reports it, before cargo exits', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bs-run-'));
  const seen = join(dir, 'amd64-seen');
  const artifact = (triple: string) =>
    JSON.stringify({ reason: 'compiler-artifact', package_id: 'path+file:///w#app@0.1.0', target: { name: 'app', kind: ['bin'] }, executable: `/w/target/build-static/multi/${triple}/release/app`, fresh: false, filenames: [] });
  const script = `echo '${artifact(amd64.triple)}'; for i in $(seq 100); do [ -e '${seen}' ] && break; sleep 0.05; done; [ -e '${seen}' ] || exit 7; echo '${artifact(arm64.triple)}'`;
  const heard: string[] = [];
  const built = await runPlan(
    { steps: [{ ...shared, argv: ['sh', '-c', script], cwd: dir }] },
    {
      onExecutable: (exe) => {
        heard.push(exe.platform.id);
        if (exe.platform === amd64) writeFileSync(seen, '');
      },
    },
  );
  expect(heard).toEqual(['linux/amd64', 'linux/arm64']);
  expect(built.map((b) => [b.platform.id, b.bin, b.path])).toEqual([
    ['linux/amd64', 'app', `/w/target/build-static/multi/${amd64.triple}/release/app`],
    ['linux/arm64', 'app', `/w/target/build-static/multi/${arm64.triple}/release/app`],
  ]);
});
