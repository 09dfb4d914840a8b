#!/usr/bin/env bash
# Installs what build-static needs on a Debian/Ubuntu host, then builds the CLI and checks the
# machine (build-static doctor). Idempotent: a second run installs nothing and takes seconds. As
# root it installs Debian packages itself; otherwise it prints the exact apt-get command to run.
#
#   ./setup.sh           what building (and the example) needs
#   ./setup.sh --tests   also the test peers: podman, docker-registry, redis, cargo-chef, Deno,
#                        BuildKit/buildx, dockerd, syft (npm test needs them)
#
# Heavy downloads are cached outside the clone (BUILD_STATIC_CACHE, default ~/.cache/build-static),
# so a warm machine is fast.
set -euo pipefail

with_tests=0
for arg in "$@"; do
  case "$arg" in
    --tests) with_tests=1 ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
    *) printf 'setup: unknown option %s (known: --tests, --help)\n' "$arg" >&2; exit 2 ;;
  esac
done

cd "$(dirname "$0")"
CACHE="${BUILD_STATIC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/build-static}"
mkdir -p "$CACHE"
SETUP_START=$SECONDS
log() { printf 'setup: [%4ds] %s\n' "$((SECONDS - SETUP_START))" "$*" >&2; }

host_arch=$(dpkg --print-architecture 2>/dev/null || echo unknown)
case "$host_arch" in
  amd64) foreign=arm64; foreign_gnu=aarch64-linux-gnu ;;
  arm64) foreign=amd64; foreign_gnu=x86_64-linux-gnu ;;
  *) log "unsupported host architecture '$host_arch': build-static's setup knows Debian amd64 and arm64 hosts"; exit 3 ;;
esac

# --- Debian packages -------------------------------------------------------------------------
# rustc-web/cargo-web/rust-web-src: a rustc with std sources, for -Zbuild-std when no prebuilt
#   musl std can be had (rustup downloads are not always reachable).
# musl-tools, musl-dev (both architectures), gcc/binutils for the foreign architecture: the C side
#   of the cross build (-sys crates such as libmimalloc-sys compile C).
# cmake, make, perl: what common -sys crates' C builds run (aws-lc-sys, openssl-src, jemalloc).
# clang, libclang-dev: bindgen in build scripts (libbzip3-sys of ouch); g++ for both architectures:
#   -sys crates with C++ sources (unrar-ng-sys), which cc-rs compiles with the linker's g++.
# ccache: the musl C wrapper caches the C objects of crates' sources across target dirs (BUILD_STATIC_CCACHE=0: off).
packages=(rustc-web cargo-web rust-web-src musl-tools musl-dev libunwind-14-dev
  "gcc-$foreign_gnu" "g++-$foreign_gnu" "binutils-$foreign_gnu" "libc6-dev-$foreign-cross" "musl-dev:$foreign"
  qemu-user-static binfmt-support ca-certificates curl cmake make perl g++ clang libclang-dev ccache)
# With --tests: mmdebstrap/arch-test (the muslrust stand-in's Debian roots, test/fresh-machine),
# podman/buildah/runc/skopeo (images, engines), docker-registry + apache2-utils (a real registry
# with htpasswd), redis-server (the example's Redis mode), jq, sqlite3, strace, python3 (bundle's
# subjects), wrk and time (bench/allocator).
[ "$with_tests" = 1 ] && packages+=(redis-server mmdebstrap arch-test
  podman skopeo buildah runc docker-registry apache2-utils jq
  sqlite3 strace python3-minimal
  wrk time)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    log "missing Debian packages: ${missing[*]}"
    log "run as root: dpkg --add-architecture $foreign && apt-get update && apt-get install -y ${missing[*]}"
    exit 3
  fi
  log "installing ${missing[*]}"
  dpkg --print-foreign-architectures | grep -qx "$foreign" || dpkg --add-architecture "$foreign"
  for attempt in 1 2 3; do
    if apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
      break
    fi
    [ "$attempt" -eq 3 ] && { log "apt-get failed three times"; exit 3; }
    log "apt-get failed (attempt $attempt), retrying in $((attempt * 10)) s"; sleep $((attempt * 10))
  done
