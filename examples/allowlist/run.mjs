#!/usr/bin/env node
// Runs what `build-static build` produced for every platform — natively when the platform is
// this machine's, under qemu-user otherwise — and calls each endpoint once, printing the answers.
// Usage: node run.mjs [OUT]   (default: target/build-static/out)
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const out = process.argv[2] ?? join(import.meta.dirname ?? '.', 'target', 'build-static', 'out');
const manifest = JSON.parse(readFileSync(join(out, 'build-static.json'), 'utf8'));
const hostArch = { x64: 'amd64', arm64: 'arm64' }[process.arch];
const qemu = { amd64: 'qemu-x86_64-static', arm64: 'qemu-aarch64-static' };

function start(argv) {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { env: { ...process.env, PORT: '0', BIND_ADDRESS: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`${argv.join(' ')} exited with ${code}`)));
    child.stdout.on('data', (d) => {
      text += d;
      const m = /listening on ([0-9.]+):(\d+)/.exec(text);
      if (m) resolve({ child, base: `http://127.0.0.1:${m[2]}` });
    });
  });
}

let failed = false;
for (const o of manifest.outputs) {
  const arch = o.platform.split('/')[1];
  const exe = join(out, o.path);
  const argv = arch === hostArch ? [exe] : [qemu[arch], exe];
  console.log(`\n== ${o.platform}: ${argv.join(' ')} (${o.linkage}, ${o.allocator}, ${(o.size / 1048576).toFixed(1)} MiB)`);
  const { child, base } = await start(argv);
  child.removeAllListeners('exit');
  const address = `0x00C0FFEE${arch === 'amd64' ? '01' : '02'}`;
  for (const [method, path] of [['GET', '/healthz'], ['GET', `/${address}`], ['POST', `/${address}`], ['POST', `/${address}`], ['GET', `/${address}`], ['GET', '/not-an-address']]) {
    const res = await fetch(base + path, { method });
    const body = await res.text();
    console.log(`${method.padEnd(4)} ${path.padEnd(18)} ${res.status} ${body}`);
    if (path === '/not-an-address' ? res.status !== 400 : res.status >= 300) failed = true;
  }
  child.kill('SIGTERM');
  await new Promise((r) => child.on('exit', r));
}
if (failed) {
  console.error('run.mjs: an endpoint answered unexpectedly');
  process.exitCode = 1;
} else {
  console.log('\nallowlist ran on every platform');
}
