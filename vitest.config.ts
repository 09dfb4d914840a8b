import { defineConfig } from 'vitest/config';

// Integration tests compile Rust for two targets on a 2-core machine: generous timeouts, and
// files run one at a time so cargo builds do not fight over the CPU and the cargo cache lock.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 1_800_000,
    fileParallelism: false,
    reporters: ['default'],
  },
});