fi

# --- rootful podman on this kind of machine ----------------------------------------------------
# crun fails on these cgroup setups and the default ulimits cannot be raised in the sandbox.
conf=/etc/containers/containers.conf
if [ "$(id -u)" -eq 0 ] && ! grep -q 'build-static' "$conf" 2>/dev/null; then
  mkdir -p /etc/containers
  cat >> "$conf" <<'CONF'
# build-static: settings for rootful podman in CI sandboxes
[containers]
default_ulimits = []
[engine]
runtime = "runc"
CONF
fi

# --- binfmt_misc: lets podman run the foreign architecture's images under qemu-user ---------
if [ "$(id -u)" -eq 0 ]; then
  qemu_fmt=$([ "$foreign" = arm64 ] && echo qemu-aarch64 || echo qemu-x86_64)
  mountpoint -q /proc/sys/fs/binfmt_misc 2>/dev/null || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc 2>/dev/null || true
  [ -e "/proc/sys/fs/binfmt_misc/$qemu_fmt" ] || update-binfmts --enable "$qemu_fmt" >/dev/null 2>&1 || log "could not register $qemu_fmt with binfmt_misc: podman cannot run $foreign images"
fi

# --- libunwind for the foreign architecture --------------------------------------------------
# libunwind-14-dev:$foreign conflicts with the native one, so unpack it privately; build-static
# looks for it under $CACHE/sysroots/<arch>.
sysroot="$CACHE/sysroots/$foreign"
if ! ls "$sysroot"/usr/lib/llvm-*/lib/libunwind.a >/dev/null 2>&1; then
  log "unpacking libunwind-14-dev:$foreign into $sysroot"
  tmp=$(mktemp -d "$CACHE/debs.XXXXXX")
  (cd "$tmp" && apt-get download -qq "libunwind-14-dev:$foreign" 2>/dev/null)
  mkdir -p "$sysroot.tmp" && dpkg-deb -x "$tmp"/libunwind-14-dev_*.deb "$sysroot.tmp"
  rm -rf "$sysroot" && mv "$sysroot.tmp" "$sysroot" && rm -rf "$tmp"
fi

# --- rustup, when the machine has none --------------------------------------------------------
# rustup's own installer (rustup-init from rustup's download server), minimal profile, into
# ~/.cargo like the official instructions: prebuilt musl std and the toolchains a project's
# rust-version asks for. Without it build-static still works with Debian's rustc-web (std
# compiled once from rust-web-src), only slower the first time.
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
if ! command -v rustup >/dev/null 2>&1; then
  rustup_arch=$([ "$host_arch" = amd64 ] && echo x86_64 || echo aarch64)
  log "installing rustup and the stable toolchain (minimal profile) into ${CARGO_HOME:-$HOME/.cargo}"
  init="$CACHE/rustup-init"
  for attempt in 1 2 3; do
    if curl -fsSL --retry 3 -o "$init.tmp" "https://static.rust-lang.org/rustup/dist/${rustup_arch}-unknown-linux-gnu/rustup-init" \
      && mv "$init.tmp" "$init" && chmod +x "$init" \
      && RUSTUP_INIT_SKIP_PATH_CHECK=yes "$init" -y -q --profile minimal --default-toolchain stable --no-modify-path >/dev/null 2>>"$CACHE/rustup-init.log"; then
      break
    fi
    [ "$attempt" -eq 3 ] && { log "could not install rustup; build-static will use Debian's rustc-web"; break; }
    sleep $((attempt * 5))
  done
fi

