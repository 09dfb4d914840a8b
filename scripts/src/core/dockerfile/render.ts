// The Dockerfile text for a resolved project. Pure: the same input gives the same bytes, so the
// committed examples/allowlist/Dockerfile can be compared with a fresh rendering.
import type { BinaryTarget } from '../cargo/binaries.ts';
import { cargoSelection, type SelectionInput } from '../build/plan.ts';
import { escapeCommand } from '../exec/escape.ts';
import { DEFAULT_BASE } from '../image/default-base.ts';
import { imageAnnotations } from '../image/labels.ts';
import { BuildStaticError } from '../../errors.ts';
import type { RustRequirement } from '../toolchain/rust-version.ts';
import { entrypointOf } from './entrypoint.ts';

export const DEFAULT_CHEF_ORG = 'build-static';
export const DEFAULT_CHEF_TAG = 'latest';
export const CHEF_IMAGE_NAME = 'muslrust-chef';
/** Where the builder stage puts each verified binary for the final stage to copy. */
export const OUT_DIR = '/out';
/** The user the final image runs as (chainguard/static's nonroot). */
export const NONROOT = '65532:65532';

export interface DockerfileInput extends SelectionInput {
  /** The binary `cargo chef prepare --bin` trims the recipe to (the user's --bin). */
  readonly prepareBin?: string;
  /** The project's rust-version: the chef stage checks its rustc against it before compiling anything. */
  readonly rustVersion?: RustRequirement;
  /** A comment saying which allocator the binaries get (dockerfile/allocator.ts). */
  readonly allocatorLine?: string;
  /** Builder-stage lines that replace the chef image's default (mimalloc) rustflags (dockerfile/allocator.ts). */
  readonly allocatorEnv?: readonly string[];
}

/** Defaults written into the Dockerfile's ARG lines (build args override them). */
export interface DockerfileDefaults {
  readonly chefOrg?: string;
  readonly chefTag?: string;
  readonly base?: string;
  /**
   * Where cargo's target dir and registry live while compiling: `mount` (default) — cache
   * mounts, fastest on one machine, but never exported; `layer` — in the image layers, as in
   * cargo-chef's README, so a registry cache (--cache-to) carries the compiled dependencies to
   * a fresh builder.
   */
  readonly cargoCache?: CargoCache;
}

export const CARGO_CACHES = ['mount', 'layer'] as const;
export type CargoCache = (typeof CARGO_CACHES)[number];

// `--cargo-cache mount|layer` (undefined when not given).
export function parseCargoCache(text: string | undefined): CargoCache | undefined {
  if (text === undefined) return undefined;
  if (!(CARGO_CACHES as readonly string[]).includes(text)) throw new BuildStaticError('USAGE', `--cargo-cache must be mount or layer, got "${text}"`);
  return text as CargoCache;
}

// Cache mounts. The target dir has one cache per project and platform and is shared: cargo
// locks its build directory itself (target/<triple>/<profile>/.cargo-lock). The cargo registry
// is shared by every platform and project and locked, because cargo's own lock for it
// ($CARGO_HOME/.package-cache) is outside the mount. The locked mount comes last and alone:
// buildah 1.28 remembers only the last mount's lock of a RUN, so a lock taken by an earlier
// mount is never released and the next RUN using that cache hangs. Git checkouts stay in the
// cook layer, which the build step reuses.
function cacheMounts(project: string): string[] {
  return [
    `--mount=type=cache,id=build-static-target-${project}-\${TARGETPLATFORM},target=/app/target,sharing=shared`,
    '--mount=type=cache,id=build-static-cargo-registry,target=/usr/local/cargo/registry,sharing=locked',
  ];
}

// A RUN instruction with the cache mounts (none when cargo's files stay in the layers), one
// option per line, then the shell command lines.
function runWithMounts(project: string, commands: readonly string[], cache: CargoCache): string {
  const lines = [...(cache === 'mount' ? cacheMounts(project) : []), ...commands];
  return `RUN ${lines.join(' \\\n    ').replace(/ \\\n {4}&& /g, ' \\\n && ')}`;
}

