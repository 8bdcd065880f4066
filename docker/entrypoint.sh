#!/bin/sh
# rstlab container entrypoint (installed as /usr/local/bin/rstlab, the image's ENTRYPOINT).
#
# - Runs the CLI as the unprivileged user `node`, never as root. Only `bridge` and `tap`, which capture and
#   inject frames, keep two capabilities: NET_RAW (packet sockets) and NET_ADMIN (promiscuous mode, offloads).
# - Says what a capture command needs when the container was started without those capabilities.
# - With RSTLAB_OFFLOADS=off, switches off receive/segmentation offloads on the interfaces it bridges, so the
#   bridge sees and forwards wire-sized frames (GRO/LRO would hand it merged 64 KB "frames", TSO/GSO would
#   leave segmentation to hardware that a veth does not have). Off by default: it changes the interfaces,
#   which matters with `--network host`.
# - RSTLAB_USER=root keeps root (e.g. to write into a mounted directory only root may write).
set -eu

APP=/opt/rstlab/bin/rstlab.js
NODE=/usr/local/bin/node

say () { printf 'rstlab (container): %s\n' "$*" >&2; }

# The subcommand: the first argument that is not an option.
sub=''
for a in "$@"; do
  case "$a" in -*) ;; *) sub=$a; break ;; esac
done

# Capability N present in this process's bounding set (what `docker run --cap-add/--cap-drop` decided)?
has_cap () {
  bnd=$(sed -n 's/^CapBnd:[[:space:]]*//p' /proc/self/status)
  [ $(( (0x$bnd >> $1) & 1 )) -eq 1 ]
}
CAP_NET_ADMIN=12
CAP_NET_RAW=13

keep=''
case "$sub" in
  bridge|tap)
    if ! has_cap $CAP_NET_RAW; then
      say "\`rstlab $sub\` reads and writes raw frames and needs the NET_RAW capability, which this container lacks."
      say "start it with: docker run --cap-add NET_RAW --cap-add NET_ADMIN ...  (compose: cap_add: [NET_RAW, NET_ADMIN])"
      exit 2
    fi
    keep='+net_raw'
    if has_cap $CAP_NET_ADMIN; then
      keep="$keep,+net_admin"
    else
      say "warning: no NET_ADMIN capability: interface settings (promiscuous mode, offloads) may fail; add --cap-add NET_ADMIN"
    fi
    if [ "${RSTLAB_OFFLOADS:-}" = off ]; then
      # Every argument naming an interface of this container is one of the bridged ports.
      for a in "$@"; do
        case "$a" in -*|*/*|'') continue ;; esac
        [ -e "/sys/class/net/$a" ] || continue
        if ! has_cap $CAP_NET_ADMIN; then
          say "RSTLAB_OFFLOADS=off needs NET_ADMIN to change $a's offloads: add --cap-add NET_ADMIN"
          exit 2
        fi
        for feature in gro lro gso tso; do
          ethtool -K "$a" "$feature" off 2>/dev/null || true
        done
        say "$a: offloads $(ethtool -k "$a" 2>/dev/null | awk '/^(generic-receive-offload|large-receive-offload|generic-segmentation-offload|tcp-segmentation-offload):/ { sub(":", "", $1); printf "%s%s=%s", sep, $1, $2; sep=" " }')"
      done
    fi
    ;;
esac

if [ "$(id -u)" != 0 ] || [ "${RSTLAB_USER:-node}" = root ]; then
  exec "$NODE" "$APP" "$@"
fi
if [ -n "$keep" ]; then
  # Ambient capabilities survive the switch to uid 1000 and the exec of node; nothing else does.
  exec setpriv --reuid=node --regid=node --init-groups \
    --inh-caps="-all,$keep" --ambient-caps="-all,$keep" --bounding-set="-all,$keep" \
    -- "$NODE" "$APP" "$@"
fi
exec setpriv --reuid=node --regid=node --init-groups --inh-caps=-all --bounding-set=-all -- "$NODE" "$APP" "$@"
