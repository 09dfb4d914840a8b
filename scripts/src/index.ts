// The build-static library: what the CLI uses, for programs that want it without the CLI.
export { build, type BuildOptions, type BuildResult } from './core/build/build.ts';
export { planBuild, planPlatform, type BuildPlan, type BuildStep, type PlanInput } from './core/build/plan.ts';
export { resolveBuild } from './core/build/resolve.ts';
export { verifyExecutable, checkAllocator, type VerifiedExecutable } from './core/build/verify.ts';
export { PLATFORMS, parsePlatform, parsePlatforms, type Platform } from './core/platform.ts';
export { BuildStaticError, ERROR_CODES, isBuildStaticError, type ErrorCode } from './errors.ts';
export * as elf from './elf/index.ts';
