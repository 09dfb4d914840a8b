#!/usr/bin/env node
// Builds the static base stand-in (cgr.dev/chainguard/static look-alike) as an OCI layout:
//   npm run build && node images/static-base/build.mjs [OUT]      (Deno: deno run -A …)
// OUT defaults to images/static-base/oci. SOURCE_DATE_EPOCH (default 0) sets mtimes and `created`.
import process from 'node:process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const lib = new URL('../../scripts/dist/index.js', import.meta.url); // the build-static package entry
if (!existsSync(fileURLToPath(lib))) {
  process.stderr.write(`static-base: ${fileURLToPath(lib)} is missing: run "npm run build" first\n`);
  process.exit(3);
}
const { buildStaticBase } = await import(lib.href);
const out = process.argv[2] ?? fileURLToPath(new URL('./oci', import.meta.url));
const epoch = Number(process.env.SOURCE_DATE_EPOCH ?? 0);
if (!Number.isSafeInteger(epoch) || epoch < 0) {
  process.stderr.write(`static-base: SOURCE_DATE_EPOCH must be a whole number of seconds, got "${process.env.SOURCE_DATE_EPOCH}"\n`);
  process.exit(2);
}
try {
  const result = await buildStaticBase(out, { epoch });
  process.stdout.write(`${JSON.stringify({ layout: out, tag: 'latest', ...result }, null, 2)}\n`);
} catch (error) {
  process.stderr.write(`static-base: ${error.message}\n`);
  process.exit(1);
}
