import t from 'tap'
import path from 'node:path'
import { decodeFrame } from '../../src/wire/decode.js'
import { buildFrame, buildIcmpErrorQuote } from '../../src/wire/build.js'
import { formatSummary, formatTimeUs } from '../../src/wire/format.js'
import { FrameSummary } from '../../src/wire/summary.js'
import { sharedCaptures } from '../helpers/shared.js'
import { readCapture } from './captures.js'
import { ipv6WithExt } from './corpus.js'

const s = new FrameSummary()
const line = (f: Buffer, lt = 1, ts?: number): string => formatSummary(decodeFrame(f, lt, s), ts)

t.test('tcpdump-like lines for built frames', async t => {
  t.equal(line(buildFrame({ src: '198.18.0.1', dst: '198.18.1.2', ttl: 63, tcp: { sport: 40000, dport: 443, seq: 7, flags: 'S', window: 64240, options: { mss: 1460, sackPermitted: true, ts: [1, 0], wscale: 7 } } }), 1, 3_723_000_001),
    '01:02:03.000001 IP (ttl 63, id 0, DF) 198.18.0.1.40000 > 198.18.1.2.443: Flags [S], seq 7, win 64240, options [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7], length 0')
  t.equal(line(buildFrame({ src: '2001:db8::2', dst: '2001:db8::1', ttl: 63, tcp: { sport: 443, dport: 40000, seq: 0xfffffffe, ack: 8, flags: 'P.', window: 501, options: { sack: [[1, 2]] } }, payload: 'hi!!' })),
    'IP6 (hlim 63) 2001:db8::2.443 > 2001:db8::1.40000: Flags [P.], seq 4294967294:2, ack 8, win 501, options [nop,nop,sack 1 {1:2}], length 4')
  t.equal(line(buildFrame({ src: '198.18.1.2', dst: '198.18.0.1', df: false, tcp: { sport: 443, dport: 40000, ack: 8, flags: 'R.' } })),
    'IP (ttl 64, id 0) 198.18.1.2.443 > 198.18.0.1.40000: Flags [R.], seq 0, ack 8, win 0, length 0')
  t.equal(line(buildFrame({ vlans: [100], src: '198.18.0.1', dst: '198.18.1.2', udp: { sport: 5353, dport: 53 }, payload: 12 })),
    'vlan 100, IP (ttl 64, id 0, DF) 198.18.0.1.5353 > 198.18.1.2.53: UDP, length 12')
  t.equal(line(buildFrame({ src: '198.18.0.1', dst: '198.18.1.2', icmp: { type: 8, code: 0, id: 7, seqNo: 1 }, payload: 56 })),
    'IP (ttl 64, id 0, DF) 198.18.0.1 > 198.18.1.2: ICMP echo request, id 7, seq 1, length 64')
  t.equal(line(buildFrame({ src: '2001:db8::1', dst: '2001:db8::2', icmp: { type: 129, code: 0, id: 7, seqNo: 1 } })),
    'IP6 (hlim 64) 2001:db8::1 > 2001:db8::2: ICMP6, echo reply, id 7, seq 1, length 8')
  const syn = new FrameSummary()
  decodeFrame(buildFrame({ src: '198.18.0.1', dst: '198.18.1.2', tcp: { sport: 1234, dport: 80, flags: 'S' } }), 1, syn)
  t.equal(line(buildIcmpErrorQuote(syn, { src: '198.18.1.254' })),
    'IP (ttl 64, id 0, DF) 198.18.1.254 > 198.18.0.1: ICMP host 198.18.1.2 unreachable - admin prohibited filter, length 48')
  decodeFrame(buildFrame({ src: '2001:db8::1', dst: '2001:db8::2', udp: { sport: 1, dport: 53 } }), 1, syn)
  t.equal(line(buildIcmpErrorQuote(syn, { src: '2001:db8::fe' })),
    'IP6 (hlim 64) 2001:db8::fe > 2001:db8::1: ICMP6, destination unreachable, unreachable prohibited 2001:db8::2, length 56')
  t.equal(line(ipv6WithExt([{ type: 44, body: Uint8Array.of(0x05, 0xa8, 0, 0, 0, 9) }])),
    'IP6 (hlim 64, frag 9@1448) 2001:db8::1 > 2001:db8:1::2: tcp, length 24')
  const lldp = Buffer.alloc(60); lldp.writeUInt16BE(0x88cc, 12)
  t.equal(line(lldp), 'ethertype 0x88cc, length 60')
})

t.test('decode errors are named with their offset', async t => {
  const f = buildFrame({ src: '198.18.0.1', dst: '198.18.1.2', tcp: { sport: 1, dport: 2, flags: 'S' } })
  f[14] = 0x44
  t.equal(line(f), 'IP (ttl 64, id 0, DF) 198.18.0.1 > 198.18.1.2: tcp [decode error ip4-bad-ihl at 14]')
  t.equal(line(Buffer.alloc(10)), 'link 1, length 10 [decode error l2-truncated at 0]')
  const g = buildFrame({ src: '198.18.0.1', dst: '198.18.1.2', tcp: { sport: 1, dport: 2, flags: 'SF' } })
  g[14 + 20 + 12] = 0x30
  t.equal(line(g), 'IP (ttl 64, id 0, DF) 198.18.0.1.1 > 198.18.1.2.2: Flags [FS] [decode error tcp-bad-offset at 46]')
})

t.test('time formatting', async t => {
  t.equal(formatTimeUs(0), '00:00:00.000000')
  t.equal(formatTimeUs(86_399_999_999), '23:59:59.999999')
  t.equal(formatTimeUs(1_700_000_000_123_456), '22:13:20.123456')
})

t.test('every shared capture frame formats (snapshot)', async t => {
  const out: string[] = []
  for (const file of sharedCaptures()) {
    for (const fr of readCapture(file)) out.push(`${path.basename(file)} #${fr.index + 1} ${line(fr.data, fr.linkType)}`)
  }
  t.ok(out.length > 500)
  t.matchSnapshot(out.join('\n'), 'formatSummary of every shared capture frame')
})
