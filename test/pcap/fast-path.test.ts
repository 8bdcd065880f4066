/*
 * The allocation-free read/write paths (issue #16) against independent references:
 *  - the streaming reader's reused views (`nextView`/`refill`, tiny and default chunks) against the
 *    in-memory reader's fresh records, for every shared capture;
 *  - the writers' chunked `writeFrame` against a plain block-by-block encoder written here from the
 *    pcapng/pcap drafts (what the writer produced before the change, byte for byte);
 *  - the replay's fast driver (file reader + writeFrame) against the record-by-record driver with a
 *    sink that only has `write`;
 *  - `decode --json` lines against JSON.stringify of the frame object;
 *  - nanosecond captures keep nanosecond timestamps in --out (tshark reads them back);
 *  - capture clock sanity: absurd and backward timestamps are warned about with the byte offset,
 *    and the replay clock neither jumps nor runs backwards.
 */
import t from 'tap'
import { readFileSync, writeFileSync } from 'node:fs'
import { execFile } from 'node:child_process'
import path from 'node:path'
import {
  openCapture, readCaptureBuffer, PcapngWriter, PcapWriter, type CaptureRecord, type PacketToWrite,
} from '../../src/pcap/index.js'
import { replayFile, replayRecords, type FrameSink } from '../../src/ingress/replay.js'
import { loadPolicyFile } from '../../src/policy/load.js'
import { decodeFrame } from '../../src/wire/decode.js'
import { FrameSummary } from '../../src/wire/summary.js'
import { buildFrame } from '../../src/wire/build.js'
import { frameJson, frameJsonBytes } from '../../src/cli/commands/decode.js'
import { ByteLines } from '../../src/cli/byte-lines.js'
import { REPO_ROOT, PCAP_DIR, sharedCaptures } from '../helpers/shared.js'
import { requireTshark, run } from '../helpers/tshark.js'

const ALLOW_ALL = path.join(REPO_ROOT, 'policies', 'allow-all.yaml')

async function viewsOf (file: string, chunkSize?: number): Promise<{ recs: CaptureRecord[], warnings: string[] }> {
  const r = await openCapture(file, chunkSize === undefined ? {} : { chunkSize })
  const recs: CaptureRecord[] = []
  do {
    for (let v = r.nextView(); v !== undefined; v = r.nextView()) {
      // Copy: the view and its chunk are reused.
      const rec = v.toRecord()
      rec.data = Buffer.from(rec.data)
      recs.push(rec)
    }
  } while (await r.refill())
  return { recs, warnings: r.warnings.map(w => w.message) }
}

t.test('reused views deliver exactly what the in-memory reader delivers, for every shared capture', async t => {
  for (const f of sharedCaptures()) {
    const name = path.basename(f)
    const ref = readCaptureBuffer(readFileSync(f), f)
    for (const chunk of [97, undefined]) {
      const got = await viewsOf(f, chunk)
      t.equal(got.recs.length, ref.records.length, `${name} (chunk ${chunk ?? 'default'}): record count`)
      t.same(got.recs.map(r => ({ ...r, data: r.data.toString('hex') })), ref.records.map(r => ({ ...r, data: r.data.toString('hex') })),
        `${name} (chunk ${chunk ?? 'default'}): every field and byte`)
      t.same(got.warnings, ref.warnings.map(w => w.message), `${name}: same warnings`)
    }
  }
})

