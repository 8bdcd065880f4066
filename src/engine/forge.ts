/**
 * Forged packets, as docs/panos-model.md#forged-packets and #actions-at-setup describe them:
 * - TTL / hop limit are the firewall's own (emulator.forged-ttl / forged-hop-limit), never the
 *   impersonated host's: that is how a firewall RST gives itself away (see docs/panos-model.md#forged-packets).
 * - IP ID 0, DF set, no TCP options, window 0 (buildFrame defaults for IP ID and DF).
 * - Ethernet source = the MAC of the host being impersonated as learned from the session's frames,
 *   destination = the target's MAC; the session's VLAN tags are copied.
 * - Sessions seen on a link without MACs (raw IP, SLL, NULL) get raw IP packets (`Emit.linkType` 101).
 *
 * One Buffer per forged packet: forging is rare next to forwarding.
 */
import { buildFrame, buildIcmpErrorQuote } from '../wire/build.js'
import { FrameSummary, LinkType, TcpFlag } from '../wire/summary.js'
import type { SessionTable } from '../session/table.js'

export interface ForgeTtl { ttl: number, hopLimit: number }

function addrBytes (t: SessionTable, s: number, which: 0 | 1): Uint8Array {
  const n = t.verOf(s) === 4 ? 4 : 16
  const out = new Uint8Array(n)
  for (let i = 0; i < n; i += 4) {
    const w = t.addrWord(s, which, i >> 2)
    out[i] = w >>> 24; out[i + 1] = (w >>> 16) & 0xff; out[i + 2] = (w >>> 8) & 0xff; out[i + 3] = w & 0xff
  }
  return out
}

function vlanTcis (t: SessionTable, s: number): number[] {
  const n = t.vlanN[s]
  const out: number[] = []
  for (let i = 0; i < n; i++) out.push(t.vlanTci[2 * s + i])
  return out
}

/**
 * RST|ACK built from the session's tracked state (see docs/panos-model.md#actions-after-setup):
 * toward the client it is spoofed from the server with seq = the server's next sequence number and
 * ack = the client's next; toward the server it is symmetric. A direction not seen yet (the server
 * never answered) gives seq 0.
 */
export function forgeStateRst (t: SessionTable, s: number, toward: 'client' | 'server', ttl: ForgeTtl, ackDelta = 0): { frame: Buffer, linkType: number } {
  const from = toward === 'client' ? 1 : 0
  // ackDelta: a SYN-cookie session's server counts its sequence numbers from another ISN than the client sees (issue #15).
  return forgeStateSegment(t, s, toward, TcpFlag.RST | TcpFlag.ACK, t.td[(2 * s + from) * 4], (t.td[(2 * s + 1 - from) * 4] + ackDelta) >>> 0, 0, ttl)
}

/**
 * A TCP segment between the session's endpoints, spoofed from the one opposite `toward`, with the
 * firewall's TTL: the RSTs above and the SYN-cookie handshake's SYN and ACK to the server (issue #15).
 */
export function forgeStateSegment (t: SessionTable, s: number, toward: 'client' | 'server', flags: number, seq: number, ack: number,
  window: number, ttl: ForgeTtl, mss = -1): { frame: Buffer, linkType: number } {
  const toClient = toward === 'client'
  const from = toClient ? 1 : 0 // endpoint impersonated: 0 = client, 1 = server
  const to = 1 - from
  const eth = t.link[s] === LinkType.ETHERNET
  const mo = s * 12
  const frame = buildFrame({
    link: eth ? 'ethernet' : 'raw',
    srcMac: eth ? t.mac.subarray(mo + from * 6, mo + from * 6 + 6) : undefined,
    dstMac: eth ? t.mac.subarray(mo + to * 6, mo + to * 6 + 6) : undefined,
    vlanTcis: eth ? vlanTcis(t, s) : [],
    src: addrBytes(t, s, from as 0 | 1),
    dst: addrBytes(t, s, to as 0 | 1),
    ttl: t.verOf(s) === 4 ? ttl.ttl : ttl.hopLimit,
    ipId: 0,
    df: true,
    tcp: {
      sport: from === 0 ? t.cportOf(s) : t.sportOf(s),
      dport: from === 0 ? t.sportOf(s) : t.cportOf(s),
      seq,
      ack,
      flags,
      window,
      ...(mss >= 0 ? { options: { mss } } : {}),
    },
  })
  return { frame, linkType: eth ? LinkType.ETHERNET : LinkType.RAW }
}

