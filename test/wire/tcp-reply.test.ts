/**
 * buildTcpReply (the forged RST / SYN-cookie SYN-ACK writer) against the generic buildFrame: for random
 * packets (IPv4 and IPv6, Ethernet with 0, 1 or 2 VLAN tags or raw IP, any ports, sequence numbers,
 * flags incl. NS, windows, with and without MSS) the reply is byte for byte the frame buildFrame makes
 * from the same fields, and its checksums verify.
 */
import t from 'tap'
import { buildFrame, buildTcpReply } from '../../src/wire/build.js'
import { decodeFrame } from '../../src/wire/decode.js'
import { verifyChecksums } from '../../src/wire/checksum.js'
import { FrameSummary } from '../../src/wire/summary.js'
import { mulberry32, seedRounds } from '../helpers/prng.js'

t.test('buildTcpReply is buildFrame with the fields swapped, for random packets', async t => {
  const { base } = seedRounds(1)
  const rnd = mulberry32(base)
  const int = (n: number): number => Math.floor(rnd() * n)
  const mac = (): string => Array.from({ length: 6 }, () => int(256).toString(16).padStart(2, '0')).join(':')
  const fs = new FrameSummary()
  const back = new FrameSummary()
  let bad = 0
  const N = 5000
  for (let i = 0; i < N; i++) {
    const v6 = rnd() < 0.4
    const raw = rnd() < 0.15
    const tcis = raw ? [] : [[], [int(0x10000)], [int(0x10000), int(0x10000)]][int(3)]!
    const src = v6 ? `2001:db8:${int(0x10000).toString(16)}::${int(0x10000).toString(16)}` : `198.18.${int(256)}.${int(256)}`
    const dst = v6 ? `2001:db8:${int(0x10000).toString(16)}::${int(0x10000).toString(16)}` : `198.19.${int(256)}.${int(256)}`
    const srcMac = mac()
    const dstMac = mac()
    const sport = int(0x10000)
    const dport = int(0x10000)
    const inSeq = int(2 ** 32)
    const got = buildFrame({
      link: raw ? 'raw' : 'ethernet', srcMac, dstMac, vlanTcis: tcis, src, dst, ttl: 1 + int(255),
      tcp: { sport, dport, seq: inSeq, ack: int(2 ** 32), flags: int(0x200), window: int(0x10000), options: rnd() < 0.5 ? { mss: 1460 } : undefined },
      payload: rnd() < 0.3 ? int(100) : undefined,
    })
    decodeFrame(got, raw ? 101 : 1, fs)
    if (fs.error !== 0) { t.fail(`seed ${base} packet ${i}: the input does not decode (${fs.error})`); continue }
    const ttl = int(256)
    const flags = int(0x200)
    const seq = int(2 ** 32)
    const ack = int(2 ** 32)
    const window = int(0x10000)
    const mss = rnd() < 0.5 ? int(0x10000) : -1
    const mine = buildTcpReply(fs, ttl, flags, seq, ack, window, mss)
    const want = buildFrame({
      link: raw ? 'raw' : 'ethernet', srcMac: dstMac, dstMac: srcMac, vlanTcis: tcis, src: dst, dst: src, ttl, ipId: 0, df: true,
      tcp: { sport: dport, dport: sport, seq, ack, flags, window, ...(mss >= 0 ? { options: { mss } } : {}) },
    })
    if (!mine.equals(want)) {
      if (bad++ < 5) t.fail(`seed ${base} packet ${i}: ${mine.toString('hex')}\n  buildFrame ${want.toString('hex')}`)
      continue
    }
    decodeFrame(mine, raw ? 101 : 1, back)
    if (back.error !== 0 || verifyChecksums(back) !== 0) { if (bad++ < 5) t.fail(`seed ${base} packet ${i}: the reply does not decode or verify`) }
  }
  t.equal(bad, 0, `${N} replies equal buildFrame's, byte for byte, and verify (seed ${base}; re-run one with RSTLAB_SEED=<seed>)`)
})
