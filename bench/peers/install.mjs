// The peers, installed by the bench itself into ~/.cache/build-static-bench/peers (outside the
// clone) from the package registries, each skipped when already there at the pinned version:
// cargo-zigbuild and Zig from PyPI (a venv), magicpak from crates (cargo install), cargo-chef and
// skopeo as setup.sh installs them (their versions are recorded, not pinned here).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { baseEnv, peersDir, run, say } from './common.mjs';

export const PINS = { cargoZigbuild: '0.24.1', ziglang: '0.17.1', magicpak: '1.4.0' };
const venv = join(peersDir, 'venv');
const magicpakRoot = join(peersDir, 'magicpak');
export const magicpakBin = join(magicpakRoot, 'bin', 'magicpak');

// PATH with the venv's bin first: `cargo zigbuild` and `python-zig` come from there.
export const zigEnv = () => ({ ...baseEnv, PATH: `${join(venv, 'bin')}:${baseEnv.PATH}` });

function pipVersion(name) {
  const r = run([join(venv, 'bin', 'pip'), 'show', name], { allowFail: true });
  return /^Version: (\S+)/m.exec(r.stdout)?.[1];
}

// cargo-zigbuild + ziglang at the pinned versions in the venv; returns their versions.
export function ensureZigbuild() {
  if (!existsSync(join(venv, 'bin', 'pip'))) run(['python3', '-m', 'venv', venv]);
  if (pipVersion('cargo-zigbuild') !== PINS.cargoZigbuild || pipVersion('ziglang') !== PINS.ziglang) {
    say(`installing cargo-zigbuild ${PINS.cargoZigbuild} + ziglang ${PINS.ziglang} into ${venv}`);
    run([join(venv, 'bin', 'pip'), 'install', '--quiet', `cargo-zigbuild==${PINS.cargoZigbuild}`, `ziglang==${PINS.ziglang}`]);
  }
  const zig = run([join(venv, 'bin', 'python'), '-m', 'ziglang', 'version'], { env: zigEnv() }).stdout.trim();
  return { cargoZigbuild: pipVersion('cargo-zigbuild'), zig };
}

// magicpak's version as cargo install recorded it (magicpak has no --version).
const magicpakVersion = () =>
  /^magicpak v(\S+):/m.exec(run(['cargo', 'install', '--list', '--root', magicpakRoot], { allowFail: true }).stdout)?.[1];

// magicpak from crates, compiled under nice (it is setup, not the measurement).
export function ensureMagicpak() {
  if (!existsSync(magicpakBin) || magicpakVersion() !== PINS.magicpak) {
    say(`installing magicpak ${PINS.magicpak} into ${magicpakRoot} (cargo install, nice -n 19)`);
    run(['nice', '-n', '19', 'cargo', 'install', '--locked', 'magicpak', '--version', PINS.magicpak, '--root', magicpakRoot]);
  }
  return magicpakVersion();
}

// cargo-chef as setup.sh --tests installs it (on PATH).
// `cargo chef --version` prints "cargo-chef-chef X.Y.Z" (its clap name); the report keeps X.Y.Z.
export const cargoChefVersion = () => run(['cargo', 'chef', '--version']).stdout.trim();
export const skopeoVersion = () => run(['skopeo', '--version']).stdout.trim();