// ---- reference encoders (straight from the drafts; little-endian, µs) -------------------------------
function u16 (v: number): Buffer { const b = Buffer.alloc(2); b.writeUInt16LE(v); return b }
function u32 (v: number): Buffer { const b = Buffer.alloc(4); b.writeUInt32LE(v >>> 0); return b }
function pad4 (b: Buffer): Buffer { return Buffer.concat([b, Buffer.alloc((4 - b.length % 4) % 4)]) }
function opt (code: number, v: Buffer): Buffer { return Buffer.concat([u16(code), u16(v.length), pad4(v)]) }
function block (type: number, body: Buffer): Buffer { const n = 12 + body.length; return Buffer.concat([u32(type), u32(n), body, u32(n)]) }
function refPcapng (pkts: PacketToWrite[], tsresol = 6): Buffer {
  const parts = [block(0x0a0d0d0a, Buffer.concat([u32(0x1a2b3c4d), u16(1), u16(0), Buffer.alloc(8, 0xff), opt(4, Buffer.from('rstlab')), Buffer.alloc(4)]))]
  const ifs = new Map<number, number>()
  for (const p of pkts) {
    let id = ifs.get(p.linkType)
    if (id === undefined) {
      id = ifs.size; ifs.set(p.linkType, id)
      parts.push(block(1, Buffer.concat([u16(p.linkType), u16(0), u32(262144), opt(9, Buffer.from([tsresol])), Buffer.alloc(4)])))
    }
    const ts = tsresol === 9 ? BigInt(p.tsUs) * 1000n + BigInt(p.tsNsRem ?? 0) : BigInt(p.tsUs)
    const opts = p.comment === undefined ? [] : [opt(1, Buffer.from(p.comment)), Buffer.alloc(4)]
    parts.push(block(6, Buffer.concat([u32(id), u32(Number(ts >> 32n)), u32(Number(ts & 0xffffffffn)), u32(p.data.length),
      u32(p.origLen ?? p.data.length), pad4(p.data), ...opts])))
  }
  return Buffer.concat(parts)
}
function refPcap (pkts: PacketToWrite[]): Buffer {
  const parts = [u32(0xa1b2c3d4), u16(2), u16(4), u32(0), u32(0), u32(262144), u32(pkts[0]!.linkType)]
  for (const p of pkts) {
    const sec = Math.floor(p.tsUs / 1e6)
    parts.push(u32(sec), u32(p.tsUs - sec * 1e6), u32(p.data.length), u32(p.origLen ?? p.data.length), p.data)
  }
  return Buffer.concat(parts)
}

t.test('chunked writers produce the same bytes as the block-by-block reference', async t => {
  // Enough packets to cross several 1 MiB output chunks, odd lengths (padding), comments (some multi-byte).
  const pkts: PacketToWrite[] = []
  for (let i = 0; i < 3000; i++) {
    const data = Buffer.alloc(1 + (i * 37) % 1514, i & 0xff)
    const p: PacketToWrite = { tsUs: 1_700_000_000_000_000 + i * 1000 + (i % 7), linkType: 1, data }
    if (i % 5 === 0) p.origLen = data.length + 3
    if (i % 11 === 0) p.comment = `rstlab forged RST ${i} – é`
    pkts.push(p)
  }
  const dir = t.testdir({})
  const ng = await PcapngWriter.open(path.join(dir, 'a.pcapng'))
  const pc = await PcapWriter.open(path.join(dir, 'a.pcap'))
  for (const p of pkts) {
    // Both the promise form and the frame form (from an offset inside a larger buffer).
    if (pkts.indexOf(p) % 2 === 0) await ng.write(p)
    else {
      const big = Buffer.concat([Buffer.alloc(5, 0xee), p.data, Buffer.alloc(3, 0xee)])
      if (!ng.writeFrame(p.tsUs, 0, p.linkType, big, 5, p.data.length, p.origLen ?? p.data.length, p.comment)) await ng.drained()
    }
    await pc.write({ ...p, comment: undefined })
  }
  await ng.close(); await pc.close()
  t.ok(readFileSync(path.join(dir, 'a.pcapng')).equals(refPcapng(pkts)), 'pcapng byte-identical')
  t.ok(readFileSync(path.join(dir, 'a.pcap')).equals(refPcap(pkts)), 'pcap byte-identical')
  const ns = await PcapngWriter.open(path.join(dir, 'n.pcapng'), { nanosecond: true })
  const nsPkts = pkts.slice(0, 50).map((p, i) => ({ ...p, tsNsRem: (i * 131) % 1000 }))
  for (const p of nsPkts) await ns.write(p)
  await ns.close()
  t.ok(readFileSync(path.join(dir, 'n.pcapng')).equals(refPcapng(nsPkts, 9)), 'nanosecond pcapng: if_tsresol 9, exact ns timestamps')
  const back = readCaptureBuffer(readFileSync(path.join(dir, 'n.pcapng'))).records
  t.same(back.map(r => [r.tsUs, r.tsNsRem]), nsPkts.map(p => [p.tsUs, p.tsNsRem]), 'read back: same µs and ns')
})