# --- prebuilt musl std from rustup, when it can be downloaded ---------------------------------
# Faster builds (no -Zbuild-std); when rustup cannot reach its servers build-static builds std
# from rust-web-src instead, so failure here is fine.
if command -v rustup >/dev/null 2>&1; then
  for t in x86_64-unknown-linux-musl aarch64-unknown-linux-musl; do
    if ! rustup target list --installed 2>/dev/null | grep -qx "$t"; then
      timeout 300 rustup target add "$t" >/dev/null 2>&1 && log "rustup: added $t" || log "rustup: could not add $t (offline?); build-static will use -Zbuild-std"
    fi
  done
fi

# --- test peers (./setup.sh --tests) ------------------------------------------------------------
if [ "$with_tests" = 1 ]; then
# --- Deno (the CLI's smoke test runs it under Deno 2) ------------------------------------------
deno_dir="$CACHE/deno"
if [ ! -x "$deno_dir/node_modules/@deno/linux-x64-glibc/deno" ] && [ "$host_arch" = amd64 ]; then
  log "installing Deno from the npm registry into $deno_dir"
  mkdir -p "$deno_dir"
  npm install --silent --no-save --no-package-lock --prefix "$deno_dir" @deno/linux-x64-glibc@2 >/dev/null \
    || log "could not install Deno (npm install @deno/linux-x64-glibc failed); the Deno tests will fail"
fi

# --- cargo-chef (build-static plan/cook are tested against the real one) ----------------------
# Installed with cargo into ~/.cargo/bin, outside the clone, so it is built once per machine; only
# when `cargo chef --version` fails. Without it only the cargo-chef compatibility tests fail.
if command -v cargo >/dev/null 2>&1 && ! cargo chef --version >/dev/null 2>&1; then
  log "installing cargo-chef (cargo install --locked cargo-chef, a few minutes once)"
  cargo install --locked --quiet cargo-chef || log "could not install cargo-chef; the recipe compatibility tests will fail"
fi
# --- end cargo-chef ----------------------------------------------------------------------------

