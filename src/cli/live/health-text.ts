/**
 * Port health findings (ingress/port-health.ts) in English for the bridge's stderr, and as log records.
 */
import type { Logger } from 'pino'
import type { PortHealthEvent } from '../../ingress/port-health.js'
import { offloadHint } from '../../ingress/iface.js'

/** Say `ev` through `note` (human lines) and `log` (one record). `interfaces`: the bridge's, for the offload hint. */
export function reportHealth (ev: PortHealthEvent, interfaces: string[], note: (line: string) => void, log: Logger): void {
  switch (ev.kind) {
    case 'over-mtu':
      note(`rstlab: warning: received a ${ev.len}-byte frame on ${ev.iface} (MTU ${ev.mtu}): offloads (GRO/LRO here, or TSO/GSO on the ` +
        'sender) merge segments; such frames cannot be forwarded and are counted as rstlab_tx_over_mtu')
      note(`  → ${offloadHint(interfaces)}`)
      log.warn({ log: 'system', len: ev.len, interface: ev.iface, mtu: ev.mtu }, 'frame over MTU')
      return
    case 'bad-checksum':
      note(`rstlab: warning: frames with wrong checksums arrive on ${ev.iface}: the sender probably uses checksum ` +
        'offload (the kernel leaves the checksum for the NIC); forwarded as they are, the receiver will drop them')
      note(`  → on the host or veth peer sending into ${ev.iface}: ethtool -K PEER tx off (docs/lab.md, Offloads)`)
      log.warn({ log: 'system', interface: ev.iface }, 'bad checksums received (checksum offload?)')
      return
    case 'down':
      note(`rstlab: warning: interface \`${ev.iface}\` is down; frames to it are dropped (rstlab_tx_if_down) until: ip link set ${ev.iface} up`)
      log.warn({ log: 'system', interface: ev.iface }, 'interface down')
      return
    case 'up':
      note(`rstlab: interface \`${ev.iface}\` is up again`)
      return
    case 'gone':
      note(`rstlab: interface \`${ev.iface}\` disappeared; stopping`)
  }
}
