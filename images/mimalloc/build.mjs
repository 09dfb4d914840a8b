#!/usr/bin/env node
// Builds the mimalloc LD_PRELOAD image (linux/amd64 + linux/arm64) as an OCI layout, and pushes it:
//   npm run build && node images/mimalloc/build.mjs [OUT] [--tag TAG] [--push REF] [--insecure-registry HOST]
// OUT defaults to images/mimalloc/oci. SOURCE_DATE_EPOCH (default 0) sets mtimes and `created`.
import process from 'node:process';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const USAGE = 'usage: node images/mimalloc/build.mjs [OUT] [--tag TAG] [--push REF] [--insecure-registry HOST]…';
const dist = new URL('../../scripts/dist/', import.meta.url);
if (!existsSync(fileURLToPath(new URL('index.js', dist)))) {
  process.stderr.write(`mimalloc: ${fileURLToPath(dist)} is missing the image builder: run "npm run build" first\n`);
  process.exit(3);
}
const { buildMimallocImage } = await import(new URL('index.js', dist).href); // the build-static package entry
// The CLI's error report (message and exit code), so this script fails like `build-static` does.
const { toReport } = await import(new URL('cli/report.js', dist).href);

let args;
try {
  args = parseArgs({
    allowPositionals: true,
    options: {
      tag: { type: 'string' },
      push: { type: 'string' },
      'insecure-registry': { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
} catch (error) {
  process.stderr.write(`mimalloc: ${error.message}; ${USAGE}\n`);
  process.exit(2);
}
if (args.values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (args.positionals.length > 1) {
  process.stderr.write(`mimalloc: one OUT directory at most, got ${args.positionals.length}; ${USAGE}\n`);
  process.exit(2);
}
const out = args.positionals[0] ?? fileURLToPath(new URL('./oci', import.meta.url));
const epoch = Number(process.env.SOURCE_DATE_EPOCH ?? 0);
if (!Number.isSafeInteger(epoch) || epoch < 0) {
  process.stderr.write(`mimalloc: SOURCE_DATE_EPOCH must be a whole number of seconds, got "${process.env.SOURCE_DATE_EPOCH}"\n`);
  process.exit(2);
}
try {
  const result = await buildMimallocImage(out, {
    epoch,
    tag: args.values.tag,
    push: args.values.push,
    insecureRegistries: args.values['insecure-registry'],
  });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} catch (error) {
  const report = toReport(error);
  process.stderr.write(`mimalloc: ${report.message}\n`);
  process.exit(report.exitCode);
}
