#!/bin/sh
# Entrypoint of the lab's client and server containers (lab/compose.yaml): prepare the interface, then run the command.
#
# - Checksum offload off (`ethtool -K DEV tx off`, and TSO/GSO with it): a veth leaves TCP checksums to
#   "hardware" that does not exist, and a frame captured and re-sent by the firewall in between would reach the
#   peer with a wrong checksum; TSO would hand the firewall 64 KB segments it cannot send on a 1500-byte link.
# - An on-link route for the whole lab subnet (LAB_SUBNET, default 198.18.0.0/24): client and server sit on two
#   different docker networks (two halves of the /24) joined only by the firewall's layer-2 bridge, so each must
#   ARP for the other directly instead of using a gateway.
# - No default route: nothing in the lab may reach anything outside 198.18.0.0/24.
set -eu
# The container's one network interface (compose names it after its network: trust0 or untrust0), unless LAB_DEV says.
dev=${LAB_DEV:-$(ls /sys/class/net | grep -v '^lo$' | head -n 1)}
subnet=${LAB_SUBNET:-198.18.0.0/24}
ethtool -K "$dev" tx off tso off gso off >/dev/null 2>&1 \
  || { echo "endpoint: cannot switch off offloads on $dev (needs cap_add: NET_ADMIN)" >&2; exit 2; }
ip route replace "$subnet" dev "$dev"
# Docker gives every container a default route via its network's gateway (the host). The lab talks only to itself.
ip route del default 2>/dev/null || true
exec "$@"