/** A sink with only the promise form, copying what it gets: the reference path. */
class SlowSink implements FrameSink {
  readonly got: PacketToWrite[] = []
  async write (p: PacketToWrite): Promise<void> { this.got.push({ ...p, data: Buffer.from(p.data) }) }
}

t.test('the fast replay driver and the record-by-record driver agree on every shared capture', async t => {
  const policy = loadPolicyFile(ALLOW_ALL)
  const dir = t.testdir({})
  for (const f of sharedCaptures()) {
    const name = path.basename(f)
    const out = path.join(dir, `${name}.pcapng`)
    const w = await PcapngWriter.open(out)
    const fast = await replayFile(f, { policy, out: w, chunkSize: 211 })
    await w.close()
    const ref = readCaptureBuffer(readFileSync(f), f)
    const sink = new SlowSink()
    const slow = await replayRecords(ref.records, { policy, out: sink })
    t.same(fast.sessions, slow.sessions, `${name}: sessions`)
    t.same(fast.counters, slow.counters, `${name}: counters`)
    t.same(fast.frames, slow.frames, `${name}: frames`)
    const written = readCaptureBuffer(readFileSync(out)).records
    t.same(written.map(r => [r.tsUs, r.linkType, r.origLen, r.data.toString('hex'), r.comment]),
      sink.got.map(p => [p.tsUs, p.linkType, p.origLen ?? p.data.length, p.data.toString('hex'), p.comment]), `${name}: --out frames`)
  }
})

t.test('decode --json lines are JSON.stringify of the frame object, for every shared capture', async t => {
  const s = new FrameSummary()
  const bytes = new ByteLines()
  let checked = 0
  for (const f of sharedCaptures()) {
    const bad: string[] = []
    for (const rec of readCaptureBuffer(readFileSync(f), f).records) {
      decodeFrame(rec.data, rec.linkType, s)
      const want = JSON.stringify(frameJson(rec, s))
      bytes.pos = 0
      frameJsonBytes(bytes, rec, s)
      const gotBytes = bytes.buf.toString('utf8', 0, bytes.pos)
      if (gotBytes !== want + '\n') bad.push(`${rec.n} (bytes): ${gotBytes} != ${want}`)
      checked++
    }
    t.same(bad, [], path.basename(f))
  }
  t.ok(checked > 500, `${checked} frames`)
})

