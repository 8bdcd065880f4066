/**
 * buildFrame properties over seeded random specs: whatever is built decodes back to the spec with
 * valid checksums, and every unusable spec is refused with RSTLAB_ERR_FRAME_SPEC.
 */
import t from 'tap'
import { buildFrame, parseTcpFlags, formatTcpFlags, type FrameSpec } from '../../src/wire/build.js'
import { decodeFrame, readSackBlock, summaryAddr } from '../../src/wire/decode.js'
import { verifyChecksums } from '../../src/wire/checksum.js'
import { formatIp } from '../../src/wire/addr.js'
import { parseTcp, TcpPacket } from '../../src/wire/tcp.js'
import { DECODE_CODE_NAMES, FrameSummary } from '../../src/wire/summary.js'

const SEED = 20260101
function rng (seed: number): () => number {
  let x = seed
  return () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x }
}

t.test('random specs build, decode back and verify', async t => {
  const r = rng(SEED)
  const s = new FrameSummary()
  const pick = <T>(xs: readonly T[]): T => xs[r() % xs.length]!
  let problems = 0
  const COUNT = 3000
  for (let n = 0; n < COUNT; n++) {
    const v6 = r() % 2 === 0
    const rb = (k: number): Uint8Array => Uint8Array.from({ length: k }, () => r() & 0xff)
    const src = v6 ? rb(16) : rb(4)
    const dst = v6 ? rb(16) : rb(4)
    const vlans = Array.from({ length: r() % 3 }, () => r() % 4096)
    const link = vlans.length === 0 && r() % 4 === 0 ? 'raw' as const : 'ethernet' as const
    const kind = pick(['tcp', 'tcp', 'udp', 'icmp', 'none'] as const)
    const payloadLen = r() % 4 === 0 ? 0 : r() % 1500
    const spec: FrameSpec = { link, vlans, src, dst, ttl: r() & 0xff, ipId: r() & 0xffff, df: r() % 2 === 0, tos: r() & 0xff, flowLabel: r() & 0xfffff, payload: payloadLen }
    if (kind === 'tcp') {
      const sack = Array.from({ length: r() % 3 }, () => [r() >>> 0, r() >>> 0] as [number, number])
      spec.tcp = {
        sport: r() & 0xffff, dport: r() & 0xffff, seq: r() >>> 0, ack: r() >>> 0, flags: r() & 0x1ff, window: r() & 0xffff, urg: r() & 0xffff,
        options: {
          ...(r() % 2 === 0 ? { mss: r() & 0xffff } : {}),
          ...(r() % 2 === 0 ? { wscale: r() % 15 } : {}),
          ...(r() % 2 === 0 ? { sackPermitted: true } : {}),
          ...(r() % 2 === 0 ? { ts: [r() >>> 0, r() >>> 0] as [number, number] } : {}),
          ...(sack.length > 0 ? { sack } : {}),
        },
      }
    } else if (kind === 'udp') {
      spec.udp = { sport: r() & 0xffff, dport: r() & 0xffff }
    } else if (kind === 'icmp') {
      spec.icmp = { type: v6 ? pick([128, 129, 2]) : pick([0, 8, 11]), code: 0, rest: r() >>> 0 }
    } else {
      spec.proto = v6 ? 59 : 253
    }
    const f = buildFrame(spec)
    decodeFrame(f, link === 'raw' ? 101 : 1, s)
    const fail = (what: string): void => { if (problems++ < 5) t.fail(`spec ${n}: ${what} [${DECODE_CODE_NAMES[s.error]}]`) }
    if (s.error !== 0) { fail('decode error'); continue }
    if (verifyChecksums(s) !== 0) fail('checksum')
    if (summaryAddr(s, 'src') !== formatIp(src) || summaryAddr(s, 'dst') !== formatIp(dst)) fail('addresses')
    if (s.vlanCount !== vlans.length || (vlans.length > 0 && (s.vlanTci0 !== vlans[0] || (vlans.length > 1 && s.vlanTci1 !== vlans[1])))) fail('vlans')
    if (s.ttl !== spec.ttl) fail('ttl')
    if (!v6 && (s.ipId !== spec.ipId || s.df !== spec.df)) fail('ipId/df')
    if (s.payloadLen !== payloadLen) fail(`payload ${s.payloadLen} vs ${payloadLen}`)
    if (spec.tcp) {
      const tc = spec.tcp; const o = tc.options!
      if (s.srcPort !== tc.sport || s.dstPort !== tc.dport || s.seq !== tc.seq || s.ack !== tc.ack || s.tcpFlags !== tc.flags || s.window !== tc.window) fail('tcp header')
      if (s.mss !== (o.mss ?? -1) || s.wscale !== (o.wscale ?? -1) || s.sackPermitted !== (o.sackPermitted ?? false) || s.tsVal !== (o.ts?.[0] ?? -1) || s.tsEcr !== (o.ts?.[1] ?? -1)) fail('tcp options')
      const blocks = o.sack ?? []
      if (s.sackBlocks !== blocks.length || blocks.some(([a, b], i) => readSackBlock(s, i, 0) !== a || readSackBlock(s, i, 1) !== b)) fail('sack')
      const repr = parseTcp(TcpPacket.checked(f.subarray(s.l4Off, s.l3Off + s.ipLen)), { src, dst })
      if (repr.urgent !== tc.urg) fail('urgent')
    } else if (spec.udp) {
      if (s.proto !== 17 || s.srcPort !== spec.udp.sport || s.dstPort !== spec.udp.dport) fail('udp')
    } else if (spec.icmp) {
      if (s.icmpType !== spec.icmp.type || f.readUInt32BE(s.l4Off + 4) !== spec.icmp.rest) fail('icmp')
    } else if (s.proto !== spec.proto || s.payloadOff !== s.l3Off + s.l3HeaderLen) fail('opaque proto')
  }
  t.equal(problems, 0, `${COUNT} random specs (seed ${SEED}) round-trip through buildFrame and decodeFrame`)
})

