// Helper programs some builds need, each with why and the package that brings it. None is
// required for a plain Rust crate, so a missing one is a warning with its fix, not a failure.
import process from 'node:process';
import { which } from '../fs.ts';
import type { DoctorCheck } from './doctor.ts';
import { aptInstall } from './packages.ts';

interface Tool {
  readonly command: string;
  readonly why: string;
  readonly pkg: string;
}

export const TOOLS: readonly Tool[] = [
  { command: 'cmake', why: 'C builds of aws-lc-sys, libz-ng-sys and other cmake-based -sys crates', pkg: 'cmake' },
  { command: 'perl', why: "openssl-sys's vendored OpenSSL build", pkg: 'perl' },
  { command: 'make', why: 'vendored C builds (openssl-src, jemalloc)', pkg: 'make' },
  { command: 'clang', why: 'bindgen-based -sys crates (libclang)', pkg: 'clang' },
  { command: 'ccache', why: "caches the C objects of crates' own sources (libmimalloc-sys, pcre2-sys) across target dirs; BUILD_STATIC_CCACHE=0 turns it off", pkg: 'ccache' },
  { command: 'git', why: 'git dependencies in Cargo.toml', pkg: 'git' },
  { command: 'podman', why: 'image --load, build --engine podman', pkg: 'podman' },
  { command: 'skopeo', why: 'copying and inspecting images', pkg: 'skopeo' },
];

// One optional check per helper program.
export async function toolChecks(env: NodeJS.ProcessEnv = process.env): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  for (const tool of TOOLS) {
    const path = await which(tool.command, env);
    checks.push({ id: `tool:${tool.command}`, title: `${tool.command} (${tool.why})`, ok: !!path, required: false, detail: path ?? 'not on PATH', fix: aptInstall([tool.pkg]) });
  }
  return checks;
}
