import t from 'tap'
import { decodeFrame } from '../../src/wire/decode.js'
import { DECODE_CODE_NAMES, FrameSummary } from '../../src/wire/summary.js'

/** A raw IPv4 + TCP packet with the given option bytes (padded by the caller to a multiple of 4). */
function ip4WithOptions (opts: number[]): Buffer {
  const ihl = 20 + opts.length
  const b = Buffer.alloc(ihl + 20)
  b[0] = 0x40 | (ihl >> 2); b.writeUInt16BE(b.length, 2); b[8] = 64; b[9] = 6
  b.set([192, 0, 2, 1], 12); b.set([192, 0, 2, 2], 16); b.set(opts, 20)
  b.writeUInt16BE(1234, ihl); b.writeUInt16BE(80, ihl + 2); b[ihl + 12] = 0x50; b[ihl + 13] = 0x02
  return b
}

t.test('IPv4 options are walked: malformed ones are ip4-bad-options at the option offset', async t => {
  const s = new FrameSummary()
  const cases: Array<[string, number[], string, number]> = [
    ['NOPs and EOL', [1, 1, 1, 0], 'ok', -1],
    ['router alert', [148, 4, 0, 0], 'ok', -1],
    ['record route', [7, 7, 4, 0, 0, 0, 0, 0], 'ok', -1],
    // suricata-verify tcp-session-decode-malformed-ipv4: security option with length 2 (RFC 1108: >= 3).
    ['security length 2', [130, 2, 0, 0], 'ip4-bad-options', 20],
    ['length 0', [1, 68, 0, 0], 'ip4-bad-options', 21],
    ['runs past the header', [1, 1, 7, 9], 'ip4-bad-options', 22],
    ['length byte missing', [1, 1, 1, 131], 'ip4-bad-options', 23],
  ]
  for (const [name, opts, code, off] of cases) {
    decodeFrame(ip4WithOptions(opts), 101, s)
    t.equal(DECODE_CODE_NAMES[s.error], code, name)
    t.equal(s.errorOffset, off, `${name}: offset`)
    if (code === 'ok') t.same([s.srcPort, s.dstPort], [1234, 80], `${name}: TCP still decoded`)
  }
})
