// The static base stand-in (a cgr.dev/chainguard/static look-alike) from files the caller reads.
export { NONROOT, osRelease, staticBaseEntries, type StaticBaseFiles } from './files.ts';
export { STATIC_BASE_ENV, STATIC_BASE_PLATFORMS, assembleStaticBase, type StaticBaseOptions } from './build.ts';