# --- BuildKit and docker buildx (build --engine buildx, and the Dockerfile tests) ------------
# No release binaries can be downloaded here, so buildkitd/buildctl and the buildx CLI plugin are
# built from their Go modules (Go module proxy) into $CACHE/go/bin, once per machine and version
# (cold: ~7 + ~12 min on 2 cores; warm: a version check). buildkit's go.mod has exclude directives,
# which `go install pkg@version` refuses, so it is built inside its downloaded module instead.
BUILDKIT_VERSION=v0.34.2
BUILDX_VERSION=v0.38.2
gobin="$CACHE/go/bin"
go_cmd=$(command -v go || echo /usr/local/go/bin/go)
golog="$CACHE/go/build.log"
go_env() { env GOPATH="$CACHE/go/path" GOMODCACHE="$CACHE/go/path/pkg/mod" GOCACHE="$CACHE/go/cache" GOFLAGS=-modcacherw GOTOOLCHAIN=local "$@"; }
if ! { "$gobin/buildkitd" --version 2>/dev/null | grep -q " $BUILDKIT_VERSION " && "$gobin/buildctl" --version 2>/dev/null | grep -q " $BUILDKIT_VERSION "; }; then
  if [ -x "$go_cmd" ]; then
    log "building buildkitd and buildctl $BUILDKIT_VERSION with Go (once; several minutes)"
    mkdir -p "$gobin" && rm -rf "$gobin.buildkit"
    if bk_dir=$(cd "$CACHE" && go_env "$go_cmd" mod download -json "github.com/moby/buildkit@$BUILDKIT_VERSION" 2>>"$golog" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p') && [ -n "$bk_dir" ] \
      && (cd "$bk_dir" && go_env "$go_cmd" build -mod=mod -ldflags "-X github.com/moby/buildkit/version.Version=$BUILDKIT_VERSION" -o "$gobin.buildkit/" ./cmd/buildkitd ./cmd/buildctl 2>>"$golog"); then
      mv -f "$gobin.buildkit/buildkitd" "$gobin.buildkit/buildctl" "$gobin/" && rm -rf "$gobin.buildkit"
    else
      log "could not build buildkit $BUILDKIT_VERSION (see $golog); the BuildKit tests will fail"
    fi
  else
    log "no Go toolchain ($go_cmd): cannot build buildkitd; the BuildKit tests will fail"
  fi
fi
if ! "$gobin/buildx" version 2>/dev/null | grep -q " $BUILDX_VERSION "; then
  if [ -x "$go_cmd" ]; then
    log "building docker buildx $BUILDX_VERSION with Go (once; several minutes)"
    mkdir -p "$gobin"
    (cd "$CACHE" && go_env GOBIN="$gobin" "$go_cmd" install -ldflags "-X github.com/docker/buildx/version.Version=$BUILDX_VERSION" "github.com/docker/buildx/cmd/buildx@$BUILDX_VERSION" 2>>"$golog") \
      || log "could not build buildx $BUILDX_VERSION (see $golog); build --engine buildx and the BuildKit tests will fail"
  fi
fi
# syft (Anchore's SBOM scanner) checks build-static's SBOMs and .dep-v0 sections the way users'
# scanners read them (test/integration/scanner.test.ts); built from the Go module proxy, once.
SYFT_VERSION=v1.57.2
if ! "$go_cmd" version -m "$gobin/syft" 2>/dev/null | grep -q "github.com/anchore/syft[[:space:]]*$SYFT_VERSION"; then
  if [ -x "$go_cmd" ]; then
    log "building syft $SYFT_VERSION with Go (once; several minutes)"
    mkdir -p "$gobin"
    (cd "$CACHE" && go_env GOBIN="$gobin" "$go_cmd" install "github.com/anchore/syft/cmd/syft@$SYFT_VERSION") \
      || log "could not build syft $SYFT_VERSION; the SBOM scanner test will fail"
  fi
fi
plugin_dir="${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins"
if [ -x "$gobin/buildx" ] && ! cmp -s "$gobin/buildx" "$plugin_dir/docker-buildx"; then
  mkdir -p "$plugin_dir" && install -m 0755 "$gobin/buildx" "$plugin_dir/docker-buildx"
fi
# The buildx plugin needs a docker CLI, and `build --engine docker` is tested against a real Docker
# engine: Debian's docker.io brings dockerd (20.10, BuildKit inside) and, when none is here, a CLI.
# Nothing starts it: the tests run their own dockerd (test/helpers/dockerd.ts).
if { ! command -v docker >/dev/null 2>&1 || ! command -v dockerd >/dev/null 2>&1; } && [ "$(id -u)" -eq 0 ]; then
  log "installing docker.io (dockerd and the docker CLI)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker.io >/dev/null || log "could not install docker.io"
fi
# --- end BuildKit ------------------------------------------------------------------------------
fi  # with_tests

# --- the project itself ----------------------------------------------------------------------
# npm install, not npm ci: npm 11 here rejects lockfiles without other platforms' optional
# packages ("Missing: @rollup/rollup-android-… from lock file"); install still pins the versions.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm dependencies"
  npm install --no-audit --no-fund --loglevel=error
fi
npx turbo run build --output-logs=errors-only >/dev/null

# --- self-check: the same checks as `build-static doctor` ---------------------------------------
# Compiles and links C with each cross compiler, builds and runs a Rust hello for both platforms;
# every missing piece is one line with the command that fixes it.
if ! node scripts/dist/cli/main.js doctor 2>&1 | sed 's/^/setup: doctor: /' >&2; then  # pipefail: doctor's status
  log "the machine is not ready: fix the FAIL lines above (or run ./setup.sh again as root)"
  exit 3
fi
log "ready: $(node scripts/dist/cli/main.js --version) (npx build-static in this checkout)"
