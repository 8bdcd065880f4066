/**
 * L3 injector: sends forged IP packets through raw sockets with the IP header included
 * (IPPROTO_RAW implies IP_HDRINCL / IPV6_HDRINCL on Linux), so the forged TTL / hop limit, addresses and
 * IP ID are kept exactly as the engine built them. The kernel picks the next hop by routing the
 * destination, so the sending host needs a route (and neighbour) toward it; with `bindTo` the packets
 * leave through that interface only (SO_BINDTODEVICE).
 *
 * Used by `rstlab tap` (the classic IDS reset) and by `rstlab bridge --inject l3`.
 */
import { RstlabError } from '../errors.js'
import { loadRawSocket, type RawSocket } from './native.js'
import type { Device, SendOutcome } from './device.js'

const IPPROTO_RAW = 255

export interface L3Stats {
  sent: number
  failed: number
  lastError: string | undefined
}

export class L3Injector implements Device {
  private readonly v4: RawSocket
  private readonly v6: RawSocket
  readonly stats: L3Stats = { sent: 0, failed: 0, lastError: undefined }
  /** The interface the packets are bound to, '' when the kernel routes them. */
  readonly name: string

  /** @throws RstlabError NATIVE_MISSING | PERMISSION | INJECT */
  constructor (bindTo?: string) {
    this.name = bindTo ?? ''
    const raw = loadRawSocket()
    try {
      this.v4 = raw.createSocket({ protocol: IPPROTO_RAW, addressFamily: raw.AddressFamily.IPv4 })
      this.v6 = raw.createSocket({ protocol: IPPROTO_RAW, addressFamily: raw.AddressFamily.IPv6 })
    } catch (e) {
      const msg = (e as Error).message
      if (/permit/i.test(msg)) {
        throw new RstlabError('RSTLAB_ERR_PERMISSION', `cannot open a raw socket: ${msg}`,
          'run as root, or give node CAP_NET_RAW (setcap cap_net_raw+eip $(command -v node))')
      }
      throw new RstlabError('RSTLAB_ERR_INJECT', `cannot open a raw socket: ${msg}`, 'check that raw-socket built: npm rebuild raw-socket')
    }
    for (const s of [this.v4, this.v6]) {
      s.on('error', (e: Error) => { this.stats.failed++; this.stats.lastError = e.message })
      s.pauseRecv() // send-only: never read what the raw socket would see
      if (bindTo !== undefined) {
        const name = Buffer.from(bindTo + '\0')
        try { s.setOption(raw.SocketLevel.SOL_SOCKET!, raw.SocketOption.SO_BINDTODEVICE!, name, name.length) } catch (e) {
          throw new RstlabError('RSTLAB_ERR_INJECT', `cannot bind the raw socket to \`${bindTo}\`: ${(e as Error).message}`,
            `check the interface: ip link show ${bindTo}`)
        }
      }
    }
  }

  /**
   * Send the IP packet inside the first `len` bytes of `frame` (an Ethernet frame, VLAN tags allowed).
   * 'not-ip' (counted in `stats`) when the frame holds no IP packet; a send that fails later, in the
   * socket, is counted in `stats` only.
   */
  send (frame: Buffer, len: number = frame.length): SendOutcome {
    const off = ipOffset(frame)
    if (off < 0 || off >= len) { this.stats.failed++; this.stats.lastError = 'not an IP packet'; return 'not-ip' }
    const version = frame[off]! >> 4
    const addr = version === 4 ? ipv4Dst(frame, off) : ipv6Dst(frame, off)
    const sock = version === 4 ? this.v4 : this.v6
    sock.send(frame, off, len - off, addr, null, (err) => {
      if (err !== null) { this.stats.failed++; this.stats.lastError = err.message } else this.stats.sent++
    })
    return 'ok'
  }

  close (): void {
    this.v4.close()
    this.v6.close()
  }
}

/** Offset of the IP header in an Ethernet frame (after up to two VLAN tags), -1 when none. */
export function ipOffset (frame: Buffer): number {
  let off = 12
  for (let tags = 0; tags <= 2; tags++) {
    if (frame.length < off + 2) return -1
    const type = frame.readUInt16BE(off)
    if (type === 0x8100 || type === 0x88a8) { off += 4; continue }
    if (type === 0x0800 || type === 0x86dd) return off + 2
    return -1
  }
  return -1
}

function ipv4Dst (b: Buffer, off: number): string {
  return `${b[off + 16]}.${b[off + 17]}.${b[off + 18]}.${b[off + 19]}`
}

function ipv6Dst (b: Buffer, off: number): string {
  const parts: string[] = []
  for (let i = 0; i < 16; i += 2) parts.push(b.readUInt16BE(off + 24 + i).toString(16))
  return parts.join(':')
}
