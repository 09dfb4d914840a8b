#!/usr/bin/env bash
# The README's first command on a pristine machine: makes a bare Debian 12 root with mmdebstrap,
# gives it only what the README says a fresh machine has (root, Node >= 20, the clone), and runs
# `./setup.sh && npm run example` inside it (chroot), printing the time of each setup step.
# Nothing of this machine's caches is visible inside: rustup, std, mimalloc, npm packages are all
# fetched and built cold. Not part of `npm test` (it takes ~15-30 min on 2 cores); run it by hand:
#
#   sudo test/fresh-machine/run.sh [COMMIT]     # default: HEAD of this clone; needs mmdebstrap
#
# FRESH_COMMAND overrides what runs inside (default: the README's first command).
# Exit status: the inside command's. The root is removed afterwards (KEEP_ROOT=1 keeps it).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
commit=${1:-HEAD}
command=${FRESH_COMMAND:-./setup.sh && npm run example}
[ "$(id -u)" -eq 0 ] || { echo "fresh-machine: needs root (chroot, mounts)" >&2; exit 2; }
command -v mmdebstrap >/dev/null || { echo "fresh-machine: mmdebstrap is missing: apt-get install -y mmdebstrap (or ./setup.sh)" >&2; exit 3; }
node_bin=$(command -v node); npm_dir=$(dirname "$(readlink -f "$(command -v npm)")")/..

work=$(mktemp -d /var/tmp/bs-fresh.XXXXXX)
root="$work/root"
start=$SECONDS
stamp() { printf 'fresh-machine: [%4ds] %s\n' "$((SECONDS - start))" "$*" >&2; }
cleanup() {
  for m in dev/pts dev sys proc; do umount -l "$root/$m" 2>/dev/null || true; done
  [ "${KEEP_ROOT:-0}" = 1 ] && { stamp "kept $root"; return; }
  # Never recurse into a mount that is still there (a bound /dev would be the host's /dev).
  if grep -q " $root/" /proc/mounts; then stamp "mounts remain under $root; not removing it"; return; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'stamp "interrupted"; exit 130' INT TERM

mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
mirror=${mirror:-http://deb.debian.org/debian}
stamp "mmdebstrap bookworm minbase from $mirror"
mmdebstrap --quiet --variant=minbase --include=ca-certificates,git bookworm "$root" "deb $mirror bookworm main" "deb $mirror bookworm-updates main" "deb ${mirror%/debian}/debian-security bookworm-security main" >/dev/null
stamp "root ready: $(du -sh "$root" | cut -f1)"

# What the README says a fresh machine has: Node >= 20 (with npm) and the clone.
install -m 0755 "$node_bin" "$root/usr/local/bin/node"
mkdir -p "$root/usr/local/lib/node_modules" && cp -a "$npm_dir" "$root/usr/local/lib/node_modules/npm"
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
git clone --quiet --no-hardlinks "$repo" "$root/root/build-static"
git -C "$root/root/build-static" checkout --quiet "$(git -C "$repo" rev-parse "$commit")"
stamp "node $("$node_bin" --version) and the clone at $(git -C "$repo" rev-parse --short "$commit") copied in"

# The network's own trust: a machine here trusts its egress CA (in /usr/local/share/ca-certificates
# and the CA variables of its environment); the fresh root gets the same, nothing else.
cp /etc/resolv.conf "$root/etc/resolv.conf"
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
  chroot "$root" update-ca-certificates >/dev/null 2>&1
fi
ca_env=()
for v in NODE_EXTRA_CA_CERTS SSL_CERT_FILE SSL_CERT_DIR CURL_CA_BUNDLE GIT_SSL_CAINFO PIP_CERT REQUESTS_CA_BUNDLE; do
  [ -n "${!v:-}" ] && ca_env+=("$v=${!v}")
done
mount -t proc proc "$root/proc"; mount --rbind /sys "$root/sys"; mount --bind /dev "$root/dev"; mount --bind /dev/pts "$root/dev/pts"
stamp "running: $command"
set +e
chroot "$root" /usr/bin/env -i "${ca_env[@]}" HOME=/root TERM=dumb PATH=/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin \
  bash -c "cd /root/build-static && $command" 2>&1 | sed -u 's/^/  | /'
status=${PIPESTATUS[0]}
set -e
stamp "finished with exit $status"
exit "$status"