// A double-quoted Dockerfile string: backslash, quote and `$` escaped, newlines folded.
export function dockerString(value: string): string {
  return `"${value.replace(/\s*\n\s*/g, ' ').replace(/[\\"$]/g, (c) => `\\${c}`)}"`;
}

// The LABEL lines: the org.opencontainers.image.* keys the `image` command sets, except the ones
// that change per build (created, revision): `build --engine` passes those with --label.
function labelLines(bin: BinaryTarget): string[] {
  const labels = imageAnnotations({ name: bin.name, version: bin.version ?? '0.0.0', repository: bin.repository ?? null, description: bin.description ?? null, epoch: 0 });
  delete labels['org.opencontainers.image.created'];
  const entries = Object.entries(labels).map(([k, v]) => `${k}=${dockerString(v)}`);
  entries.push('org.opencontainers.image.base.name="${BASE_IMAGE}"');
  entries.sort();
  return [`LABEL ${entries.join(' \\\n      ')}`];
}

// A RUN that stops the build at once, with one line, when the chef image's rustc is older than
// the rust-version (instead of cargo's error after the recipe layers). `sort -V -C` is true when
// "required, actual" is already in version order; a -nightly/-beta suffix is ignored, as by cargo.
export function rustcCheck(required: RustRequirement): string[] {
  // Package names and versions are [A-Za-z0-9._-] (cargo refuses others), so plain double quotes are safe.
  const need = required.version;
  const message = `build-static: rustc $have in the chef image is older than rust-version ${need} of ${required.package}: use a ${CHEF_IMAGE_NAME} tag with rustc >= ${need} (--build-arg MUSLRUST_CHEF_TAG=...)`;
  return [
    `# rust-version ${need} of ${required.package}: fail here, with one line, when the image's rustc is older.`,
    [`RUN have="$(rustc --version | cut -d' ' -f2)"`, `&& printf '%s\\n' ${need} "\${have%%-*}" | sort -V -C`, `|| { echo "${message}" >&2; exit 1; }`].join(' \\\n '),
  ];
}

const STALE_CHEF = `build-static: this ${CHEF_IMAGE_NAME} image predates its link-time mimalloc: rebuild it with images/${CHEF_IMAGE_NAME}/build.mjs or pick a newer tag (--build-arg MUSLRUST_CHEF_TAG=...)`;

