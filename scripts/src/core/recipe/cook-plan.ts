// Cook's cargo commands are build's: the same planBuild() over the same resolved settings
// (profile, features, target, RUSTFLAGS, CC/AR, linker, env), pointed at the skeleton's manifest
// but at the real project's per-platform target dirs. Only the manifest path and cwd can differ,
// and neither is part of cargo's fingerprints, so cook and build cannot drift.
import { type BuildPlan, type PlanInput, planBuild } from '../build/plan.ts';

// Plans cook from the skeleton's PlanInput, writing into `targetDirectory` when the skeleton
// lives beside the project (otherwise the skeleton's own target dir is the project's).
export function planCook(skeleton: PlanInput, targetDirectory?: string): BuildPlan {
  return planBuild(targetDirectory === undefined ? skeleton : { ...skeleton, targetDirectory });
}