t.test('decode --json bytes: odd numbers, comments, VLANs, IPv6 and damaged frames as JSON.stringify writes them', async t => {
  const s = new FrameSummary()
  const bytes = new ByteLines(1024, 256)
  const frames: Array<{ data: Buffer, linkType: number }> = []
  for (const f of sharedCaptures()) for (const rec of readCaptureBuffer(readFileSync(f), f).records.slice(0, 40)) frames.push({ data: rec.data, linkType: rec.linkType })
  let x = 12345
  const rand = (): number => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x }
  const numbers = [0, 1, 9, 10, 99, 100, 999999999, 1000000000, 2147483647, 2147483648, 4294967295, 1700000000000000,
    999999999999999, 1000000000000000, 9007199254740991, 9007199254740992, 1.8e22, 0.5, -1, Number.MAX_VALUE,
    2999999999, 3000000000, 3000000001, 4000000000, 4294967294, 4294967296, 2147483648.5]
  const comments = [undefined, '', 'plain', 'quote " backslash \\ newline \n tab \t', 'é ü 😀 \u0001', 'x'.repeat(3000)]
  const bad: string[] = []
  for (let i = 0; i < 20_000; i++) {
    const fr = frames[rand() % frames.length]!
    const data = Buffer.from(fr.data)
    if (rand() % 3 === 0 && data.length > 0) data[rand() % Math.min(data.length, 60)] ^= 1 << (rand() % 8)
    const rec: CaptureRecord = {
      n: numbers[rand() % numbers.length]!, tsUs: numbers[rand() % numbers.length]!, tsNsRem: 0, linkType: fr.linkType, interfaceId: 0,
      caplen: data.length, origLen: numbers[rand() % numbers.length]!, data, offset: 0,
    }
    const c = comments[rand() % comments.length]
    if (c !== undefined) rec.comment = c
    decodeFrame(data, rec.linkType, s)
    const want = JSON.stringify(frameJson(rec, s)) + '\n'
    if (bytes.full) bytes.take()
    const start = bytes.pos
    frameJsonBytes(bytes, rec, s)
    const got = bytes.buf.toString('utf8', start, bytes.pos)
    if (got !== want && bad.length < 5) bad.push(`${got} != ${want}`)
  }
  t.same(bad, [], '20000 lines byte for byte')
  const b = new ByteLines(16, 8)
  for (const v of numbers) { b.reserve(32); b.num(v); b.byte(0x2c) }
  t.equal(b.buf.toString('utf8', 0, b.pos), numbers.map(v => JSON.stringify(v)).join(',') + ',', 'numbers as JSON.stringify writes them (a small chunk grows)')
  const a = new ByteLines(64, 64)
  const want: string[] = []
  for (let i = 0; i < 256; i++) {
    const oct = [i, 255 - i, (i * 7) & 255, i >> 4]
    a.reserve(32); a.ip4(Uint8Array.from(oct), 0); a.byte(0x2c)
    want.push(oct.join('.'))
  }
  t.equal(a.buf.toString('utf8', 0, a.pos), want.join(',') + ',', 'dotted quads of every octet value')
})

t.test('a nanosecond capture keeps its nanosecond timestamps in --out (tshark reads them)', async t => {
  if (!requireTshark(t)) return
  const input = path.join(PCAP_DIR, 'tcpdump__tcp-handshake-nano.pcap')
  const dir = t.testdir({})
  const out = path.join(dir, 'out.pcapng')
  const w = await PcapngWriter.open(out)
  await replayFile(input, { policy: loadPolicyFile(ALLOW_ALL), out: w })
  await w.close()
  const times = async (f: string): Promise<string[]> => (await run('tshark', ['-r', f, '-T', 'fields', '-e', 'frame.time_epoch'])).trim().split('\n')
  const want = await times(input)
  t.ok(want.some(x => !/000$/.test(x)), 'the input has sub-microsecond digits')
  t.same(await times(out), want, 'every timestamp to the nanosecond')
})

/** A pcapng with one interface, given if_tsresol, and EPBs with the given raw timestamps. */
function pcapngWith (tsresol: number, stamps: bigint[]): Buffer {
  const frame = buildFrame({ src: '198.18.0.1', dst: '198.19.0.1', tcp: { sport: 1000, dport: 80, flags: 'S', seq: 1 } })
  const parts = [block(0x0a0d0d0a, Buffer.concat([u32(0x1a2b3c4d), u16(1), u16(0), Buffer.alloc(8, 0xff)])),
    block(1, Buffer.concat([u16(1), u16(0), u32(65535), opt(9, Buffer.from([tsresol])), Buffer.alloc(4)]))]
  stamps.forEach((ts, i) => {
    const f = Buffer.from(frame); f.writeUInt16BE(1000 + i, 34) // a new flow per packet (checksum irrelevant here)
    parts.push(block(6, Buffer.concat([u32(0), u32(Number(ts >> 32n)), u32(Number(ts & 0xffffffffn)), u32(f.length), u32(f.length), pad4(f)])))
  })
  return Buffer.concat(parts)
}

