/**
 * The engine's fast path (Engine.fastAck, wire/plain-tcp4.ts) must be invisible: an engine that
 * takes it and one that never does (tracing on turns it off) are fed the same frames at the same
 * times and must agree on every result (action, egress, reason, session, direction, forged bytes),
 * every `advance` result, the counters, the session table and the traffic log.
 *
 * Inputs: seeded random TCP traffic that exercises the cases the fast path must hand back
 * (out-of-window segments, retransmissions, RSTs, FINs, zero windows, mid-stream pickups, reuse,
 * VLAN tags, IPv6, timestamp options, damaged frames, timers expiring), under several policies;
 * and every shared capture. Each part also checks that the fast path really ran.
 * Seeded: the seed is printed; re-run a failure with RSTLAB_SEED=<seed>.
 */
import t from 'tap'
import path from 'node:path'
import { Engine } from '../../src/engine/engine.js'
import type { Policy } from '../../src/policy/types.js'
import { buildFrame } from '../../src/wire/build.js'
import { plainTcp4PayloadLen } from '../../src/wire/plain-tcp4.js'
import { decode, policy } from '../helpers/lab.js'
import { mulberry32, seedRounds } from '../helpers/prng.js'
import { sharedCaptures } from '../helpers/shared.js'
import { EnginePair } from '../helpers/engine-pair.js'

/** Two engines over one policy: `fast` as shipped, `full` with a no-op trace hook (no fast path). */
class Pair extends EnginePair {
  get fast (): Engine { return this.a }
  get full (): Engine { return this.b }
  /** `embed`: the fast engine reads each frame in place inside a larger buffer (`processAt`). */
  constructor (p: Policy, embed?: number) {
    const ports: [string, string] = ['eth0', 'eth1']
    super(log => new Engine({ policy: p, portNames: ports, hooks: { trafficLog: log } }),
      log => new Engine({ policy: p, portNames: ports, hooks: { trafficLog: log, trace: () => {} } }),
      [embed === undefined ? 'fast path' : `fast path, frame at offset ${embed} of a larger buffer`, 'full path'], embed)
  }
}

// ---- the shape test against the decoder --------------------------------------------------------

t.test('plainTcp4PayloadLen is never looser than decodeFrame', async t => {
  const { base } = seedRounds(1)
  const rnd = mulberry32(base)
  const int = (n: number): number => Math.floor(rnd() * n)
  let plain = 0
  let checked = 0
  const check = (f: Buffer, what: string): void => {
    const n = plainTcp4PayloadLen(f)
    checked++
    // The same frame lying inside a larger buffer, with bytes that would pass the checks around it.
    const o = 1 + int(60)
    const big = Buffer.alloc(o + f.length + 80, 0x45)
    f.copy(big, o)
    const m = plainTcp4PayloadLen(big, o, f.length)
    if (m !== n) t.fail(`${what}: at offset ${o} of a larger buffer ${m}, alone ${n}`)
    if (n < 0) return
    plain++
    const fs = decode(f)
    if (fs.error !== 0 || fs.ipVersion !== 4 || fs.proto !== 6 || fs.l4Off !== 34 || fs.isFragment ||
      fs.vlanCount !== 0 || fs.payloadLen !== n) {
      t.fail(`${what}: plain with payload ${n}, decoder says error ${fs.error} l4Off ${fs.l4Off} payload ${fs.payloadLen}`)
    }
  }
  const opts = [undefined, { ts: [1, 2] as [number, number] }, { mss: 1460 }, { sack: [[1, 2]] as Array<[number, number]> }]
  for (let i = 0; i < 20_000; i++) {
    const f = buildFrame({
      src: '198.18.0.1', dst: '198.18.1.2',
      tcp: { sport: 1000, dport: 80, seq: int(2 ** 32), ack: int(2 ** 32), flags: int(512), window: int(65536), options: opts[int(opts.length)] },
      payload: int(3) === 0 ? undefined : int(200),
    })
    check(f, 'well-formed')
    // Damage: one to four random bytes anywhere in the headers, and/or cut or extend the frame.
    const g = Buffer.from(f)
    for (let k = int(4) + 1; k > 0; k--) g[int(Math.min(g.length, 70))] = int(256)
    check(g, `damaged ${g.toString('hex')}`)
    check(g.subarray(0, int(g.length + 1)), 'damaged and cut')
    check(Buffer.concat([f.subarray(0, int(f.length + 1)), Buffer.alloc(int(20))]), 'cut and padded')
  }
  t.ok(plain > 10_000, `${plain} of ${checked} frames were plain, each agreed with the decoder`)
})