t.test('tcpdump flag letters round-trip for all 512 flag sets', async t => {
  let bad = 0
  for (let f = 0; f < 512; f++) if (parseTcpFlags(formatTcpFlags(f)) !== f) bad++
  t.equal(bad, 0)
})

t.test('unusable specs are refused with RSTLAB_ERR_FRAME_SPEC', async t => {
  const ok: FrameSpec = { src: '198.18.0.1', dst: '198.18.1.2', tcp: { sport: 1, dport: 2, flags: 'S' } }
  const bad: Array<[string, FrameSpec]> = [
    ['bad address', { ...ok, src: '198.18.0.300' }],
    ['address bytes of wrong length', { ...ok, dst: Uint8Array.of(1, 2, 3) }],
    ['mixed families', { ...ok, dst: '2001:db8::1' }],
    ['two upper layers', { ...ok, udp: { sport: 1, dport: 2 } }],
    ['VLAN id 4096', { ...ok, vlans: [4096] }],
    ['three tags', { ...ok, vlans: [1, 2, 3] }],
    ['vlans on raw link', { ...ok, link: 'raw', vlans: [1] }],
    ['bad MAC', { ...ok, srcMac: '02:00:00:00:00' }],
    ['port 65536', { ...ok, tcp: { sport: 65536, dport: 2, flags: 'S' } }],
    ['negative seq', { ...ok, tcp: { sport: 1, dport: 2, seq: -1, flags: 'S' } }],
    ['unknown flag letter', { ...ok, tcp: { sport: 1, dport: 2, flags: 'SX' } }],
    ['ttl 256', { ...ok, ttl: 256 }],
    ['options over 40 bytes', { ...ok, tcp: { sport: 1, dport: 2, flags: 'S', options: { mss: 1, ts: [1, 2], sack: [[1, 2], [3, 4], [5, 6]] } } }],
    ['packet over 65535', { ...ok, payload: 65001 }],
    ['fractional payload count', { ...ok, payload: 1.5 }],
    ['unknown link', { ...ok, link: 'ppp' as 'raw' }],
  ]
  for (const [label, spec] of bad) t.throws(() => buildFrame(spec), { code: 'RSTLAB_ERR_FRAME_SPEC' }, label)
})
