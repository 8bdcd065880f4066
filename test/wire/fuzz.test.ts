/**
 * Decode fuzz: seeded random and mutated frames through `decodeFrame` (and a share through
 * `formatSummary`). Holds the decoder to its contract: no exception escapes, every offset and range
 * in the summary lies inside the frame, and — in a Proxy-guarded pass — no index outside the
 * frame is ever read.
 *
 * Replay: the seed is printed as a comment; `RSTLAB_FUZZ_SEED=<n>` reruns the same frames,
 * `RSTLAB_FUZZ_N=<count>` changes how many (default 1,000,000).
 */
import t from 'tap'
import { decodeFrame, decodeFrameAt } from '../../src/wire/decode.js'
import { formatSummary } from '../../src/wire/format.js'
import { DECODE_CODE_NAMES, FrameSummary } from '../../src/wire/summary.js'
import { allSeeds } from './corpus.js'

const SEED = process.env.RSTLAB_FUZZ_SEED !== undefined ? Number(process.env.RSTLAB_FUZZ_SEED) >>> 0 : (Math.random() * 0x100000000) >>> 0
const N = process.env.RSTLAB_FUZZ_N !== undefined ? Number(process.env.RSTLAB_FUZZ_N) : 1_000_000
/** Frames decoded through an index-checking Proxy (slow, so a slice of N). */
const GUARDED = Math.min(N, 30_000)
/** Frames also formatted (allocating, so a slice). */
const FORMATTED = Math.min(N, 30_000)

const LINK_TYPES = [1, 1, 1, 1, 101, 113, 276, 0, 108, 228, 229, 12, 147]
const INTERESTING8 = [0x00, 0x01, 0x02, 0x04, 0x05, 0x06, 0x0f, 0x10, 0x11, 0x2c, 0x3a, 0x3b, 0x40, 0x44, 0x45, 0x4f, 0x50, 0x5f, 0x60, 0x7f, 0x80, 0x81, 0x86, 0x88, 0xa8, 0xdd, 0xf0, 0xff]
const INTERESTING16 = [0x0000, 0x0001, 0x0008, 0x0014, 0x0028, 0x003c, 0x05dc, 0x0800, 0x0806, 0x86dd, 0x8100, 0x88a8, 0x9100, 0x7fff, 0x8000, 0xfffe, 0xffff]

/** xorshift32: small, fast and reproducible. */
function rng (seed: number): () => number {
  let x = seed === 0 ? 0x9e3779b9 : seed
  return () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x }
}

/** Summary offsets must lie inside the frame; returns a description of the first violation. */
function checkInvariants (s: FrameSummary, len: number): string | undefined {
  const inFrame = (name: string, off: number, n = 0): string | undefined =>
    off === -1 || (Number.isInteger(off) && off >= 0 && off + n <= len) ? undefined : `${name}=${off}+${n} outside ${len}`
  if (!Number.isInteger(s.error) || s.error < 0 || s.error >= DECODE_CODE_NAMES.length) return `error code ${s.error}`
  if (s.error === 0 && s.errorOffset !== -1) return 'errorOffset set without error'
  if (s.error !== 0 && (s.errorOffset < 0 || s.errorOffset > len)) return `errorOffset ${s.errorOffset}`
  return inFrame('ethOff', s.ethOff, 14) ??
    inFrame('l3Off', s.l3Off) ??
    inFrame('srcOff', s.srcOff, s.addrLen) ??
    inFrame('dstOff', s.dstOff, s.addrLen) ??
    inFrame('l4Off', s.l4Off, s.error === 0 ? s.l4HeaderLen : 0) ??
    inFrame('payloadOff', s.payloadOff, s.payloadLen) ??
    inFrame('icmpInnerOff', s.icmpInnerOff, 1) ??
    inFrame('sackOff', s.sackOff, s.sackBlocks * 8) ??
    (s.payloadLen < 0 ? `payloadLen ${s.payloadLen}` : undefined) ??
    (s.vlanCount < 0 || s.vlanCount > 2 ? `vlanCount ${s.vlanCount}` : undefined) ??
    (s.sackBlocks > 4 ? `sackBlocks ${s.sackBlocks}` : undefined) ??
    (s.addrLen !== 0 && s.addrLen !== 4 && s.addrLen !== 16 ? `addrLen ${s.addrLen}` : undefined)
}

