// A throwaway docker-registry on a free 127.0.0.1 port with storage under `work`, for benchmarks
// that push (resolves once GET /v2/ answers). Shared so each bench does not carry its own copy.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export async function startBenchRegistry(work) {
  const port = await new Promise((res) => { const s = createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); }); });
  writeFileSync(join(work, 'config.yml'), `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${work}/storage\nhttp:\n  addr: 127.0.0.1:${port}\n`);
  const child = spawn('docker-registry', ['serve', join(work, 'config.yml')], { stdio: 'ignore' });
  const host = `127.0.0.1:${port}`;
  for (let i = 0; i < 100 && !(await fetch(`http://${host}/v2/`).then((r) => r.ok, () => false)); i++) await new Promise((r) => setTimeout(r, 100));
  return { host, stop: () => child.kill() };
}
