import { describe, expect, it } from 'vitest';
import { requireTool } from './fixtures.ts';

describe('fixture builder', () => {
  it('fails loudly, naming what to install, when a compiler is missing', () => {
    expect(() => requireTool('bs-no-such-compiler-gcc')).toThrow(/need `bs-no-such-compiler-gcc`, which is not installed: install bs-no-such-compiler-gcc/);
  });

  it('accepts a compiler that is installed', () => {
    expect(() => requireTool('gcc')).not.toThrow();
  });
});
