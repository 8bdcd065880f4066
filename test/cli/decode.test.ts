import t from 'tap'
import { execFile } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { readCaptureBuffer, encodePcapng } from '../../src/pcap/index.js'
import { decodeFrame } from '../../src/wire/decode.js'
import { DECODE_CODE_NAMES, FrameSummary } from '../../src/wire/summary.js'
import { buildFrame } from '../../src/wire/build.js'
import { REPO_ROOT, sharedCaptures } from '../helpers/shared.js'
import { mapLimit } from '../helpers/tshark.js'

const BIN = path.join(REPO_ROOT, 'bin', 'rstlab.js')

interface Run { code: number, stdout: string, stderr: string }

function rstlab (...args: string[]): Promise<Run> {
  return new Promise(resolve => {
    // Without tap's NODE_OPTIONS (its TypeScript loader and process-info hooks make each spawn ~5x slower).
    const env = { ...process.env, NODE_OPTIONS: '' }
    execFile(process.execPath, [BIN, ...args], { maxBuffer: 64 * 1024 * 1024, env }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1
      resolve({ code, stdout, stderr })
    })
  })
}

function lines (s: string): string[] {
  return s === '' ? [] : s.replace(/\n$/, '').split('\n')
}

t.test('decode prints one line per frame for every shared capture, text and --json, errors included', async t => {
  const files = sharedCaptures()
  if (files.length === 0) { t.fail('no captures in ../shared/pcaps'); return }
  const s = new FrameSummary()
  let errorFrames = 0
  const runs = await mapLimit(files, 2, async f => [await rstlab('decode', f), await rstlab('decode', f, '--json')] as const)
  files.forEach((f, i) => {
    const name = path.basename(f)
    const [text, json] = runs[i]!
    const { records } = readCaptureBuffer(readFileSync(f))
    t.equal(text.code, 0, `${name}: text exit 0`)
    t.equal(json.code, 0, `${name}: --json exit 0`)
    // Only clock warnings (one shared capture's timestamps run backwards), never damage.
    t.equal(text.stderr.split('\n').filter(l => l !== '' && !/timestamp runs backwards/.test(l)).join('\n'), '', `${name}: nothing else on stderr`)
    t.equal(lines(text.stdout).length, records.length, `${name}: ${records.length} text lines`)
    const objs = lines(json.stdout).map(l => JSON.parse(l) as Record<string, unknown>)
    t.equal(objs.length, records.length, `${name}: ${records.length} JSON lines`)
    // Each JSON line carries the decoder's verdict for that frame, error frames included.
    const mismatch = records.filter((rec, k) => {
      decodeFrame(rec.data, rec.linkType, s)
      const o = objs[k]!
      const want = s.error === 0 ? null : DECODE_CODE_NAMES[s.error]
      if (s.error !== 0) errorFrames++
      return o.n !== rec.n || o.tsUs !== rec.tsUs || o.len !== rec.caplen || o.error !== want ||
        (s.error !== 0 && (o.errorOffset !== s.errorOffset || !lines(text.stdout)[k]!.includes(`decode error ${want}`)))
    })
    t.same(mismatch.map(r => r.n), [], `${name}: JSON and text agree with decodeFrame frame by frame`)
  })
  t.ok(errorFrames > 0, `error frames are printed too (${errorFrames} over all files)`)
})

t.test('decode --json fields for a known frame', async t => {
  const dir = t.testdir({})
  const f = path.join(dir, 'one.pcapng')
  const frame = buildFrame({ vlans: [7], src: '198.18.0.1', dst: '198.18.0.2', ttl: 33, tcp: { sport: 1234, dport: 443, seq: 100, ack: 200, flags: 'P.', window: 999 }, payload: 'hello' })
  writeFileSync(f, encodePcapng([{ tsUs: 1700000000000001, linkType: 1, data: frame, comment: 'two\nlines' }]))
  const r = await rstlab('decode', f, '--json')
  t.equal(r.code, 0)
  t.match(JSON.parse(r.stdout), {
    n: 1, tsUs: 1700000000000001, linkType: 1, len: frame.length, error: null, errorOffset: null, vlan: [7],
    ipVersion: 4, src: '198.18.0.1', dst: '198.18.0.2', proto: 6, sport: 1234, dport: 443, flags: 'P.',
    seq: 100, ack: 200, win: 999, ttl: 33, payloadLen: 5, icmpType: null, comment: 'two\nlines',
  })
  const text = await rstlab('decode', f)
  t.equal(lines(text.stdout).length, 1, 'a multi-line comment stays on the frame\'s line')
  t.match(text.stdout, /198\.18\.0\.1\.1234 > 198\.18\.0\.2\.443: Flags \[P\.\].* # two \| lines\n$/)
})

t.test('damaged, missing and non-capture files', async t => {
  const pkts = [0, 1, 2].map(i => ({ tsUs: i, linkType: 1, data: buildFrame({ src: '198.18.0.1', dst: '198.18.0.2', udp: { sport: 1, dport: 2 }, payload: 40 }) }))
  const full = encodePcapng(pkts)
  const third = readCaptureBuffer(full).records[2]!.offset
  const dir = t.testdir({ 'cut.pcapng': full.subarray(0, full.length - 10), 'text.pcap': 'hello, not a capture\n' })
  const cut = await rstlab('decode', path.join(dir, 'cut.pcapng'))
  t.equal(cut.code, 0, 'a truncated file still exits 0')
  t.equal(lines(cut.stdout).length, 2, 'the good frames are printed')
  t.match(cut.stderr, new RegExp(`^rstlab: warning: .*cut\\.pcapng: file truncated.* at byte offset ${third}\\n$`), 'one warning with the byte offset')

  const missing = await rstlab('decode', path.join(dir, 'nope.pcap'))
  t.equal(missing.code, 2)
  t.match(missing.stderr, /no such file\n {2}→ /)
  t.equal(missing.stderr.match(/rstlab:/g)?.length, 1, 'reported once')
  const text = await rstlab('decode', path.join(dir, 'text.pcap'))
  t.equal(text.code, 2)
  t.match(text.stderr, /is not a pcap or pcapng capture/)
  t.equal(text.stdout, '')
  const usage = await rstlab('decode')
  t.equal(usage.code, 2, 'no file: usage error')
})
