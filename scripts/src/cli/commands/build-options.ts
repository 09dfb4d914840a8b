// What build, cook, image and `build --engine` share: build's flags, their mapping to the
// library's options, the progress printer and the dry run's setup paragraph.
import type { BuildOptions } from '../../core/build/build.ts';
import type { BuildEvent } from '../../core/build/events.ts';
import type { BuildPlan } from '../../core/build/plan.ts';
import { escapeStep } from '../../core/exec/escape.ts';
import { type FlagValue, listFlag, strictListFlag, stringFlag } from '../args.ts';
import { OUTPUT_OPTIONS } from '../command.ts';
import type { CommandContext } from '../context.ts';

// prettier-ignore
export const BUILD_OPTIONS = {
  platform: { type: 'string', multiple: true }, bin: { type: 'string' }, profile: { type: 'string' },
  features: { type: 'string', multiple: true }, 'no-default-features': { type: 'boolean' },
  allocator: { type: 'string' }, std: { type: 'string' }, out: { type: 'string' }, auditable: { type: 'boolean' },
  force: { type: 'boolean' }, 'dry-run': { type: 'boolean' },
  ...OUTPUT_OPTIONS,
} as const;

// The cargo selection flags (--bin, --profile, --features, --no-default-features) every build
// path maps the same way.
export function cargoFlagsFrom(values: Record<string, FlagValue>) {
  return {
    bin: stringFlag(values.bin),
    profile: stringFlag(values.profile),
    features: listFlag(values.features),
    noDefaultFeatures: values['no-default-features'] === true ? true : undefined,
  };
}

// The build options build, cook and image take, from parsed flags.
export function buildOptionsFrom(values: Record<string, FlagValue>, dir: string, ctx: CommandContext): BuildOptions {
  return {
    dir,
    platforms: strictListFlag('--platform', values.platform),
    ...cargoFlagsFrom(values),
    allocator: stringFlag(values.allocator),
    std: stringFlag(values.std),
    out: stringFlag(values.out),
    auditable: values.auditable === true,
    force: values.force === true,
    dryRun: values['dry-run'] === true,
    signal: ctx.signal,
    onEvent: eventPrinter(ctx),
  };
}

// Prints build progress to stderr (stdout stays for the summary or JSON); cook says "cooked in"
// and leaves out the toolchain notes.
export function eventPrinter(
  ctx: CommandContext,
  how: { done: string; notes: boolean } = { done: 'built', notes: true },
): (event: BuildEvent) => void {
  return (event) => {
    const tag = 'platform' in event && event.platform ? `[${event.platform.id}] ` : '';
    switch (event.type) {
      case 'toolchain': {
        const notes = how.notes && ctx.verbose && event.notes.length ? ` (${event.notes.join('; ')})` : '';
        return ctx.stderr(`${tag}toolchain: ${event.rustc}, std: ${event.std}${event.reason ? ` — ${event.reason}` : ''}${notes}`);
      }
      case 'setup':
        return ctx.stderr(`setup: ${event.line}`);
      case 'start':
        return ctx.stderr(`[${event.platforms.map((p) => p.id).join(', ')}] $ ${event.command}`);
      case 'cargo':
        return ctx.stderr(`${tag}${event.line}`);
      case 'finished':
        ctx.stderr(`${tag}${how.done} in ${event.seconds.toFixed(1)} s (${unitSummary(event)})`);
        if (ctx.verbose && event.compiled.length) ctx.stderr(`${tag}compiled: ${event.compiled.join(' ')}`);
        return;
      case 'host-units':
        ctx.stderr(`host, shared by ${event.platforms.map((p) => p.id).join(', ')}: ${unitSummary(event)}`);
        if (ctx.verbose && event.compiled.length) ctx.stderr(`host compiled: ${event.compiled.join(' ')}`);
        return;
      case 'warning':
        return ctx.stderr(`build-static: warning: ${event.message}`);
    }
  };
}

// "3 packages compiled, 40 units fresh": whether the cook (or the last build) was reused.
function unitSummary(event: { compiled: readonly string[]; fresh: number }): string {
  const n = event.compiled.length;
  return `${n} package${n === 1 ? '' : 's'} compiled, ${event.fresh} unit${event.fresh === 1 ? '' : 's'} fresh`;
}

// The dry run's first paragraph when the build installs its toolchain first.
export function setupLines(plan: BuildPlan): string[] {
  return plan.setup?.length
    ? [['# first, once: install the Rust toolchain this build needs', ...plan.setup.map((s) => escapeStep(s))].join('\n')]
    : [];
}
