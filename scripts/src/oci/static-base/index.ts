// The static base stand-in (cgr.dev/chainguard/static look-alike made from Debian package files).
export { DEBIAN_PATHS, NONROOT, debianVersion, osRelease, staticBaseEntries, zoneinfoEntries, type HostPaths } from './files.ts';
export { STATIC_BASE_ENV, STATIC_BASE_PLATFORMS, buildStaticBase, staticBaseIndex, type StaticBaseOptions } from './build.ts';
