/**
 * tshark cross-check: for every capture in ../shared/pcaps, rstlab's reader + decodeFrame must
 * report the same header fields as tshark, packet by packet.
 *
 * Compared (when tshark reports the field): VLAN ids, the OUTER IP layer's addresses, TTL / hop
 * limit and protocol, TCP ports / flags / seq / ack / window / payload length, UDP ports and
 * payload length, ICMP / ICMPv6 type and code. tshark runs with relative sequence numbers,
 * sequence analysis, reassembly and defragmentation off, so it reports each frame's own headers.
 *
 * A packet tshark marks malformed (`_ws.malformed`, or an expert item of severity "error" such as
 * "Bogus IP header length") must be a typed decode error in rstlab. A packet tshark decodes
 * cleanly must decode without error in rstlab (TCP_BAD_OPTIONS excepted: the frame stays usable).
 *
 * Principled exclusions (each still counts its other fields):
 *  1. ICMP / ICMPv6 errors quote the offending packet; tshark dissects the quote as IP + TCP/UDP.
 *     Only the outer IP and the ICMP type/code are the frame's own; quoted ports are not compared.
 *  2. Malformed in a layer rstlab does not decode (e.g. GRE): tshark's verdict is about bytes
 *     rstlab treats as opaque payload, so no rstlab error is required there.
 *  3. Snapped packets (captured < on-wire length, tshark: "[Packet size limited during capture]"):
 *     tshark dissects as far as the bytes go and does not call them malformed; rstlab refuses an IP
 *     packet whose length field runs past the captured bytes (a forwarder cannot pass half a
 *     packet) with a typed length error. Fields are compared up to the layer rstlab decoded.
 *  4. tshark computes no tcp.len for IP fragments; payload length is compared only where it does.
 *  5. The IP packet's own length leaves no room for the transport header (an empty IP payload, or
 *     a tiny first fragment, RFC 1858): tshark shows the bytes there are (or none) without a
 *     verdict, because the packet does not claim a whole header; rstlab types it tcp-truncated /
 *     udp-bad-length / icmp-truncated, as it cannot classify a flow without one. The IP layer is
 *     still compared.
 *  On a packet tshark calls malformed, the malformed layer and those after it are not compared
 *  (tshark shows the first fields of a header cut short; rstlab decodes a header whole or not at all).
 */
import t from 'tap'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { readCaptureBuffer } from '../../src/pcap/index.js'
import { decodeFrame, summaryAddr } from '../../src/wire/decode.js'
import { DECODE_CODE_NAMES, FrameSummary } from '../../src/wire/summary.js'
import { sharedCaptures } from '../helpers/shared.js'
import { RAW_FIELD_OPTS, mapLimit, requireTshark, tsharkFields } from '../helpers/tshark.js'

const FIELDS = [
  'frame.number', 'frame.protocols', '_ws.malformed', '_ws.short', '_ws.expert.severity', '_ws.expert.message',
  'vlan.id', 'ip.src', 'ip.dst', 'ip.ttl', 'ip.proto', 'ipv6.src', 'ipv6.dst', 'ipv6.hlim', 'ipv6.nxt',
  'tcp.srcport', 'tcp.dstport', 'tcp.flags', 'tcp.seq', 'tcp.ack', 'tcp.window_size_value', 'tcp.len',
  'udp.srcport', 'udp.dstport', 'udp.length', 'icmp.type', 'icmp.code', 'icmpv6.type', 'icmpv6.code',
]

/** tshark expert severity "error" (PI_ERROR). */
const PI_ERROR = '8388608'
const DECODE_TCP_BAD_OPTIONS = 12
/** Protocols rstlab decodes, as tshark names them in "[Malformed Packet: X]" / frame.protocols. */
const OUR_LAYERS = new Set(['Ethernet', 'IEEE 802.1Q', '802.1Q Virtual LAN', 'VLAN', 'IPv4', 'IPv6', 'TCP', 'UDP', 'ICMP', 'ICMPv6',
  'Linux cooked-mode capture', 'Linux cooked-mode capture v2', 'SLL', 'Null/Loopback', 'eth', 'vlan', 'ip', 'ipv6', 'tcp', 'udp', 'icmp', 'icmpv6'])
const UPPER: Record<string, number> = { tcp: 6, udp: 17, icmp: 1, icmpv6: 58 }