t.test('capture clock sanity: absurd and backward timestamps are warned about with their offset; the replay clock holds', async t => {
  const dir = t.testdir({})
  const base = 1_700_000_000_000_000n
  // if_tsresol 2^-0 (MSB set, exponent 0 = seconds) on µs values: times around 1.7e15 s.
  const absurd = path.join(dir, 'absurd.pcapng')
  writeFileSync(absurd, pcapngWith(0x80, [base, base + 1n]))
  const a = await replayFile(absurd, { policy: loadPolicyFile(ALLOW_ALL) })
  t.equal(a.warnings.filter(w => /implausible timestamp/.test(w) && /at byte offset \d+$/.test(w)).length, 2, 'each absurd time warned, with offset')
  t.equal(a.sessions.length, 2, 'both packets still processed')
  t.ok(a.sessions.every(s => s.startUs === 0), 'the clock did not jump to the absurd time')
  // µs resolution, the third packet 10 s before the second, the fourth back in order.
  const back = path.join(dir, 'back.pcapng')
  const stamps = [base, base + 20_000_000n, base + 10_000_000n, base + 21_000_000n]
  writeFileSync(back, pcapngWith(6, stamps))
  const offsets = readCaptureBuffer(readFileSync(back)).records.map(r => r.offset)
  const b = await replayFile(back, { policy: loadPolicyFile(ALLOW_ALL) })
  const w = b.warnings.filter(x => /runs backwards by 10\.000000 s/.test(x))
  t.equal(w.length, 1, 'one backward step warned')
  t.match(w[0], new RegExp(`at byte offset ${offsets[2]}$`), 'with the offset of the packet that went back')
  const starts = b.sessions.map(s => s.startUs)
  t.same(starts, [Number(base), Number(base) + 20_000_000, Number(base) + 20_000_000, Number(base) + 21_000_000],
    'the engine clock holds at the latest time instead of running backwards')
})

t.test('replay progress line: on a terminal only, never with --quiet or into a pipe', async t => {
  const bin = path.join(REPO_ROOT, 'bin', 'rstlab.js')
  const input = path.join(PCAP_DIR, 'zeek__web.pcap')
  // python3's pty module gives the child a terminal as stderr (stdout stays a pipe we read).
  const py = `import os, pty, subprocess, sys
m, s = pty.openpty()
p = subprocess.run(sys.argv[1:], stderr=s, stdout=subprocess.PIPE)
os.close(s)
out = b''
while True:
    try:
        b = os.read(m, 65536)
    except OSError:
        break
    if not b:
        break
    out += b
sys.stdout.buffer.write(b'STDERR:' + out + b'\\nSTDOUT:' + p.stdout)
sys.exit(p.returncode)`
  const env = { ...process.env, NODE_OPTIONS: '', RSTLAB_PROGRESS_MIN_BYTES: '0' }
  const viaPty = async (...args: string[]): Promise<{ err: string, out: string }> => {
    const res = await new Promise<string>((resolve, reject) => {
      execFile('python3', ['-c', py, process.execPath, bin, 'replay', input, '--policy', ALLOW_ALL, ...args], { env, maxBuffer: 1 << 26 },
        (e, stdout) => { if (e !== null) reject(e); else resolve(stdout) })
    })
    const i = res.indexOf('\nSTDOUT:')
    return { err: res.slice('STDERR:'.length, i), out: res.slice(i + '\nSTDOUT:'.length) }
  }
  const tty = await viaPty()
  t.match(tty.err, /rstlab: replay \d+% [\d.]+\/[\d.]+ MiB, \d+ frames, \d+ frames\/s, ETA \d+ s/, 'a terminal gets the progress line')
  t.notMatch(tty.out, /rstlab: replay/, 'never on stdout')
  t.match(tty.out, /^Replay of /, 'the summary is unchanged on stdout')
  const quiet = await viaPty('--quiet')
  t.notMatch(quiet.err, /rstlab: replay/, '--quiet: none')
  const piped = await new Promise<string>((resolve) => {
    execFile(process.execPath, [bin, 'replay', input, '--policy', ALLOW_ALL], { env }, (_e, _o, stderr) => { resolve(stderr) })
  })
  t.notMatch(piped, /rstlab: replay/, 'stderr a pipe: none')
})