// ---- random traffic --------------------------------------------------------------------------

const POLICIES: Array<[string, () => Policy]> = [
  ['allow-all, PAN-OS defaults', () => policy('  - { name: allow-all, action: allow }')],
  ['allow-all, tcp-reject-non-syn no, asymmetric-path bypass', () => policy('  - { name: allow-all, action: allow }',
    'settings: { session: { tcp-reject-non-syn: no }, tcp: { asymmetric-path: bypass } }')],
  ['reset-both on port 8080, allow the rest, short timers', () => policy(
    '  - { name: no-8080, service: [tcp/8080], action: reset-both }\n  - { name: allow-all, action: allow }',
    'settings: { session: { timeout-tcp: 2, timeout-tcp-half-closed: 1, timeout-tcp-time-wait: 1, max-sessions: 40 } }')],
]

const { base, rounds: ROUNDS } = seedRounds(6)

for (const [name, mk] of POLICIES) {
  t.test(`random traffic, fast path vs full path: ${name}`, async t => {
    let fastTotal = 0
    for (let round = 0; round < ROUNDS; round++) {
      const seed = base + round
      const rnd = mulberry32(seed)
      const int = (n: number): number => Math.floor(rnd() * n)
      // Odd rounds: the fast engine gets frames inside a larger buffer, as a replay's read chunk holds them.
      const pair = new Pair(mk(), round % 2 === 1 ? 1 + seed % 997 : undefined)
      const err = randomTraffic(pair, rnd, int)
      if (err !== '') { t.fail(`seed ${seed}: ${err}`); continue }
      const st = pair.state()
      if (st !== '') { t.fail(`seed ${seed}: ${st}`); continue }
      t.equal(pair.full.fastPathPackets, 0, `seed ${seed}: the traced engine never takes the fast path`)
      fastTotal += pair.fast.fastPathPackets
      t.pass(`seed ${seed}: ${pair.frames} frames agree (${pair.fast.fastPathPackets} took the fast path)`)
    }
    t.ok(fastTotal > 0, `the fast path ran (${fastTotal} packets)`)
    t.comment(`seeds ${base}..${base + ROUNDS - 1} (re-run one with RSTLAB_SEED=<seed>)`)
  })
}

