// Runs a build plan: each step's cargo concurrently (separate target dirs, so no lock fights; one
// step may build several platforms), cargo's progress streamed as events, built executables taken
// from cargo's JSON messages and assigned to a platform by the target/<triple>/ in their path.
import process from 'node:process';
import pLimit from 'p-limit';
import { BuildStaticError } from '../../errors.ts';
import { ensureStdSysroot } from '../toolchain/sysroot.ts';
import { CommandError, runStep } from '../exec/exec.ts';
import { escapeStep } from '../exec/escape.ts';
import type { BuildListener } from './events.ts';
import type { BuildPlan, BuildStep } from './plan.ts';
import type { Platform } from '../platform.ts';
import { classifyCargoFailure } from './classify-failure.ts';
import { UnitCounter, unitFromMessage } from './units.ts';

export interface BuiltExecutable {
  readonly step: BuildStep;
  readonly platform: Platform;
  readonly bin: string;
  readonly package: string;
  readonly path: string;
}

// Runs every step (at most `concurrency` at once) and returns the executables they produced;
// `onExecutable` hears of each one as soon as cargo has linked it, while other targets still build.
// The first failure is thrown after all running steps have finished, classified for the user.
export async function runPlan(
  plan: BuildPlan,
  options: { concurrency?: number; onEvent?: BuildListener; signal?: AbortSignal; onExecutable?: (exe: BuiltExecutable) => void } = {},
): Promise<BuiltExecutable[]> {
  const limit = pLimit(Math.max(1, options.concurrency ?? plan.steps.length));
  const emit = options.onEvent ?? (() => undefined);
  const results = await Promise.allSettled(
    plan.steps.map((step) =>
      limit(async () => {
        const started = Date.now();
        emit({ type: 'start', platform: step.platform, platforms: step.platforms, command: escapeStep(step) });
        // A shared step's cargo lines belong to no single platform: they go out untagged.
        const tag = step.platforms.length === 1 ? { platform: step.platform } : {};
        const found: BuiltExecutable[] = [];
        const units = new UnitCounter(step.platforms);
        if (step.stdSysroot) {
          const line = (text: string) => emit({ type: 'cargo', platform: step.platform, line: `std: ${text}` });
          const built = await ensureStdSysroot(step.platform, { rustc: step.stdSysroot.rustc, env: { ...process.env, ...step.env }, onLine: line });
          if (built.sysroot !== step.stdSysroot.dir) throw new BuildStaticError('TOOLCHAIN_MISSING', `the std sysroot for ${step.platform.triple} is not where the plan expects it (${built.sysroot} vs ${step.stdSysroot.dir}): was the toolchain replaced during the build?`);
        }
        try {
          await runStep(step, {
            signal: options.signal,
            onStderrLine: (line) => emit({ type: 'cargo', ...tag, line }),
            onStdoutLine: (line) => {
              const unit = unitFromMessage(line);
              if (!unit) return;
              units.add(unit);
              const platform = unit.executable && units.platformOf(unit.executable.path);
              if (!unit.executable || !platform || platform === 'host') return;
              const exe = { step, platform, bin: unit.executable.bin, package: unit.package, path: unit.executable.path };
              found.push(exe);
              options.onExecutable?.(exe);
            },
          });
        } catch (error) {
          throw error instanceof CommandError ? classifyCargoFailure(error, failedPlatform(step, error.stderr)) : error;
        }
        const seconds = (Date.now() - started) / 1000;
        if (step.platforms.length > 1) emit({ type: 'host-units', platforms: step.platforms, ...units.tally('host') });
        for (const platform of step.platforms) emit({ type: 'finished', platform, seconds, ...units.tally(platform.id) });
        return found;
      }),
    ),
  );
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
}

// The platform a failed step names: the one whose triple cargo's output mentions when only one is;
// otherwise all of the step's platforms together (cargo did not say which).
export function failedPlatform(step: BuildStep, stderr: string): Platform {
  if (step.platforms.length === 1) return step.platform;
  const named = step.platforms.filter((p) => stderr.includes(p.triple));
  if (named.length === 1 && named[0]) return named[0];
  return { ...step.platform, id: step.platforms.map((p) => p.id).join(', '), triple: step.platforms.map((p) => p.triple).join(', ') };
}
