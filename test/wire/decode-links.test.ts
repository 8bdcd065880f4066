/**
 * decodeFrame across link types, IPv6 extension chains, fragments, IPv4 options, and the typed
 * codes real malformed captures must produce.
 */
import t from 'tap'
import path from 'node:path'
import { existsSync } from 'node:fs'
import { decodeFrame, wirePayloadLen } from '../../src/wire/decode.js'
import { buildFrame } from '../../src/wire/build.js'
import { ipv6FragmentBody } from '../../src/wire/ipv6.js'
import { DECODE_CODE_NAMES, DecodeCode, FrameSummary } from '../../src/wire/summary.js'
import { PCAP_DIR } from '../helpers/shared.js'
import { readCapture } from './captures.js'
import { ipv6WithExt } from './corpus.js'

const s = new FrameSummary()
const name = (x: FrameSummary): string => DECODE_CODE_NAMES[x.error]!

const SYN4 = buildFrame({ src: '198.18.0.1', dst: '198.18.1.2', tcp: { sport: 1234, dport: 80, seq: 42, flags: 'S', options: { mss: 1460 } } })
const SYN6 = buildFrame({ src: '2001:db8::1', dst: '2001:db8::2', tcp: { sport: 1234, dport: 80, seq: 42, flags: 'S' } })
const IP4 = SYN4.subarray(14)
const IP6 = SYN6.subarray(14)

t.test('link types', async t => {
  const sll = Buffer.alloc(16); sll.writeUInt16BE(0x0800, 14)
  const cases: Array<[string, Buffer, number, number, number]> = [
    // label, frame, link type, expected l3Off, expected ipVersion
    ['LINUX_SLL v4', Buffer.concat([sll, IP4]), 113, 16, 4],
    ['LINUX_SLL2 v6', Buffer.concat([Buffer.from('86dd0000000000020001000602000000000100', 'hex'), Buffer.alloc(1), IP6]), 276, 20, 6],
    ['NULL little-endian AF_INET', Buffer.concat([Buffer.from([2, 0, 0, 0]), IP4]), 0, 4, 4],
    ['NULL big-endian AF_INET6 (30, macOS)', Buffer.concat([Buffer.from([0, 0, 0, 30]), IP6]), 0, 4, 6],
    ['NULL little-endian AF_INET6 (28, FreeBSD)', Buffer.concat([Buffer.from([28, 0, 0, 0]), IP6]), 0, 4, 6],
    ['NULL little-endian AF_INET6 (24, NetBSD)', Buffer.concat([Buffer.from([24, 0, 0, 0]), IP6]), 0, 4, 6],
    ['LOOP network order AF_INET', Buffer.concat([Buffer.from([0, 0, 0, 2]), IP4]), 108, 4, 4],
    ['RAW v4', Buffer.from(IP4), 101, 0, 4],
    ['RAW v6', Buffer.from(IP6), 101, 0, 6],
    ['LINKTYPE_IPV6', Buffer.from(IP6), 229, 0, 6],
  ]
  for (const [label, f, lt, l3, v] of cases) {
    decodeFrame(f, lt, s)
    t.equal(name(s), 'ok', `${label}: ok`)
    t.equal(s.l3Off, l3, `${label}: l3Off`)
    t.equal(s.ipVersion, v, `${label}: version`)
    t.equal(s.ethOff, -1, `${label}: no MACs`)
    t.equal(s.dstPort, 80, `${label}: TCP decoded`)
    t.equal(s.etherType, v === 4 ? 0x0800 : 0x86dd, `${label}: equivalent EtherType`)
  }
  const sllVlan = Buffer.alloc(20); sllVlan.writeUInt16BE(0x8100, 14); sllVlan.writeUInt16BE(33, 16); sllVlan.writeUInt16BE(0x0800, 18)
  decodeFrame(Buffer.concat([sllVlan, IP4]), 113, s)
  t.equal(s.vlanCount, 1, 'SLL carries a VLAN tag inline'); t.equal(s.vlanTci0, 33); t.equal(s.l3Off, 20)
  decodeFrame(Buffer.concat([Buffer.from([7, 0, 0, 0]), IP4]), 0, s)
  t.equal(name(s), 'ok'); t.equal(s.l3Off, -1); t.equal(s.payloadOff, 4, 'unknown AF: opaque')
  decodeFrame(Buffer.from(IP6), 228, s)
  t.equal(name(s), 'ip-bad-version', 'LINKTYPE_IPV4 carrying v6')
  decodeFrame(Buffer.from([0x50, 0, 0]), 101, s)
  t.equal(name(s), 'ip-bad-version', 'RAW with version 5')
  decodeFrame(Buffer.alloc(0), 101, s)
  t.equal(name(s), 'l2-truncated')
  decodeFrame(Buffer.from(IP4), 147, s)
  t.equal(name(s), 'unsupported-link')
  for (const [lt, n] of [[113, 15], [276, 19], [0, 3], [1, 13]] as const) {
    decodeFrame(Buffer.alloc(n), lt, s)
    t.equal(name(s), 'l2-truncated', `link ${lt} with ${n} bytes`)
  }
})