/**
 * Reset-client decided at the first SYN (see docs/panos-model.md#actions-at-setup): RST|ACK, seq 0,
 * ack = SYN seq + 1, spoofed from the server, back toward the SYN's sender.
 */
export function forgeSynRst (fs: FrameSummary, ttl: ForgeTtl, seq = 0): { frame: Buffer, linkType: number } {
  return forgeReply(fs, ttl, TcpFlag.RST | TcpFlag.ACK, seq, (fs.seq + 1) >>> 0, 0)
}

/**
 * The SYN-ACK the firewall answers a SYN with under SYN cookies (issue #15): spoofed from the server
 * back to the SYN's sender, seq = the cookie, ack = SYN seq + 1, one option (MSS), window 65535, the
 * firewall's TTL — the one field that tells the client the server never saw its SYN.
 */
export function forgeCookieSynAck (fs: FrameSummary, cookie: number, mss: number, ttl: ForgeTtl): { frame: Buffer, linkType: number } {
  return forgeReply(fs, ttl, TcpFlag.SYN | TcpFlag.ACK, cookie, (fs.seq + 1) >>> 0, 65535, mss)
}

function forgeReply (fs: FrameSummary, ttl: ForgeTtl, flags: number, seq: number, ack: number, window: number, mss = -1): { frame: Buffer, linkType: number } {
  const f = fs.frame
  const eth = fs.ethOff >= 0
  const tcis: number[] = []
  if (fs.vlanCount > 0) tcis.push(fs.vlanTci0)
  if (fs.vlanCount > 1) tcis.push(fs.vlanTci1)
  const frame = buildFrame({
    link: eth ? 'ethernet' : 'raw',
    srcMac: eth ? f.subarray(fs.ethOff, fs.ethOff + 6) : undefined,
    dstMac: eth ? f.subarray(fs.ethOff + 6, fs.ethOff + 12) : undefined,
    vlanTcis: eth ? tcis : [],
    src: f.subarray(fs.dstOff, fs.dstOff + fs.addrLen),
    dst: f.subarray(fs.srcOff, fs.srcOff + fs.addrLen),
    ttl: fs.addrLen === 4 ? ttl.ttl : ttl.hopLimit,
    ipId: 0,
    df: true,
    tcp: { sport: fs.dstPort, dport: fs.srcPort, seq, ack, flags, window, ...(mss >= 0 ? { options: { mss } } : {}) },
  })
  return { frame, linkType: eth ? LinkType.ETHERNET : LinkType.RAW }
}

/**
 * ICMP administratively prohibited (v4 3/13, v6 1/1) from the firewall's own address `src`, back to
 * the sender of the packet in `fs`, quoting it (wire's buildIcmpErrorQuote: up to 576 bytes of IP for
 * v4, 1280 for v6). MACs: from the MAC the sender addressed, to the sender; VLAN tags copied.
 */
export function forgeIcmpProhibited (fs: FrameSummary, src: Uint8Array, ttl: ForgeTtl): { frame: Buffer, linkType: number } {
  const eth = fs.ethOff >= 0
  const frame = buildIcmpErrorQuote(fs, {
    src,
    ttl: fs.addrLen === 4 ? ttl.ttl : ttl.hopLimit,
    link: eth ? 'ethernet' : 'raw',
  })
  return { frame, linkType: eth ? LinkType.ETHERNET : LinkType.RAW }
}
