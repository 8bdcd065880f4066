import t from 'tap'
import { Ipv6Packet, parseIpv6, emitIpv6, ipv6HeaderLen, ipv6FragmentBody, walkIpv6Extensions, type Ipv6Repr } from '../../src/wire/ipv6.js'
import { parseIp } from '../../src/wire/addr.js'
import { hex, roundTrip } from './roundtrip.js'

// zeek communityid/icmp6.pcap — tcpdump -n:
// IP6 3ffe:507:0:1:200:86ff:fe05:80da > 3ffe:501:0:1001::2: ICMP6, echo request, id 30240, seq 0, length 16
const ECHO6 = hex(`
  6000 0000                                  # v6, tc 0, flow 0
  0010 3a 40                                 # payload 16, next header ICMPv6, hop limit 64
  3ffe 0507 0000 0001 0200 86ff fe05 80da    # src
  3ffe 0501 0000 1001 0000 0000 0000 0002    # dst
  8000 a572 7620 0000 01c9 e736 d339 0600    # ICMPv6 echo request
`)

t.test('parse the real fixture', async t => {
  const r = parseIpv6(Ipv6Packet.checked(ECHO6))
  t.same(r, {
    src: parseIp('3ffe:507:0:1:200:86ff:fe05:80da'), dst: parseIp('3ffe:501:0:1001::2'), trafficClass: 0, flowLabel: 0,
    hopLimit: 64, extHeaders: [], upperProtocol: 58, payloadLen: 16,
  })
  const out = Buffer.alloc(40)
  emitIpv6(r, Ipv6Packet.unchecked(out))
  t.same(out, ECHO6.subarray(0, 40))
})

t.test('round trips with extension chains', async t => {
  const codec = {
    len: (r: Ipv6Repr) => ipv6HeaderLen(r) + r.payloadLen,
    emit: (r: Ipv6Repr, b: Buffer) => emitIpv6(r, Ipv6Packet.unchecked(b)),
    parse: (b: Buffer) => parseIpv6(Ipv6Packet.checked(b)),
  }
  const base: Ipv6Repr = {
    src: parseIp('2001:db8::1')!, dst: parseIp('2001:db8::2')!, trafficClass: 0xb8, flowLabel: 0xfffff, hopLimit: 255,
    extHeaders: [], upperProtocol: 6, payloadLen: 20,
  }
  roundTrip(t, 'no extensions', codec, base)
  roundTrip(t, 'hop-by-hop, routing, fragment, destination options', codec, {
    ...base,
    extHeaders: [
      { type: 0, body: Uint8Array.of(5, 2, 0, 0, 1, 0) }, // router alert + PadN
      { type: 43, body: new Uint8Array(22) },
      { type: 44, body: ipv6FragmentBody(0, true, 0xdeadbeef) },
      { type: 60, body: new Uint8Array(6) },
    ],
  })
})

t.test('bad extension chains are malformed', async t => {
  const build = (ext: Ipv6Repr['extHeaders'], payloadLen = 0): Buffer => {
    const r: Ipv6Repr = { src: new Uint8Array(16), dst: new Uint8Array(16), trafficClass: 0, flowLabel: 0, hopLimit: 1, extHeaders: ext, upperProtocol: 59, payloadLen }
    const b = Buffer.alloc(ipv6HeaderLen(r) + payloadLen)
    emitIpv6(r, Ipv6Packet.unchecked(b))
    return b
  }
  const hbhLate = build([{ type: 60, body: new Uint8Array(6) }, { type: 0, body: new Uint8Array(6) }])
  t.throws(() => parseIpv6(Ipv6Packet.checked(hbhLate)), { code: 'RSTLAB_ERR_MALFORMED' }, 'hop-by-hop not first')
  const long = build([{ type: 60, body: new Uint8Array(6) }])
  long[41] = 3 // claims 32 bytes
  t.throws(() => parseIpv6(Ipv6Packet.checked(long)), { code: 'RSTLAB_ERR_MALFORMED' }, 'header runs past the payload')
  t.throws(() => walkIpv6Extensions(Buffer.alloc(44), 40, 44, 44), { code: 'RSTLAB_ERR_MALFORMED' }, 'fragment header cut short')
  t.throws(() => Ipv6Packet.checked(ECHO6.subarray(0, 50)), { code: 'RSTLAB_ERR_TRUNCATED' }, 'payload length beyond the buffer')
  t.throws(() => Ipv6Packet.checked(Buffer.from('4000' + '00'.repeat(38), 'hex')), { code: 'RSTLAB_ERR_MALFORMED' }, 'version 4')
})