t.test('IPv6 extension chains and fragments', async t => {
  decodeFrame(ipv6WithExt([{ type: 0, body: new Uint8Array(6) }, { type: 60, body: new Uint8Array(14) }]), 1, s)
  t.equal(name(s), 'ok'); t.equal(s.proto, 6); t.equal(s.l3HeaderLen, 40 + 8 + 16); t.equal(s.l4Off, 14 + 64); t.equal(s.dstPort, 80); t.equal(s.mss, 1440)
  decodeFrame(ipv6WithExt([{ type: 43, body: new Uint8Array(6) }, { type: 44, body: ipv6FragmentBody(0, true, 77) }]), 1, s)
  t.equal(name(s), 'ok'); t.ok(s.isFragment); t.equal(s.fragOffset, 0); t.equal(s.ipId, 77); t.equal(s.dstPort, 80, 'first fragment: TCP decoded')
  decodeFrame(ipv6WithExt([{ type: 44, body: ipv6FragmentBody(1448, false, 77) }]), 1, s)
  t.equal(name(s), 'ok'); t.ok(s.isFragment); t.equal(s.fragOffset, 1448); t.equal(s.l4Off, -1, 'later fragment: no L4'); t.equal(s.proto, 6)
  t.equal(s.payloadOff, 14 + 48)
  decodeFrame(ipv6WithExt([{ type: 60, body: new Uint8Array(6) }, { type: 0, body: new Uint8Array(6) }]), 1, s)
  t.equal(name(s), 'ip6-bad-ext', 'hop-by-hop after another header (RFC 8200 §4.3)')
  const long = ipv6WithExt([{ type: 60, body: new Uint8Array(6) }]); long[14 + 41] = 200
  decodeFrame(long, 1, s)
  t.equal(name(s), 'ip6-bad-ext', 'extension length past the payload'); t.equal(s.errorOffset, 14 + 40)
  const cut = ipv6WithExt([{ type: 60, body: new Uint8Array(6) }])
  cut.writeUInt16BE(4, 14 + 4) // payload length 4: the 8-byte header cannot fit
  decodeFrame(cut, 1, s)
  t.equal(name(s), 'ip6-bad-ext')
  const big = Buffer.from(SYN6); big.writeUInt16BE(100, 14 + 4)
  decodeFrame(big, 1, s)
  t.equal(name(s), 'ip6-bad-length'); t.equal(s.dstPort, 80, 'upper layer still read from what was captured')
  decodeFrame(SYN6.subarray(0, 14 + 39), 1, s)
  t.equal(name(s), 'ip6-truncated')
})

