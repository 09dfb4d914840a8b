// The build-static library: what the CLI uses, for programs that want it without the CLI.
export { build, type BuildOptions, type BuildResult } from './core/build/build.ts';
export { planBuild, planPlatform, type BuildPlan, type BuildStep, type PlanInput } from './core/build/plan.ts';
export { resolveBuild } from './core/build/resolve.ts';
export { verifyExecutable, checkAllocator, type VerifiedExecutable } from './core/build/verify.ts';
export { PLATFORMS, parsePlatform, parsePlatforms, type Platform } from './core/platform.ts';
export { BuildStaticError, ERROR_CODES, isBuildStaticError, type ErrorCode } from './errors.ts';
export * as elf from './elf/index.ts';
export { buildImage, type ImageOptions, type ImageResult } from './core/image/image.ts';
export { platformDigests } from './core/image/outputs.ts';
export { DEBIAN_PATHS, buildStaticBase, debianStaticBaseFiles, staticBaseIndex, type HostPaths } from './core/image/static-base.ts';
export { MIMALLOC_IMAGE_ENV, buildMimallocImage, mimallocImageIndex, type MimallocImageResult } from './core/image/mimalloc-image.ts';
export { staticRustflags } from './core/build/plan.ts';
export { ensureStdSysroot, type StdSysroot } from './core/toolchain/sysroot.ts';
export { muslSpecsPath, prepareCToolchain, wrapperScript } from './core/toolchain/c-toolchain.ts';
export { muslLibcPath, prepareMimallocLibc } from './core/toolchain/mimalloc.ts';
export * as oci from './oci/index.ts';
export * as registry from './oci/registry/index.ts';