// Renders the whole Dockerfile: chef → planner → builder → final stage on the base image.
export function renderDockerfile(input: DockerfileInput, defaults: DockerfileDefaults = {}): string {
  const entry = entrypointOf(input.binaries);
  const selection = escapeCommand(cargoSelection(input));
  const profile = input.config.profile;
  const project = entry.package;
  const prepare = ['cargo', 'chef', 'prepare', '--recipe-path', 'recipe.json', ...(input.prepareBin ? ['--bin', input.prepareBin] : [])];
  const getExecutables = input.binaries.map((b) => `&& ${escapeCommand(['get-executable', b.name, `${OUT_DIR}/${b.name}`, '--profile', profile])}`);
  const cache = defaults.cargoCache ?? 'mount';
  const copies = input.binaries.map((b) => `COPY --from=builder --chown=${NONROOT} --chmod=0555 ${OUT_DIR}/${b.name} /usr/local/bin/${b.name}`);
  const lines = [
    // A BuildKit parser directive (a plain comment to buildah): the final stage names
    // $TARGETPLATFORM on purpose, because buildah would otherwise reuse the chef's platform.
    '# check=skip=RedundantTargetPlatform',
    '# Generated by `build-static dockerfile`; render it again when Cargo.toml\'s binaries, features or',
    '# settings change. Every compiling stage runs on the build machine ($BUILDPLATFORM) and',
    '# cross-compiles for $TARGETPLATFORM: no QEMU. Build both platforms with BuildKit:',
    '#   docker buildx build --platform linux/amd64,linux/arm64 --tag REF --push .',
    '# or with podman (buildah needs BUILDPLATFORM spelled out):',
    '#   podman build --platform linux/amd64,linux/arm64 --manifest REF --build-arg BUILDPLATFORM=linux/amd64 .',
    `# Build args: MUSLRUST_CHEF_ORG and MUSLRUST_CHEF_TAG pick <org>/${CHEF_IMAGE_NAME}:<tag>, BASE_IMAGE the run image.`,
    ...(input.allocatorLine ? [input.allocatorLine] : []),
    `ARG MUSLRUST_CHEF_ORG=${defaults.chefOrg ?? DEFAULT_CHEF_ORG}`,
    `ARG MUSLRUST_CHEF_TAG=${defaults.chefTag ?? DEFAULT_CHEF_TAG}`,
    `ARG BASE_IMAGE=${defaults.base ?? DEFAULT_BASE}`,
    '',
    `FROM --platform=$BUILDPLATFORM \${MUSLRUST_CHEF_ORG}/${CHEF_IMAGE_NAME}:\${MUSLRUST_CHEF_TAG} AS chef`,
    'WORKDIR /app',
    ...(input.rustVersion ? rustcCheck(input.rustVersion) : []),
    '',
    'FROM chef AS planner',
    'COPY . .',
    `RUN ${escapeCommand(prepare)}`,
    '',
    'FROM chef AS builder',
    'ARG TARGETPLATFORM',
    "# C's __DATE__/__TIME__ (mimalloc prints them) from SOURCE_DATE_EPOCH, not the clock: same bytes.",
    'ARG SOURCE_DATE_EPOCH=0',
    'ENV CARGO_TARGET_DIR=/app/target',
    ...(input.allocatorEnv ?? []),
    '# A layer of its own per platform before the recipe: buildah (podman) keys a COPY layer by content',
    '# alone, so without it both platforms could share the recipe layer and then miss the cook cache.',
    '# It also stops a chef image older than its link-time mimalloc (no BUILD_STATIC_SYSTEM_RUSTFLAGS_*).',
    `RUN test -n "$\{BUILD_STATIC_SYSTEM_RUSTFLAGS_X86_64_UNKNOWN_LINUX_MUSL:-}" \\\n || { echo "${STALE_CHEF}" >&2; exit 1; } \\\n && echo "cross-compiling for $TARGETPLATFORM: $(target-triple)"`,
    'COPY --from=planner /app/recipe.json recipe.json',
    cache === 'mount'
      ? '# Dependencies only: this layer stays cached until Cargo.toml or Cargo.lock change.'
      : '# Dependencies only, compiled into this layer (no cache mounts): a registry cache carries it.',
    runWithMounts(project, [`cargo chef cook --recipe-path recipe.json --target "$(target-triple)" ${selection}`], cache),
    'COPY . .',
    '# The same flags as the cook above, so only the workspace\'s own crates compile here.',
    runWithMounts(project, [`cargo build --target "$(target-triple)" ${selection}`, ...getExecutables], cache),
    '',
    'FROM --platform=$TARGETPLATFORM ${BASE_IMAGE}',
    'ARG BASE_IMAGE',
    ...labelLines(entry),
    ...copies,
    `USER ${NONROOT}`,
    `ENTRYPOINT ${JSON.stringify([`/usr/local/bin/${entry.name}`])}`,
  ];
  return `${lines.join('\n')}\n`;
}

// The .dockerignore to keep beside it: the build context needs the sources, not cargo's output
// (gigabytes, and it would change the COPY layers on every build) nor git's history.
export function renderDockerignore(targetDirs: readonly string[] = ['target']): string {
  const entries = [...new Set(['.git', ...targetDirs])];
  return ['# Generated by `build-static dockerfile`: the build context is the sources only.', ...entries, ''].join('\n');
}
