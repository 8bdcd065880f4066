import t from 'tap'
import { decodeFrame, readSackBlock, summaryAddr } from '../../src/wire/decode.js'
import { buildFrame, buildIcmpErrorQuote, formatTcpFlags, parseTcpFlags } from '../../src/wire/build.js'
import { DECODE_CODE_NAMES, DecodeCode, FrameSummary, TcpFlag } from '../../src/wire/summary.js'
import { verifyRange, pseudoHeaderSum, onesSum, foldSum } from '../../src/wire/checksum.js'

const s = new FrameSummary()

function l4Ok (x: FrameSummary): boolean {
  const len = x.ipLen - x.l3HeaderLen
  return foldSum(onesSum(x.frame, x.l4Off, len, x.proto === 1 ? 0 : pseudoHeaderSum(x.frame, x.srcOff, x.dstOff, x.addrLen, x.proto, len))) === 0xffff
}

t.test('built IPv4 TCP SYN decodes to the spec', async t => {
  const f = buildFrame({
    src: '198.18.0.1', dst: '198.18.1.2', ttl: 63, ipId: 7,
    tcp: { sport: 40000, dport: 443, seq: 0xfffffff0, flags: 'S', window: 64240, options: { mss: 1460, sackPermitted: true, ts: [1, 0], wscale: 7 } },
  })
  decodeFrame(f, 1, s)
  t.equal(s.error, DecodeCode.OK)
  t.equal(s.ethOff, 0); t.equal(s.etherType, 0x0800); t.equal(s.l3Off, 14); t.equal(s.ipVersion, 4)
  t.equal(summaryAddr(s, 'src'), '198.18.0.1'); t.equal(summaryAddr(s, 'dst'), '198.18.1.2')
  t.equal(s.ttl, 63); t.equal(s.ipId, 7); t.equal(s.df, true); t.equal(s.isFragment, false)
  t.equal(s.proto, 6); t.equal(s.srcPort, 40000); t.equal(s.dstPort, 443)
  t.equal(s.seq, 0xfffffff0); t.equal(s.ack, 0); t.equal(s.tcpFlags, TcpFlag.SYN); t.equal(s.window, 64240)
  t.equal(s.mss, 1460); t.equal(s.wscale, 7); t.equal(s.sackPermitted, true); t.equal(s.tsVal, 1); t.equal(s.tsEcr, 0)
  t.equal(s.l4HeaderLen, 40); t.equal(s.payloadOff, 14 + 20 + 40); t.equal(s.payloadLen, 0)
  t.ok(verifyRange(f, 14, 20), 'IPv4 header checksum valid')
  t.ok(l4Ok(s), 'TCP checksum valid')
})

t.test('IPv6 QinQ TCP with SACK and payload', async t => {
  const f = buildFrame({
    vlans: [100, 200], src: '2001:db8::1', dst: '2001:db8::2', ttl: 60,
    tcp: { sport: 1, dport: 2, seq: 5, ack: 6, flags: 'P.', window: 100, options: { sack: [[10, 20], [30, 40]] } },
    payload: 'hello',
  })
  decodeFrame(f, 1, s)
  t.equal(s.error, 0)
  t.equal(s.vlanCount, 2); t.equal(s.vlanTpid0, 0x88a8); t.equal(s.vlanTci0, 100); t.equal(s.vlanTpid1, 0x8100); t.equal(s.vlanTci1, 200)
  t.equal(s.l3Off, 22); t.equal(s.ipVersion, 6); t.equal(s.ttl, 60); t.equal(s.addrLen, 16)
  t.equal(summaryAddr(s, 'dst'), '2001:db8::2')
  t.equal(s.tcpFlags, TcpFlag.PSH | TcpFlag.ACK)
  t.equal(s.sackBlocks, 2)
  t.equal(readSackBlock(s, 0, 0), 10); t.equal(readSackBlock(s, 0, 1), 20); t.equal(readSackBlock(s, 1, 0), 30); t.equal(readSackBlock(s, 1, 1), 40)
  t.equal(f.subarray(s.payloadOff, s.payloadOff + s.payloadLen).toString(), 'hello')
  t.ok(l4Ok(s))
})

t.test('UDP and ICMP echo, raw link', async t => {
  decodeFrame(buildFrame({ link: 'raw', src: '198.18.0.1', dst: '198.18.0.2', udp: { sport: 53, dport: 5353 }, payload: 3 }), 101, s)
  t.equal(s.error, 0); t.equal(s.ethOff, -1); t.equal(s.l3Off, 0); t.equal(s.proto, 17); t.equal(s.payloadLen, 3); t.ok(l4Ok(s))
  decodeFrame(buildFrame({ src: '198.18.0.1', dst: '198.18.0.2', icmp: { type: 8, code: 0, id: 1, seqNo: 2 }, payload: 'abc' }), 1, s)
  t.equal(s.error, 0); t.equal(s.icmpType, 8); t.equal(s.icmpInnerOff, -1); t.ok(l4Ok(s))
  decodeFrame(buildFrame({ src: '2001:db8::1', dst: '2001:db8::2', icmp: { type: 128, code: 0 } }), 1, s)
  t.equal(s.error, 0); t.equal(s.proto, 58); t.equal(s.icmpType, 128); t.ok(l4Ok(s))
})