type Row = Record<string, string[]>

/** Name of the layer tshark found malformed, or undefined when it found none. */
function malformedLayer (row: Row): string | undefined {
  const m = row['_ws.malformed']!.join(' ').match(/Malformed Packet: ([^\]]+)\]/)
  if (m !== null) return m[1]
  if (row['_ws.malformed']!.length > 0) return 'unknown'
  const sev = row['_ws.expert.severity']!
  const msg = row['_ws.expert.message']!
  // Expert messages are joined by the aggregator like the severities, so indexes line up.
  for (let i = 0; i < sev.length; i++) {
    if (sev[i] !== PI_ERROR) continue
    const text = msg[i] ?? ''
    if (/IP(v4)? /.test(text) || /Bogus IP/.test(text)) return 'IPv4'
    if (/IPv6/.test(text)) return 'IPv6'
    if (/TCP/.test(text)) return 'TCP'
    if (/UDP/.test(text)) return 'UDP'
    return text
  }
  return undefined
}

let fieldsCompared = 0

/** Layer ranks, outermost first: a malformed layer and everything after it are not compared. */
const RANK_L2 = 0
const RANK_IP = 1
const RANK_L4 = 2
const TRANSPORT_CUT = new Set(['tcp-truncated', 'udp-bad-length', 'icmp-truncated'])

function layerRank (layer: string): number {
  if (/^(IPv4|IPv6|ip|ipv6)$/.test(layer)) return RANK_IP
  if (/^(TCP|UDP|ICMP|ICMPv6|tcp|udp|icmp|icmpv6)$/.test(layer)) return RANK_L4
  return RANK_L2
}

