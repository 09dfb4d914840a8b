// `--chef-image ORG/muslrust-chef:TAG`: the one flag that fills the Dockerfile's
// MUSLRUST_CHEF_ORG and MUSLRUST_CHEF_TAG build args, checked so a typo fails before a build.
import { BuildStaticError } from '../../errors.ts';
import { CHEF_IMAGE_NAME, DEFAULT_CHEF_TAG } from './render.ts';

export interface ChefImage {
  readonly org: string;
  readonly tag: string;
}

const ORG = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+)?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

// Splits ORG/muslrust-chef[:TAG] (ORG may start with a registry host:port); USAGE otherwise.
export function parseChefImage(ref: string): ChefImage {
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  const hasTag = colon > slash;
  const org = ref.slice(0, Math.max(slash, 0));
  const name = ref.slice(slash + 1, hasTag ? colon : undefined);
  const tag = hasTag ? ref.slice(colon + 1) : DEFAULT_CHEF_TAG;
  if (slash <= 0 || name !== CHEF_IMAGE_NAME || !ORG.test(org) || !TAG.test(tag)) {
    throw new BuildStaticError('USAGE', `--chef-image must be ORG/${CHEF_IMAGE_NAME}[:TAG] (e.g. 127.0.0.1:5000/build-static/${CHEF_IMAGE_NAME}:latest), got "${ref}"`);
  }
  return { org, tag };
}
