// --compress: packs the bundled executables with upx (when it is on PATH, or --upx PATH).
import { BuildStaticError } from '../../errors.ts';
import { runStep } from '../exec/exec.ts';
import { which } from '../fs.ts';

// Finds upx before anything is written, so a missing upx fails fast with one line.
export async function findUpx(explicit?: string): Promise<string> {
  const upx = await which(explicit ?? 'upx');
  if (!upx) throw new BuildStaticError('TOOL_MISSING', `--compress needs upx${explicit ? ` at ${explicit}` : ' on PATH'} (Debian 12 has no upx package: install it from https://github.com/upx/upx/releases, or drop --compress)`);
  return upx;
}

// Compresses files in place (inside the bundle).
export async function compressFiles(upx: string, files: readonly string[], args: readonly string[], signal?: AbortSignal): Promise<void> {
  for (const file of files) await runStep({ argv: [upx, '-q', ...args, file] }, { timeoutMs: 600_000, ...(signal ? { signal } : {}) });
}
