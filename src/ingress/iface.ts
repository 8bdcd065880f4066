/**
 * Interface facts read from sysfs and ethtool: existence, up/down, MTU, offloads.
 * Used before a bridge starts (clear refusal instead of a half-working bridge) and while it runs.
 */
import { existsSync, readFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { RstlabError } from '../errors.js'

const IFF_UP = 0x1

export interface IfaceInfo {
  name: string
  mtu: number
  up: boolean
  /** operstate from sysfs: 'up', 'down', 'unknown', 'lowerlayerdown', ... */
  operstate: string
}

export function ifaceExists (name: string): boolean {
  return /^[\w.@:-]{1,15}$/.test(name) && existsSync(`/sys/class/net/${name}`)
}

/** @throws RstlabError RSTLAB_ERR_NO_INTERFACE when the interface does not exist. */
export function ifaceInfo (name: string): IfaceInfo {
  if (!ifaceExists(name)) {
    throw new RstlabError('RSTLAB_ERR_NO_INTERFACE', `interface \`${name}\` does not exist`,
      'list interfaces with `ip link` (inside the right namespace: `ip netns exec NS ip link`)')
  }
  const dir = `/sys/class/net/${name}`
  const read = (f: string): string => { try { return readFileSync(`${dir}/${f}`, 'utf8').trim() } catch { return '' } }
  const flags = parseInt(read('flags'), 16)
  return { name, mtu: Number(read('mtu')) || 1500, up: (flags & IFF_UP) !== 0, operstate: read('operstate') }
}

/** @throws RstlabError RSTLAB_ERR_NO_INTERFACE when missing or administratively down. */
export function requireUp (name: string): IfaceInfo {
  const info = ifaceInfo(name)
  if (!info.up) {
    throw new RstlabError('RSTLAB_ERR_NO_INTERFACE', `interface \`${name}\` is down`, `bring it up: ip link set ${name} up`)
  }
  return info
}

/** Offload features that make the kernel hand a packet socket frames bigger than the MTU. */
const RECEIVE_OFFLOADS = ['generic-receive-offload', 'large-receive-offload']

/**
 * Offloads on a bridge port that would break forwarding, as `ethtool -k` reports them: GRO/LRO merge
 * received segments into frames over the MTU, which cannot be sent out the other side.
 * Returns the offending feature names ([] when fine, or when ethtool is not installed: then undefined).
 */
export function badOffloads (name: string): string[] | undefined {
  let text: string
  try {
    text = execFileSync('ethtool', ['-k', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
  } catch { return undefined }
  const bad: string[] = []
  for (const line of text.split('\n')) {
    const m = /^([\w-]+):\s+(on|off)/.exec(line.trim())
    if (m !== null && m[2] === 'on' && RECEIVE_OFFLOADS.includes(m[1]!)) bad.push(m[1]!)
  }
  return bad
}

/** The one-line fix for offload trouble on a bridge port and the endpoints/peers feeding it. */
export function offloadHint (ifnames: string[]): string {
  return `turn receive offloads off on the bridge ports (${ifnames.map(n => `ethtool -K ${n} gro off lro off`).join('; ')}) ` +
    'and segmentation/checksum offloads on the hosts or veth peers sending into them (ethtool -K PEER tso off gso off tx off)'
}

/** An interface's kernel receive counters (sysfs `statistics/`), or undefined when they cannot be read. */
export interface RxStats { packets: number, dropped: number }

export function ifaceRxStats (name: string): RxStats | undefined {
  if (!ifaceExists(name)) return undefined
  try {
    const dir = `/sys/class/net/${name}/statistics`
    const packets = Number(readFileSync(`${dir}/rx_packets`, 'utf8').trim())
    const dropped = Number(readFileSync(`${dir}/rx_dropped`, 'utf8').trim())
    return Number.isFinite(packets) && Number.isFinite(dropped) ? { packets, dropped } : undefined
  } catch { return undefined }
}
