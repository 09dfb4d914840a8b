// `build-static dockerfile`: render the project's Dockerfile (and .dockerignore) to stdout or files.
import { parseChefImage } from '../../core/dockerfile/chef-image.ts';
import { parseCargoCache } from '../../core/dockerfile/render.ts';
import { dockerfileProject } from '../../core/dockerfile/project.ts';
import { writeDockerfile } from '../../core/dockerfile/write.ts';
import { BuildStaticError } from '../../errors.ts';
import { stringFlag } from '../args.ts';
import { defineCommand, OUTPUT_OPTIONS } from '../command.ts';
import { cargoFlagsFrom } from './build-options.ts';

const HELP = `Usage: build-static dockerfile [DIR] [--bin NAME] [--out FILE [--force]] [options]

Prints a Dockerfile for the Rust project in DIR (default: .) that builds static musl binaries for
every --platform of a multi-platform build, on BuildKit (docker buildx, docker) and podman:
  chef      FROM --platform=$BUILDPLATFORM <org>/muslrust-chef:<tag> — compiles on the build
            machine and cross-compiles for $TARGETPLATFORM: no QEMU in any compiling stage
  planner   cargo chef prepare (the recipe: manifests and Cargo.lock only)
  builder   cargo chef cook (a cached dependency layer), then cargo build with the same flags;
            cache mounts: the cargo registry (sharing=locked) and a target dir per project and
            platform; each binary is checked static by get-executable
  final     FROM --platform=$TARGETPLATFORM chainguard/static: the binaries in /usr/local/bin,
            mode 0555, owner 65532, USER 65532, ENTRYPOINT, org.opencontainers.image.* labels
The build context is the workspace root. Several binaries all go into the image; the entrypoint
is the one named like its package, else pass --bin. Build it with "build-static build --engine".

Options:
  --bin NAME             only this binary (and cargo chef prepare --bin NAME)
  --profile NAME         cargo profile (default release)
  --features LIST        cargo features to enable (comma-separated or repeated)
  --no-default-features  do not enable the default features
  --chef-image REF       default for the build args: ORG/muslrust-chef:TAG (default
                         build-static/muslrust-chef:latest)
  --base IMAGE           default for the BASE_IMAGE build arg (default cgr.dev/chainguard/static:latest)
  --cargo-cache MODE     mount (default): cargo's target dir and registry in cache mounts — fastest
                         on one machine, but a cache mount is never exported; layer: no mounts,
                         the compiled dependencies stay in the cook layer (cargo-chef's way), so
                         --cache-to type=registry carries them to a fresh or remote builder
  --out FILE             write the Dockerfile to FILE and a .dockerignore beside it (default: print)
  --force                replace an existing FILE or .dockerignore that has other content
  --json                 print {"dockerfile", "dockerignore", ...} as one JSON object
  --verbose              print extra detail with errors
  -h, --help             show this help

Settings in [package.metadata.build-static] (bin, profile, features, base) apply as for build.`;

const OPTIONS = {
  bin: { type: 'string' },
  profile: { type: 'string' },
  features: { type: 'string', multiple: true },
  'no-default-features': { type: 'boolean' },
  'chef-image': { type: 'string' },
  base: { type: 'string' },
  'cargo-cache': { type: 'string' },
  out: { type: 'string' },
  force: { type: 'boolean' },
  ...OUTPUT_OPTIONS,
} as const;

// One dockerfileProject() call; the Dockerfile goes to stdout or, with --out, to two files.
export const dockerfileCommand = defineCommand('dockerfile', HELP, {
  options: OPTIONS,
  onePositional: 'one project directory',
  run: async ({ values, dir }, ctx) => {
    const chefRef = stringFlag(values['chef-image']);
    const chef = chefRef === undefined ? undefined : parseChefImage(chefRef);
    const base = stringFlag(values.base);
    const cargoCache = parseCargoCache(stringFlag(values['cargo-cache']));
    const extras = {
      ...(chef ? { chefOrg: chef.org, chefTag: chef.tag } : {}),
      ...(base ? { base } : {}),
      ...(cargoCache ? { cargoCache } : {}),
    };
    const rendered = await dockerfileProject(dir, cargoFlagsFrom(values), extras);
    if (rendered.allocator.note) ctx.stderr(`build-static: note: ${rendered.allocator.note}`);
    const out = stringFlag(values.out);
    if (out === undefined) {
      if (values.force === true) throw new BuildStaticError('USAGE', '--force only applies with --out FILE');
      const json = { ok: true, context: rendered.contextDir, dockerfile: rendered.dockerfile, dockerignore: rendered.dockerignore };
      ctx.stdout(ctx.json ? JSON.stringify(json) : rendered.dockerfile.replace(/\n$/, ''));
      return 0;
    }
    const protect = [`${rendered.contextDir}/Cargo.toml`, `${rendered.contextDir}/Cargo.lock`];
    const written = await writeDockerfile(out, rendered, values.force === true, protect);
    if (ctx.json)
      ctx.stdout(
        JSON.stringify({
          ok: true,
          context: rendered.contextDir,
          written,
          dockerfile: rendered.dockerfile,
          dockerignore: rendered.dockerignore,
        }),
      );
    else ctx.stdout(`wrote ${written.dockerfile} and ${written.dockerignore} (build context: ${rendered.contextDir})`);
    return 0;
  },
});
