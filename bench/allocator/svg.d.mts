// Types of svg.mjs, for the TypeScript tests.
import type { AllocatorResult } from './report.mjs';
export function renderSvg(result: AllocatorResult): string;