/** A Buffer stand-in that throws on any index read outside [lo, hi) (default: the whole buffer). */
function guarded (b: Buffer, lo = 0, hi = b.length): Buffer {
  return new Proxy(b, {
    get (target, key) {
      if (typeof key === 'string') {
        const c = key.charCodeAt(0)
        if ((c >= 48 && c <= 57) || c === 45) {
          const i = Number(key)
          if (Number.isInteger(i) && (i < lo || i >= hi)) throw new RangeError(`read of index ${i} outside the frame [${lo}, ${hi})`)
          return target[i]
        }
      }
      const v: unknown = Reflect.get(target, key, target)
      // Methods run on the real Buffer: since Node 22 some Buffer methods read TypedArray.prototype.length
      // of `this`, which throws for a Proxy receiver. (Buffer's read methods check their bounds themselves.)
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v
    },
  })
}

const seeds = allSeeds()

t.test(`decodeFrame survives ${N} seeded random and mutated frames (seed ${SEED})`, async t => {
  t.comment(`fuzz seed ${SEED} (replay: RSTLAB_FUZZ_SEED=${SEED} RSTLAB_FUZZ_N=${N}), ${seeds.length} seed frames`)
  t.ok(seeds.length > 100, 'seed corpus includes the shared captures')
  const rand = rng(SEED)
  const scratch = Buffer.alloc(70_000)
  const s = new FrameSummary()
  const errorCounts = new Array<number>(DECODE_CODE_NAMES.length).fill(0)
  let failure: string | undefined
  const t0 = process.hrtime.bigint()
  for (let n = 0; n < N && failure === undefined; n++) {
    // Build the next frame in `scratch`.
    let len: number
    let linkType: number
    const r = rand() % 100
    if (r < 8) {
      // Pure random bytes of random length.
      len = rand() % 200
      for (let i = 0; i < len; i++) scratch[i] = rand() & 0xff
      linkType = LINK_TYPES[rand() % LINK_TYPES.length]!
    } else {
      const seed = seeds[rand() % seeds.length]!
      len = Math.min(seed.data.length, scratch.length - 64)
      seed.data.copy(scratch, 0, 0, len)
      linkType = rand() % 50 === 0 ? LINK_TYPES[rand() % LINK_TYPES.length]! : seed.linkType
      const mutations = 1 + (rand() % 4)
      for (let m = 0; m < mutations && len > 0; m++) {
        const k = rand() % 10
        // Bias positions toward headers, where the decoder's decisions are.
        const pos = (rand() % 4 === 0 ? rand() % len : rand() % Math.min(len, 80))
        if (k < 3) scratch[pos] = scratch[pos]! ^ (1 << (rand() % 8))
        else if (k < 5) scratch[pos] = INTERESTING8[rand() % INTERESTING8.length]!
        else if (k < 6 && pos + 1 < len) scratch.writeUInt16BE(INTERESTING16[rand() % INTERESTING16.length]!, pos)
        else if (k < 7) scratch[pos] = rand() & 0xff
        else if (k < 9) len = rand() % (len + 1) // truncate
        else { const extra = rand() % 64; for (let i = 0; i < extra; i++) scratch[len + i] = rand() & 0xff; len += extra }
      }
    }
    const frame = scratch.subarray(0, len)
    try {
      decodeFrame(n < GUARDED ? guarded(frame) : frame, linkType, s)
      if (n < FORMATTED) formatSummary(s, n)
    } catch (e) {
      failure = `frame ${n} (link ${linkType}) threw ${(e as Error).message}: ${frame.toString('hex')}`
      break
    }
    const bad = checkInvariants(s, len)
    if (bad !== undefined) failure = `frame ${n} (link ${linkType}) ${bad} [${DECODE_CODE_NAMES[s.error]}]: ${frame.toString('hex')}`
    errorCounts[s.error]!++
  }
  const secs = Number(process.hrtime.bigint() - t0) / 1e9
  t.equal(failure, undefined, `no exception or out-of-frame offset (seed ${SEED})`)
  t.comment(`${N} frames in ${secs.toFixed(2)} s (${Math.round(N / secs)} frames/s incl. mutation, ${GUARDED} guarded, ${FORMATTED} formatted)`)
  t.comment('decode results: ' + errorCounts.map((c, i) => c > 0 ? `${DECODE_CODE_NAMES[i]} ${c}` : '').filter(Boolean).join(', '))
  // The mutations must reach the error paths, or the fuzz proves little.
  if (N >= 100_000) {
    for (const code of ['ok', 'l2-truncated', 'vlan-truncated', 'ip4-truncated', 'ip-bad-version', 'ip4-bad-ihl', 'ip4-bad-length',
      'ip6-truncated', 'ip6-bad-length', 'ip6-bad-ext', 'tcp-truncated', 'tcp-bad-offset', 'tcp-bad-options', 'udp-bad-length',
      'icmp-truncated', 'unsupported-link', 'ip4-bad-options']) {
      t.ok(errorCounts[DECODE_CODE_NAMES.indexOf(code)]! > 0, `fuzz reached ${code}`)
    }
  }
})