/** Compare one packet; returns the list of disagreements (empty = agreement). */
function comparePacket (row: Row, s: FrameSummary, snapped: boolean): string[] {
  const bad: string[] = []
  const eq = (what: string, theirs: string | undefined, ours: string | number | undefined): void => {
    if (theirs === undefined) return
    fieldsCompared++
    if (String(ours) !== theirs) bad.push(`${what}: tshark ${theirs} vs rstlab ${String(ours)}`)
  }
  const first = (f: string): string | undefined => row[f]![0]
  const errName = DECODE_CODE_NAMES[s.error] ?? String(s.error)
  const hardError = s.error !== 0 && s.error !== DECODE_TCP_BAD_OPTIONS
  const protos = (first('frame.protocols') ?? '').split(':')
  const ipAt = protos.findIndex(p => p === 'ip' || p === 'ipv6')
  let i = ipAt + 1
  while (ipAt >= 0 && i < protos.length && protos[i]!.startsWith('ipv6.')) i++
  const upper = ipAt >= 0 ? protos[i] : undefined

  // Which layers to compare: all of them, unless a layer is malformed (then only those before it).
  let compareBelow = RANK_L4 + 1
  const layer = malformedLayer(row)
  if (layer !== undefined && OUR_LAYERS.has(layer)) {
    if (!hardError) bad.push(`tshark: malformed ${layer}; rstlab: no decode error`)
    compareBelow = layerRank(layer)
  } else if (hardError) {
    if (snapped) {
      // Exclusion 3: compare what rstlab decoded before refusing the snapped packet.
      if (s.l4Off < 0) compareBelow = RANK_L4
    } else if (TRANSPORT_CUT.has(errName) && (upper === undefined || (s.isFragment && s.fragOffset === 0))) {
      // Exclusion 5: the IP packet's own length leaves no room for the transport header (empty
      // payload, or a tiny first fragment, RFC 1858). tshark shows the bytes there are without a verdict.
      compareBelow = RANK_L4
    } else {
      bad.push(`rstlab error ${errName}@${s.errorOffset} where tshark decodes cleanly`)
    }
  }

  if (compareBelow > RANK_L2) {
    // VLAN tags (up to the two rstlab decodes).
    const vlans = [s.vlanTci0 & 0xfff, s.vlanTci1 & 0xfff].slice(0, s.vlanCount).join(',')
    if (row['vlan.id']!.length > 0) eq('vlan ids', row['vlan.id']!.join(','), vlans)
  }
  if (ipAt < 0) {
    if (s.l3Off >= 0 && s.ipVersion !== 0) bad.push(`rstlab decoded IPv${s.ipVersion} where tshark saw none (${protos.join(':')})`)
    return bad
  }
  if (compareBelow <= RANK_IP) return bad
  // The outer IP layer: the first ip/ipv6 in frame.protocols.
  if (protos[ipAt] === 'ipv6') {
    eq('ipv6.src', first('ipv6.src'), summaryAddr(s, 'src'))
    eq('ipv6.dst', first('ipv6.dst'), summaryAddr(s, 'dst'))
    eq('ipv6.hlim', first('ipv6.hlim'), s.ttl)
    if (upper !== undefined && UPPER[upper] !== undefined) eq('ipv6 upper protocol', String(UPPER[upper]), s.proto)
    else if (i === ipAt + 1) eq('ipv6.nxt', first('ipv6.nxt'), s.proto)
  } else {
    eq('ip.src', first('ip.src'), summaryAddr(s, 'src'))
    eq('ip.dst', first('ip.dst'), summaryAddr(s, 'dst'))
    eq('ip.ttl', first('ip.ttl'), s.ttl)
    eq('ip.proto', first('ip.proto'), s.proto)
  }
  if (compareBelow <= RANK_L4) return bad
  if (upper === 'tcp') {
    eq('tcp.srcport', first('tcp.srcport'), s.srcPort)
    eq('tcp.dstport', first('tcp.dstport'), s.dstPort)
    const fl = first('tcp.flags')
    if (fl !== undefined) eq('tcp.flags', `0x${(parseInt(fl, 16) & 0x1ff).toString(16)}`, `0x${(s.tcpFlags & 0x1ff).toString(16)}`)
    eq('tcp.seq', first('tcp.seq'), s.seq)
    eq('tcp.ack', first('tcp.ack'), s.ack)
    eq('tcp.window_size_value', first('tcp.window_size_value'), s.window)
    eq('tcp.len', first('tcp.len'), s.payloadLen)
  } else if (upper === 'udp') {
    eq('udp.srcport', first('udp.srcport'), s.srcPort)
    eq('udp.dstport', first('udp.dstport'), s.dstPort)
    const ul = first('udp.length')
    if (ul !== undefined && !s.isFragment) eq('udp payload length', String(Number(ul) - 8), s.payloadLen)
  } else if (upper === 'icmp') {
    // Exclusion 1: only the ICMP header is the frame's own; a quoted IP/TCP is not compared.
    eq('icmp.type', first('icmp.type'), s.icmpType)
    eq('icmp.code', first('icmp.code'), s.icmpCode)
  } else if (upper === 'icmpv6') {
    eq('icmpv6.type', first('icmpv6.type'), s.icmpType)
    eq('icmpv6.code', first('icmpv6.code'), s.icmpCode)
  }
  return bad
}

t.test('rstlab decodes every shared capture exactly as tshark does', async t => {
  if (!requireTshark(t)) return
  const files = sharedCaptures()
  if (files.length === 0) { t.fail(`no captures found; set RSTLAB_SHARED or check ../shared/pcaps`); return }
  const rowsPerFile = await mapLimit(files, 2, async f => await tsharkFields(f, FIELDS, RAW_FIELD_OPTS))
  const s = new FrameSummary()
  let total = 0
  let agree = 0
  let malformedTyped = 0
  files.forEach((f, fi) => {
    const name = path.basename(f)
    const rows = rowsPerFile[fi]!
    const { records } = readCaptureBuffer(readFileSync(f), f)
    t.equal(records.length, rows.length, `${name}: rstlab reads as many packets as tshark (${rows.length})`)
    const problems: string[] = []
    records.forEach((rec, i) => {
      const row = rows[i]
      if (row === undefined) return
      decodeFrame(rec.data, rec.linkType, s)
      total++
      const bad = comparePacket(row, s, rec.origLen > rec.caplen)
      if (bad.length === 0) {
        agree++
        if (s.error !== 0 && malformedLayer(row) !== undefined) malformedTyped++
      } else {
        problems.push(`#${rec.n}: ${bad.join('; ')}`)
      }
    })
    t.same(problems, [], `${name}: every packet agrees with tshark`)
  })
  t.comment(`tshark agreement: ${agree}/${total} packets over ${files.length} files; ${fieldsCompared} field values compared; ${malformedTyped} tshark-malformed packets typed as rstlab decode errors`)
  t.equal(agree, total, 'full agreement')
})
