// The base image when none is named, alone in its module: the Dockerfile renderer and the
// engine plan need the name, not the OCI and registry code that base.ts loads images with.
export const DEFAULT_BASE = 'cgr.dev/chainguard/static:latest';