t.test('decode-only throughput over the seed corpus (figure only, not asserted)', async t => {
  const s = new FrameSummary()
  const rounds = Math.max(1, Math.floor(Math.min(N, 1_000_000) / seeds.length))
  let sink = 0
  const t0 = process.hrtime.bigint()
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < seeds.length; i++) { const x = seeds[i]!; decodeFrame(x.data, x.linkType, s); sink += s.error }
  }
  const secs = Number(process.hrtime.bigint() - t0) / 1e9
  const frames = rounds * seeds.length
  t.comment(`decodeFrame: ${frames} frames in ${secs.toFixed(3)} s = ${Math.round(frames / secs)} frames/s (seed corpus, no mutation)`)
  t.ok(sink >= 0)
})

t.test('every shared capture frame decodes through the guarded view', async t => {
  const s = new FrameSummary()
  let n = 0
  for (const seed of seeds) {
    decodeFrame(guarded(seed.data), seed.linkType, s)
    const bad = checkInvariants(s, seed.data.length)
    if (bad !== undefined) t.fail(`${seed.name}: ${bad}`)
    n++
  }
  t.ok(n > 0, `${n} frames decoded`)
})

/** Summary fields that are offsets into `frame` (shifted by the frame's start under decodeFrameAt; `errorOffset` is not). */
const OFFSET_FIELDS = new Set(['ethOff', 'l3Off', 'srcOff', 'dstOff', 'l4Off', 'sackOff', 'icmpInnerOff', 'payloadOff'])

t.test('decodeFrameAt: a frame inside a larger buffer decodes as the frame alone, reading only its own bytes', async t => {
  const rand = rng(SEED ^ 0x5bd1e995)
  const alone = new FrameSummary()
  const at = new FrameSummary()
  const big = Buffer.alloc(80_000)
  let checked = 0
  let failure: string | undefined
  for (let n = 0; n < 20_000 && failure === undefined; n++) {
    const seed = seeds[rand() % seeds.length]!
    // The seed, cut short or mutated now and then, at a random place among random bytes.
    let len = seed.data.length
    if (rand() % 4 === 0) len = rand() % (len + 1)
    const base = rand() % 256
    for (let i = 0; i < base + len + 256; i++) big[i] = rand() & 0xff
    seed.data.copy(big, base, 0, len)
    if (rand() % 3 === 0 && len > 0) big[base + (rand() % Math.min(len, 80))] ^= 1 << (rand() % 8)
    const frame = Buffer.from(big.subarray(base, base + len))
    decodeFrame(frame, seed.linkType, alone)
    try {
      decodeFrameAt(guarded(big, base, base + len), base, len, seed.linkType, at)
    } catch (e) {
      failure = `${seed.name} at ${base}+${len}: ${(e as Error).message}`
      break
    }
    if (at.frameOff !== base || at.frameEnd !== base + len) failure = `${seed.name}: bounds ${at.frameOff}..${at.frameEnd}, want ${base}..${base + len}`
    for (const [k, v] of Object.entries(alone)) {
      if (k === 'frame' || k === 'frameOff' || k === 'frameEnd' || failure !== undefined) continue
      const want = OFFSET_FIELDS.has(k) && (v as number) >= 0 ? (v as number) + base : v
      const got = (at as unknown as Record<string, unknown>)[k]
      if (got !== want) failure = `${seed.name} at ${base}+${len}: ${k} = ${String(got)}, alone ${String(v)} (want ${String(want)})`
    }
    checked++
  }
  t.equal(failure, undefined, `same summary and no read outside the frame (seed ${SEED})`)
  t.ok(checked >= 20_000, `${checked} embedded frames compared field by field`)
})