t.test('IPv4 fragments and options', async t => {
  const first = Buffer.from(SYN4); first.writeUInt16BE(0x2000, 14 + 6)
  decodeFrame(first, 1, s)
  t.equal(name(s), 'ok'); t.ok(s.isFragment); t.equal(s.dstPort, 80); t.equal(s.mss, 1460)
  const tiny = Buffer.from(SYN4.subarray(0, 14 + 20 + 8)); tiny.writeUInt16BE(28, 14 + 2); tiny.writeUInt16BE(0x2000, 14 + 6)
  decodeFrame(tiny, 1, s)
  t.equal(name(s), 'ok', 'TCP header split across fragments is not an error'); t.equal(s.l4Off, -1); t.equal(s.dstPort, 80, 'ports still read')
  const later = Buffer.from(SYN4); later.writeUInt16BE(0x0003, 14 + 6)
  decodeFrame(later, 1, s)
  t.equal(name(s), 'ok'); t.equal(s.fragOffset, 24); t.equal(s.l4Off, -1); t.equal(s.dstPort, 0); t.equal(s.payloadOff, 34)
  // IPv4 with a router-alert option (valid) and with a security option of length 2 (invalid).
  const withOpt = (opt: number[]): Buffer => {
    const ip = Buffer.concat([Buffer.from(IP4.subarray(0, 20)), Buffer.from(opt), Buffer.from(IP4.subarray(20))])
    ip[0] = 0x40 | ((20 + opt.length) >> 2); ip.writeUInt16BE(ip.length, 2)
    return Buffer.concat([SYN4.subarray(0, 14), ip])
  }
  decodeFrame(withOpt([0x94, 4, 0, 0]), 1, s)
  t.equal(name(s), 'ok'); t.equal(s.l3HeaderLen, 24); t.equal(s.dstPort, 80)
  decodeFrame(withOpt([0x82, 2, 0, 0]), 1, s)
  t.equal(name(s), 'ip4-bad-options'); t.equal(s.errorOffset, 34); t.equal(s.dstPort, 80, 'TCP still decoded')
  decodeFrame(withOpt([1, 1, 0x44, 9]), 1, s)
  t.equal(name(s), 'ip4-bad-options', 'timestamp option past the header')
})

t.test('TCP option damage keeps the payload range', async t => {
  const f = buildFrame({ src: '198.18.0.1', dst: '198.18.1.2', tcp: { sport: 1, dport: 2, flags: 'P.', options: { raw: Uint8Array.of(2, 9, 0, 0) } }, payload: 'abc' })
  decodeFrame(f, 1, s)
  t.equal(name(s), 'tcp-bad-options'); t.equal(s.payloadLen, 3); t.equal(f.subarray(s.payloadOff).toString(), 'abc')
  const e = buildFrame({ src: '198.18.0.1', dst: '198.18.1.2', tcp: { sport: 1, dport: 2, flags: 'S', options: { mss: 1400, raw: Uint8Array.of(5, 2, 1, 1) } } })
  decodeFrame(e, 1, s)
  t.equal(name(s), 'tcp-bad-options', 'empty SACK'); t.equal(s.mss, 1400, 'options before the damage kept')
  const ws = buildFrame({ src: '198.18.0.1', dst: '198.18.1.2', tcp: { sport: 1, dport: 2, flags: 'S', options: { raw: Uint8Array.of(3, 4, 7, 0) } } })
  decodeFrame(ws, 1, s)
  t.equal(name(s), 'tcp-bad-options', 'window scale of length 4'); t.equal(s.wscale, -1)
  const mp = buildFrame({ src: '198.18.0.1', dst: '198.18.1.2', tcp: { sport: 1, dport: 2, flags: 'S', options: { mptcp: [Uint8Array.of(0, 0x81, 0, 0, 0, 0, 0, 0, 0, 1)] } } })
  decodeFrame(mp, 1, s)
  t.equal(name(s), 'ok'); t.equal(s.mptcp, true)
})

t.test('UDP and ICMP length problems', async t => {
  const u = buildFrame({ src: '198.18.0.1', dst: '198.18.1.2', udp: { sport: 1, dport: 2 }, payload: 10 })
  const long = Buffer.from(u); long.writeUInt16BE(19, 14 + 20 + 4)
  decodeFrame(long, 1, s); t.equal(name(s), 'udp-bad-length', 'UDP length past the IP payload')
  const short = Buffer.from(u); short.writeUInt16BE(7, 14 + 20 + 4)
  decodeFrame(short, 1, s); t.equal(name(s), 'udp-bad-length', 'UDP length under 8')
  const less = Buffer.from(u); less.writeUInt16BE(12, 14 + 20 + 4)
  decodeFrame(less, 1, s); t.equal(name(s), 'ok', 'UDP length under the IP payload is tolerated'); t.equal(s.payloadLen, 4)
  const i = buildFrame({ src: '198.18.0.1', dst: '198.18.1.2', icmp: { type: 8, code: 0 } })
  const cut = Buffer.from(i.subarray(0, 14 + 20 + 6)); cut.writeUInt16BE(26, 14 + 2)
  decodeFrame(cut, 1, s); t.equal(name(s), 'icmp-truncated')
})

