import { expect, test } from 'vitest';
import { escapeCommand, escapeStep, quoteArg } from '../../../scripts/src/core/exec/escape.ts';
import { runStep } from '../../../scripts/src/core/exec/exec.ts';

test.each([
  ['cargo', 'cargo'],
  ['--target=x86_64-unknown-linux-musl', '--target=x86_64-unknown-linux-musl'],
  ['a b', `'a b'`],
  ['', `''`],
  [`it's`, `'it'\\''s'`],
  ['target.x.rustflags=["-C","a"]', `'target.x.rustflags=["-C","a"]'`],
  ['tab\there', `'tab\\x09here'`],
])('quoteArg(%j) = %s', (arg, quoted) => {
  expect(quoteArg(arg)).toBe(quoted);
});

test('escapeCommand joins quoted args', () => {
  expect(escapeCommand(['cargo', 'build', '--features', 'a b'])).toBe(`cargo build --features 'a b'`);
});

test('escapeStep puts sorted env assignments first', () => {
  expect(escapeStep({ argv: ['cargo', 'build'], env: { RUSTC: '/usr/bin/rustc', CC_x: 'a b' } })).toBe(
    `CC_x='a b' RUSTC=/usr/bin/rustc cargo build`,
  );
});

// What a shell makes of each quoted argument: the same string back (control characters aside,
// which quoteArg renders visibly as \xNN instead).
test.each(['plain', 'a b', '', `it's`, '$HOME', '`id`', '*.rs', 'back\\slash', '"dq"', '~user', 'ünïcode', 'a;b|c&d', '!x'])(
  'sh reads quoteArg(%j) back as the same argument',
  async (arg) => {
    const { stdout } = await runStep({ argv: ['sh', '-c', `printf %s ${quoteArg(arg)}`] });
    expect(stdout).toBe(arg);
  },
);