/** One round: ~40 conversations interleaved at random, with faults; '' when both engines agreed throughout. */
function randomTraffic (pair: Pair, rnd: () => number, int: (n: number) => number): string {
  type Step = () => string
  let now = 1_000_000
  const convs: Step[][] = []
  for (let i = 0; i < 40; i++) {
    const v6 = rnd() < 0.15
    const vlan = rnd() < 0.1 ? [100 + int(50)] : undefined
    const ts = rnd() < 0.5
    const ws = rnd() < 0.5 ? int(9) : undefined
    const c = v6 ? `2001:db8:0:1::${i + 1}` : `198.18.0.${i + 1}`
    const s = v6 ? '2001:db8:5::5' : `198.18.${5 + int(3)}.5`
    const cport = 30000 + int(4)
    const sport = rnd() < 0.15 ? 8080 : 443
    const near = (): number => rnd() < 0.3 ? (0xffffffff - int(100_000)) >>> 0 : int(2 ** 32)
    const seq: [number, number] = [near(), near()]
    const win: [number, number] = [1000 + int(64000), 1000 + int(64000)]
    let tsv = int(2 ** 32)
    const frame = (dir: 0 | 1, flags: string, len: number, o: { seq?: number, ack?: number, win?: number, syn?: boolean } = {}): Buffer => {
      const c2s = dir === 0
      const options = o.syn === true
        ? { mss: 1460, ...(ws !== undefined ? { wscale: ws } : {}), ...(ts ? { ts: [tsv, 0] as [number, number] } : {}) }
        : ts ? { ts: [(tsv += 7) >>> 0, tsv >>> 1] as [number, number] } : undefined
      return buildFrame({
        srcMac: c2s ? '02:00:00:00:00:0c' : '02:00:00:00:00:05', dstMac: c2s ? '02:00:00:00:00:05' : '02:00:00:00:00:0c', vlans: vlan,
        src: c2s ? c : s, dst: c2s ? s : c,
        tcp: { sport: c2s ? cport : sport, dport: c2s ? sport : cport, seq: o.seq ?? seq[dir], ack: o.ack ?? seq[1 - dir], flags, window: o.win ?? win[dir], options },
        payload: len > 0 ? len : undefined,
      })
    }
    const send = (dir: 0 | 1, flags: string, len: number, o: { seq?: number, ack?: number, win?: number, syn?: boolean } = {}): Step => () => {
      let f = frame(dir, flags, len, o)
      if (o.seq === undefined) seq[dir] = (seq[dir] + len + (flags.includes('S') ? 1 : 0) + (flags.includes('F') ? 1 : 0)) >>> 0
      const fault = rnd()
      if (fault < 0.01) f = f.subarray(0, int(f.length)) // cut short
      else if (fault < 0.02) { f = Buffer.from(f); f[14 + int(Math.min(f.length - 14, 60))] ^= 1 << int(8) } // one bit flipped
      return pair.process(f, dir, now)
    }
    const steps: Step[] = []
    if (rnd() < 0.9) steps.push(send(0, 'S', 0, { ack: 0, syn: true }), send(1, 'S.', 0, { syn: true }), send(0, '.', 0))
    const rounds = int(30)
    for (let r = 0; r < rounds; r++) {
      const dir = int(2) as 0 | 1
      const x = rnd()
      if (x < 0.05) steps.push(send(dir, '.', 100, { seq: (seq[dir] + 2 ** 31 + int(1000)) >>> 0 })) // far outside the window
      else if (x < 0.08) steps.push(send(dir, '.', 0, { ack: (seq[1 - dir] + 500_000) >>> 0 })) // acks unsent data
      else if (x < 0.12) steps.push(send(dir, 'P.', 200, { seq: (seq[dir] - 200) >>> 0 })) // retransmission
      else if (x < 0.14) steps.push(send(dir, '.', 0, { win: 0 })) // zero window
      else if (x < 0.16) steps.push(send(dir, 'R', 0, { seq: (seq[dir] + 1 + int(1000)) >>> 0 })) // in-window, not exact
      else if (x < 0.18) steps.push(send(dir, 'P.', 1 + int(1460), { seq: (seq[dir] + 70_000 + int(10_000)) >>> 0 })) // beyond the right edge
      else steps.push(send(dir, rnd() < 0.5 ? 'P.' : '.', int(3) === 0 ? 0 : 1 + int(1460)))
    }
    const end = rnd()
    if (end < 0.5) {
      const first = int(2) as 0 | 1
      steps.push(send(first, 'F.', 0), send((1 - first) as 0 | 1, 'F.', 0), send(first, '.', 0))
      if (rnd() < 0.3) steps.push(send(0, 'S', 0, { ack: 0, syn: true, seq: (seq[0] + 100_000) >>> 0 })) // reuse in time-wait
    } else if (end < 0.7) steps.push(send(int(2) as 0 | 1, 'R', 0))
    convs.push(steps)
  }
  const next = convs.map(() => 0)
  for (;;) {
    const open = next.map((k, i) => k < convs[i]!.length ? i : -1).filter(i => i >= 0)
    if (open.length === 0) break
    const i = open[int(open.length)]!
    now += rnd() < 0.01 ? 1_000_000 + int(4_000_000) : int(3_000) // now and then a jump that lets timers fire
    const a = pair.advance(now)
    if (a !== '') return a
    const d = convs[i]![next[i]!++]!()
    if (d !== '') return d
  }
  return pair.advance(now + 10_000_000_000)
}

// ---- shared captures -------------------------------------------------------------------------

const files = sharedCaptures()
if (files.length === 0) t.comment('shared captures not found: capture part skipped')
else {
  t.test('shared captures, fast path vs full path', async t => {
    let fastTotal = 0
    for (const [name, mk] of POLICIES.slice(0, 2)) {
      for (const [i, file] of files.entries()) {
        // Every other file: the fast engine gets frames inside a larger buffer, as a replay's read chunk holds them.
        const pair = new Pair(mk(), i % 2 === 1 ? 13 : undefined)
        const bad = pair.capture(file)
        if (bad !== '') t.fail(`${path.basename(file)} (${name}): ${bad}`)
        fastTotal += pair.fast.fastPathPackets
      }
      t.pass(`${files.length} captures agree under ${name}`)
    }
    t.ok(fastTotal > 100, `the fast path ran on the captures (${fastTotal} packets)`)
  })
}
