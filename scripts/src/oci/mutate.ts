// Derives new image values from old ones (ggcr's mutate, as pure functions): append layers with
// their history, change the runtime config, stamp the created time, add manifest annotations.
// Nothing is modified in place; the result drops `raw`, so it is serialised afresh.
import { epochToCreated, type Image } from './image.ts';
import { layerDescriptor, type Layer } from './layer.ts';
import type { ImageConfig } from './types.ts';

type RuntimeConfig = NonNullable<ImageConfig['config']>;
type HistoryEntry = NonNullable<ImageConfig['history']>[number];

export interface LayerHistory {
  /** What made the layer, e.g. "build-static image: /app (linux/arm64)". */
  readonly createdBy?: string;
  readonly comment?: string;
  /** Seconds since 1970 for the history entry's `created` (omitted when absent). */
  readonly epoch?: number;
}

export interface ConfigChanges {
  /** Replaces the entrypoint; like Docker's ENTRYPOINT it also clears an inherited Cmd unless `cmd` is given. */
  readonly entrypoint?: readonly string[];
  readonly cmd?: readonly string[];
  readonly user?: string;
  readonly workingDir?: string;
  /** Merged by name: existing variables keep their place, new ones are appended in this order. */
  readonly env?: Readonly<Record<string, string>>;
  /** Merged into the base's labels. */
  readonly labels?: Readonly<Record<string, string>>;
  /** e.g. ["8080/tcp"]; merged. */
  readonly exposedPorts?: readonly string[];
  readonly stopSignal?: string;
}

// Adds layers on top with one history entry each; the config's diff_ids follow on output.
export function appendLayers(image: Image, layers: readonly Layer[], history: LayerHistory = {}): Image {
  const entry: HistoryEntry = {
    ...(history.epoch === undefined ? {} : { created: epochToCreated(history.epoch) }),
    ...(history.createdBy === undefined ? {} : { created_by: history.createdBy }),
    ...(history.comment === undefined ? {} : { comment: history.comment }),
  };
  // A base without (enough) history gets blank entries for its layers, so counts stay consistent.
  const past = image.config.history ?? [];
  const missing = Math.max(0, image.layers.length - past.filter((h) => !h.empty_layer).length);
  const config: ImageConfig = { ...image.config, history: [...past, ...Array.from({ length: missing }, () => ({})), ...layers.map(() => entry)] };
  const added = layers.map((layer) => ({ descriptor: layerDescriptor(layer), diffId: layer.diffId, bytes: layer.bytes }));
  return withoutRaw({ ...image, config, layers: [...image.layers, ...added] });
}

// Merges `NAME=value` lists by name; order is deterministic (base order, then new names).
export function mergeEnv(base: readonly string[], changes: Readonly<Record<string, string>>): string[] {
  const out = base.map((line) => {
    const name = line.split('=', 1)[0]!;
    return Object.hasOwn(changes, name) ? `${name}=${changes[name]}` : line;
  });
  const present = new Set(base.map((line) => line.split('=', 1)[0]!));
  for (const [name, value] of Object.entries(changes)) if (!present.has(name)) out.push(`${name}=${value}`);
  return out;
}

// Applies runtime-config changes (Entrypoint, Cmd, User, WorkingDir, Env, Labels, ports, signal).
export function configure(image: Image, changes: ConfigChanges): Image {
  const old: RuntimeConfig = image.config.config ?? {};
  const next: Record<string, unknown> = { ...old };
  if (changes.user !== undefined) next.User = changes.user;
  if (changes.exposedPorts !== undefined) {
    const ports: Record<string, Record<string, never>> = { ...(old.ExposedPorts ?? {}) };
    for (const port of changes.exposedPorts) ports[port.includes('/') ? port : `${port}/tcp`] = {};
    next.ExposedPorts = Object.fromEntries(Object.entries(ports).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
  if (changes.env !== undefined) next.Env = mergeEnv(old.Env ?? [], changes.env);
  if (changes.entrypoint !== undefined) {
    next.Entrypoint = [...changes.entrypoint];
    if (changes.cmd === undefined) delete next.Cmd;
  }
  if (changes.cmd !== undefined) next.Cmd = [...changes.cmd];
  if (changes.workingDir !== undefined) next.WorkingDir = changes.workingDir;
  if (changes.labels !== undefined) next.Labels = { ...(old.Labels ?? {}), ...changes.labels };
  if (changes.stopSignal !== undefined) next.StopSignal = changes.stopSignal;
  return withoutRaw({ ...image, config: { ...image.config, config: next as RuntimeConfig } });
}

// Sets the config's `created` from an epoch (SOURCE_DATE_EPOCH or 0), never from the clock.
export function setCreated(image: Image, epoch: number): Image {
  return withoutRaw({ ...image, config: { ...image.config, created: epochToCreated(epoch) } });
}

// Merges manifest annotations (org.opencontainers.image.source/revision/base.digest, …) into the
// base's; `replace` drops the base's first (a loaded base keeps its manifest annotations).
export function annotate(image: Image, annotations: Readonly<Record<string, string>>, options: { replace?: boolean } = {}): Image {
  return withoutRaw({ ...image, annotations: { ...(options.replace ? {} : image.annotations), ...annotations } });
}

function withoutRaw(image: Image): Image {
  const { raw: _raw, ...rest } = image;
  return rest;
}