t.test('ICMP admin-prohibited quoting a SYN', async t => {
  const syn = buildFrame({ vlans: [7], src: '198.18.0.1', dst: '198.18.1.2', tcp: { sport: 1234, dport: 80, flags: 'S', seq: 99 } })
  const orig = new FrameSummary()
  decodeFrame(syn, 1, orig)
  const err = buildIcmpErrorQuote(orig, { src: '198.18.1.254', ttl: 64 })
  decodeFrame(err, 1, s)
  t.equal(s.error, 0); t.equal(s.icmpType, 3); t.equal(s.icmpCode, 13); t.equal(s.vlanTci0, 7)
  t.equal(summaryAddr(s, 'dst'), '198.18.0.1')
  t.same(err.subarray(0, 6), syn.subarray(6, 12), 'sent back to the sender MAC')
  t.equal(s.icmpInnerOff, 18 + 20 + 8)
  t.same(err.subarray(s.icmpInnerOff), syn.subarray(18), 'whole offending packet quoted')
  t.ok(l4Ok(s))
  const syn6 = buildFrame({ src: '2001:db8::1', dst: '2001:db8::2', tcp: { sport: 1, dport: 2, flags: 'S' }, payload: 2000 })
  decodeFrame(syn6, 1, orig)
  const err6 = buildIcmpErrorQuote(orig, { src: '2001:db8::fe' })
  decodeFrame(err6, 1, s)
  t.equal(s.icmpType, 1); t.equal(s.icmpCode, 1); t.equal(s.ipLen, 1280, 'ICMPv6 error capped at 1280'); t.ok(l4Ok(s))
})

t.test('tcpdump flag letters', async t => {
  t.equal(parseTcpFlags('S.'), TcpFlag.SYN | TcpFlag.ACK)
  t.equal(parseTcpFlags('[R.]'), TcpFlag.RST | TcpFlag.ACK)
  t.equal(formatTcpFlags(TcpFlag.SYN | TcpFlag.ACK), 'S.')
  t.equal(formatTcpFlags(TcpFlag.FIN | TcpFlag.PSH | TcpFlag.ACK), 'FP.')
  t.equal(formatTcpFlags(0xff), 'FSRP.UEW')
  t.equal(formatTcpFlags(0), 'none')
  t.throws(() => parseTcpFlags('SX'), { code: 'RSTLAB_ERR_FRAME_SPEC' })
})

t.test('malformed frames give typed codes', async t => {
  const good = buildFrame({ src: '198.18.0.1', dst: '198.18.0.2', tcp: { sport: 1, dport: 2, flags: 'S' } })
  const mut = (fn: (b: Buffer) => Buffer | void): Buffer => { const b = Buffer.from(good); return fn(b) ?? b }
  const cases: Array<[string, Buffer, DecodeCode]> = [
    ['short ethernet', good.subarray(0, 13), DecodeCode.L2_TRUNCATED],
    ['ihl 4', mut(b => { b[14] = 0x44 }), DecodeCode.IP4_BAD_IHL],
    ['ihl 15 beyond frame', mut(b => { b[14] = 0x4f; return b.subarray(0, 14 + 40) }), DecodeCode.IP4_BAD_IHL],
    ['version 5', mut(b => { b[14] = 0x55 }), DecodeCode.IP_BAD_VERSION],
    ['total length > captured', mut(b => { b.writeUInt16BE(100, 16) }), DecodeCode.IP4_BAD_LENGTH],
    ['total length < ihl', mut(b => { b.writeUInt16BE(10, 16) }), DecodeCode.IP4_BAD_LENGTH],
    ['tcp data offset 4', mut(b => { b[14 + 20 + 12] = 0x40 }), DecodeCode.TCP_BAD_OFFSET],
    ['tcp data offset 15', mut(b => { b[14 + 20 + 12] = 0xf0 }), DecodeCode.TCP_BAD_OFFSET],
    ['tcp truncated', mut(b => { b.writeUInt16BE(30, 16); return b.subarray(0, 44) }), DecodeCode.TCP_TRUNCATED],
    ['3 vlan tags', buildFrame({ vlanTcis: [1, 2], src: '198.18.0.1', dst: '198.18.0.2' }).fill(0x81, 20, 21).fill(0x00, 21, 22), DecodeCode.VLAN_TRUNCATED],
  ]
  for (const [name, f, code] of cases) {
    decodeFrame(f, 1, s)
    t.equal(DECODE_CODE_NAMES[s.error], DECODE_CODE_NAMES[code], name)
  }
  // all flags set: decoded, not an error
  decodeFrame(mut(b => { b[14 + 20 + 13] = 0xff }), 1, s)
  t.equal(s.error, 0); t.equal(s.tcpFlags, 0xff)
  // padding: IP shorter than captured is fine, payload bounded by IP length
  const padded = buildFrame({ src: '198.18.0.1', dst: '198.18.0.2', tcp: { sport: 1, dport: 2, flags: 'R' }, pad: true })
  t.equal(padded.length, 60)
  decodeFrame(padded, 1, s)
  t.equal(s.error, 0); t.equal(s.payloadLen, 0)
})
