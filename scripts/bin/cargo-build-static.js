#!/usr/bin/env node
// `cargo build-static …`: cargo runs `cargo-build-static build-static …` for a subcommand, so the
// repeated subcommand name is dropped before the CLI reads its arguments.
import process from 'node:process';

if (process.argv[2] === 'build-static') process.argv.splice(2, 1);
await import('../dist/cli/main.js');
