/**
 * The namespace lab: `client` ↔ `fw` ↔ `server` joined by two veth pairs, so a userspace bridge in `fw`
 * sits between two real Linux TCP stacks.
 *
 * ```
 *  [client] c0 ─── fwc [fw] fws ─── s0 [server]
 *  198.18.0.1/24                    198.18.0.2/24     (same subnet: the bridge is a bump in the wire)
 *  2001:db8::1/64                   2001:db8::2/64
 * ```
 *
 * The fw-side veths carry no address (a virtual wire has none). Offloads are turned off deliberately:
 * - endpoints: `tx off` (checksum offload) so frames leave with finished checksums — a userspace bridge that
 *   captures and re-sends a frame cannot finish a checksum the kernel left pending; `tso/gso off` so no
 *   64 KB super-frames are handed to the peer; `rx off` so the endpoints verify every checksum themselves,
 *   forged packets included (veth would otherwise mark packet-socket frames as already verified).
 * - fw side: `gro/gso/tso off` so captures see wire-sized frames.
 * The server namespace uses TTL / hop limit 54 so its packets look 10 hops away (see docs/panos-model.md#forged-packets).
 * Static neighbour entries and `nodad` addresses keep ARP/ND and DAD out of test timing.
 *
 * Addresses are only 198.18.0.0/15 and 2001:db8::/32 (workplace rule).
 */
import { execFileSync } from 'node:child_process'

export interface LabNames {
  client: string
  fw: string
  server: string
}

export interface LabOptions {
  /** Name prefix: tests use a unique one (`rl<pid>x<n>`), `npm run lab` uses `rstlab`. */
  prefix: string
  /** Create a kernel bridge br0 over the fw veths instead of leaving them for a userspace bridge. */
  kernelBridge?: boolean
}

export const LAB = {
  clientIf: 'c0',
  serverIf: 's0',
  fwClientIf: 'fwc',
  fwServerIf: 'fws',
  clientMac: '02:00:00:00:00:01',
  serverMac: '02:00:00:00:00:02',
  client4: '198.18.0.1',
  server4: '198.18.0.2',
  client6: '2001:db8::1',
  server6: '2001:db8::2',
  /** The firewall's own address for forged ICMP (configured in policies, never assigned to an interface). */
  fw4: '198.18.0.254',
  fw6: '2001:db8::fe',
  serverTtl: 54,
} as const