interface Expect { file: string, frame: number, code: string, check?: (s: FrameSummary) => void }

t.test('malformed frames in the shared captures get their typed code', async t => {
  const expects: Expect[] = [
    { file: 'tcpdump__ipv4_invalid_hdr_length.pcap', frame: 1, code: 'ip4-bad-ihl' },
    { file: 'zeek__trunc__ipv4-truncated-broken-header.pcap', frame: 1, code: 'ip4-bad-ihl' },
    { file: 'tcpdump__tcp_header_heapoverflow.pcap', frame: 1, code: 'ip4-bad-length' },
    { file: 'suricata-verify__drop-protocol-change__input.pcap', frame: 7, code: 'tcp-bad-offset' },
    { file: 'suricata-verify__tcp-empty-sack__tcp-opt.pcap', frame: 24, code: 'tcp-bad-options' },
    { file: 'suricata-verify__tcp-session-decode-malformed-ipv4__input.pcap', frame: 8, code: 'ip4-bad-options' },
    { file: 'suricata-verify__decode-too-small__test.pcap', frame: 1, code: 'tcp-truncated' },
    { file: 'suricata-verify__decode-too-small__test.pcap', frame: 2, code: 'udp-bad-length' },
    { file: 'tcpdump__tcp_eight_lowest_weight_flags_set.pcap', frame: 1, code: 'ok', check: x => { t.equal(x.tcpFlags, 0xff, 'all eight flags decoded, not an error') } },
    {
      file: 'zeek__tcp__truncated-header.pcap', frame: 1, code: 'ip4-bad-length',
      check: x => { t.equal(x.mss, 1460, 'options read from a snaplen-cut header'); t.equal(x.dstPort, 25) },
    },
    {
      file: 'zeek__tcp__truncated-header.pcap', frame: 4, code: 'ip4-bad-length',
      check: x => { t.equal(x.payloadLen, 0, 'no payload bytes captured'); t.equal(wirePayloadLen(x), 84, 'but 84 on the wire (tshark tcp.len)') },
    },
  ]
  for (const e of expects) {
    const file = path.join(PCAP_DIR, e.file)
    if (!existsSync(file)) { t.comment(`${e.file} missing: skipped`); continue }
    const fr = readCapture(file)[e.frame - 1]!
    decodeFrame(fr.data, fr.linkType, s)
    t.equal(name(s), e.code, `${e.file} #${e.frame}`)
    e.check?.(s)
  }
})

t.test('every frame of the good captures decodes cleanly', async t => {
  const clean = [
    'arkime__tcp_handshake_synthetic.pcap', 'nDPI__tls_1.2_unidirectional_client.pcapng', 'suricata-verify__decode-sll2-01__input.pcap',
    'suricata-verify__http-ipv6__input.pcap', 'suricata-verify__websocket-ping__input.pcap', 'suricata-verify__community-id-ipv6__input.pcap',
    'zeek__communityid__icmp6.pcap', 'zeek__web.pcap', 'zeek__vlan-pcp-dei.pcapng', 'tcpdump__tcp-handshake-nano.pcap', 'tcpdump__tcp_rst_diag_payload.pcap',
  ]
  for (const f of clean) {
    const file = path.join(PCAP_DIR, f)
    if (!existsSync(file)) continue
    const frames = readCapture(file)
    const bad = frames.filter(fr => decodeFrame(fr.data, fr.linkType, s).error !== DecodeCode.OK).map(fr => fr.index + 1)
    t.same(bad, [], `${f}: ${frames.length} frames, none with a decode error`)
  }
})