function run (args: string[], opts: { ignore?: boolean } = {}): string {
  try {
    return execFileSync(args[0]!, args.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  } catch (e) {
    if (opts.ignore === true) return ''
    const err = e as { stderr?: string, message: string }
    throw new Error(`lab: \`${args.join(' ')}\` failed: ${(err.stderr ?? err.message).trim()}`)
  }
}

function nsRun (ns: string, args: string[], opts: { ignore?: boolean } = {}): string {
  return run(['ip', 'netns', 'exec', ns, ...args], opts)
}

export class Lab {
  readonly names: LabNames
  readonly prefix: string
  private readonly kernelBridge: boolean

  constructor (opts: LabOptions) {
    this.prefix = opts.prefix
    this.kernelBridge = opts.kernelBridge === true
    this.names = { client: `${opts.prefix}-client`, fw: `${opts.prefix}-fw`, server: `${opts.prefix}-server` }
  }

  /** Build the namespaces. On any failure everything already made is removed before rethrowing. */
  up (): void {
    try { this.build() } catch (e) { this.down(); throw e }
  }

  private build (): void {
    const { client, fw, server } = this.names
    for (const ns of [client, fw, server]) run(['ip', 'netns', 'add', ns])
    // Sysctls first, so interfaces created/moved afterwards inherit `default` values.
    for (const ns of [client, fw, server]) {
      nsRun(ns, ['sysctl', '-qw', 'net.ipv6.conf.all.accept_dad=0', 'net.ipv6.conf.default.accept_dad=0',
        'net.ipv6.conf.all.accept_ra=0', 'net.ipv6.conf.default.accept_ra=0',
        'net.ipv6.conf.default.router_solicitations=0', 'net.ipv6.conf.all.router_solicitations=0'])
    }
    // fw: no IP stack on the wire ports (a virtual wire has no addresses).
    nsRun(fw, ['sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1'])
    nsRun(server, ['sysctl', '-qw', `net.ipv4.ip_default_ttl=${LAB.serverTtl}`,
      `net.ipv6.conf.all.hop_limit=${LAB.serverTtl}`, `net.ipv6.conf.default.hop_limit=${LAB.serverTtl}`])

    run(['ip', 'link', 'add', LAB.clientIf, 'netns', client, 'address', LAB.clientMac, 'type', 'veth',
      'peer', 'name', LAB.fwClientIf, 'netns', fw])
    run(['ip', 'link', 'add', LAB.serverIf, 'netns', server, 'address', LAB.serverMac, 'type', 'veth',
      'peer', 'name', LAB.fwServerIf, 'netns', fw])

    this.endpoint(client, LAB.clientIf, LAB.client4, LAB.client6, LAB.server4, LAB.server6, LAB.serverMac)
    this.endpoint(server, LAB.serverIf, LAB.server4, LAB.server6, LAB.client4, LAB.client6, LAB.clientMac)
    nsRun(server, ['sysctl', '-qw', `net.ipv6.conf.${LAB.serverIf}.hop_limit=${LAB.serverTtl}`])

    for (const ifn of [LAB.fwClientIf, LAB.fwServerIf]) {
      nsRun(fw, ['ethtool', '-K', ifn, 'gro', 'off', 'gso', 'off', 'tso', 'off', 'tx', 'off'])
      nsRun(fw, ['ip', 'link', 'set', ifn, 'up'])
    }
    nsRun(fw, ['ip', 'link', 'set', 'lo', 'up'])
    if (this.kernelBridge) this.addKernelBridge()
  }

  private endpoint (ns: string, ifn: string, a4: string, a6: string, peer4: string, peer6: string, peerMac: string): void {
    nsRun(ns, ['ethtool', '-K', ifn, 'tx', 'off', 'rx', 'off', 'tso', 'off', 'gso', 'off', 'gro', 'off'])
    nsRun(ns, ['ip', 'addr', 'add', `${a4}/24`, 'dev', ifn])
    nsRun(ns, ['ip', 'addr', 'add', `${a6}/64`, 'dev', ifn, 'nodad'])
    nsRun(ns, ['ip', 'link', 'set', ifn, 'up'])
    nsRun(ns, ['ip', 'link', 'set', 'lo', 'up'])
    nsRun(ns, ['ip', 'neigh', 'replace', peer4, 'lladdr', peerMac, 'dev', ifn, 'nud', 'permanent'])
    nsRun(ns, ['ip', '-6', 'neigh', 'replace', peer6, 'lladdr', peerMac, 'dev', ifn, 'nud', 'permanent'])
  }

  /** Join the fw veths with a kernel bridge (benchmark baseline); `removeKernelBridge` undoes it. */
  addKernelBridge (): void {
    const fw = this.names.fw
    nsRun(fw, ['ip', 'link', 'add', 'br0', 'type', 'bridge', 'stp_state', '0', 'forward_delay', '0'])
    nsRun(fw, ['ip', 'link', 'set', LAB.fwClientIf, 'master', 'br0'])
    nsRun(fw, ['ip', 'link', 'set', LAB.fwServerIf, 'master', 'br0'])
    nsRun(fw, ['ip', 'link', 'set', 'br0', 'up'])
  }

  removeKernelBridge (): void {
    nsRun(this.names.fw, ['ip', 'link', 'del', 'br0'], { ignore: true })
  }

  /** Remove this lab's namespaces (only ours; missing ones are fine). Deleting a namespace deletes its veths. */
  down (): void {
    for (const ns of [this.names.client, this.names.fw, this.names.server]) {
      run(['ip', 'netns', 'del', ns], { ignore: true })
    }
  }

  /** Argument prefix to run a command inside one of the lab's namespaces. */
  exec (which: keyof LabNames): string[] {
    return ['ip', 'netns', 'exec', this.names[which]]
  }
}

/** Why live tests cannot run here, or undefined when they can (root + `ip` + `ethtool`). */
export function liveUnavailable (): string | undefined {
  if (process.getuid?.() !== 0) return 'not running as root'
  for (const tool of ['ip', 'ethtool', 'tcpdump']) {
    try { execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }) } catch { return `\`${tool}\` not found` }
  }
  return undefined
}
