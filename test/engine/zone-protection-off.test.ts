/**
 * Zone protection switched off changes nothing (issue #15): an engine whose zones carry a profile with
 * every protection off (or with floods enabled at rates never reached, or scan entries counting at
 * thresholds never reached) and an engine without any
 * profile are fed the same frames at the same times and must agree byte for byte: every result
 * (action, egress, reason, session, direction, forged frames), the forwarded frame's bytes after the
 * call (the engine may rewrite in place), every `advance`, the counters, the sessions and the log.
 * Inputs: seeded random traffic (TCP conversations with faults, UDP, ICMP, fragments, IP options,
 * other protocols, damaged frames) and every shared capture. Re-run a failure with RSTLAB_SEED=<seed>.
 */
import t from 'tap'
import path from 'node:path'
import { Engine } from '../../src/engine/engine.js'
import { loadPolicyText } from '../../src/policy/load.js'
import type { Policy } from '../../src/policy/types.js'
import { buildFrame, type FrameSpec } from '../../src/wire/build.js'
import { mulberry32, seedRounds } from '../helpers/prng.js'
import { sharedCaptures } from '../helpers/shared.js'
import { EnginePair } from '../helpers/engine-pair.js'

const ZONES = `
  trust:   { interfaces: [eth0], networks: [198.18.0.0/24, "2001:db8:0:1::/64"] PROFILE }
  untrust: { interfaces: [eth1], networks: [any] PROFILE }`
const RULES = `
settings: { session: { timeout-tcp: 3, max-sessions: 60 } }
rules:
  - { name: no-8080, service: [tcp/8080], action: reset-both }
  - { name: no-udp-9, service: [udp/9], action: drop, icmp-unreachable: yes }
  - { name: allow-all, action: allow }`
const NEVER = 'red: { alarm-rate: 2000000, activate-rate: 2000000, maximal-rate: 2000000 }'
const PROFILES: Array<[string, string]> = [
  ['every protection off', '{ discard-tcp-syn-with-data: no, discard-tcp-synack-with-data: no }'],
  // Reconnaissance protection counting every first packet, at thresholds the traffic never reaches (65535 distinct events in 2 s).
  ['scan entries counting, never reaching their thresholds', '{ discard-tcp-syn-with-data: no, discard-tcp-synack-with-data: no, scan: { 8001: { threshold: 65535 }, 8002: { threshold: 65535 }, 8003: { threshold: 65535 }, 8006: { threshold: 65535 } } }'],
  ['floods on at rates never reached', `{ discard-tcp-syn-with-data: no, discard-tcp-synack-with-data: no, flood: { tcp-syn: { enable: yes, ${NEVER} }, udp: { enable: yes, ${NEVER} }, icmp: { enable: yes, ${NEVER} }, icmpv6: { enable: yes, ${NEVER} }, other-ip: { enable: yes, ${NEVER} } } }`],
]

function policies (profile: string): [Policy, Policy] {
  const plain = loadPolicyText(`zones:${ZONES.replace(/ PROFILE/g, '')}${RULES}`, 'plain.yaml')
  const prot = loadPolicyText(`zone-protection-profiles:\n  p: ${profile}\nzones:${ZONES.replace(/ PROFILE/g, ', zone-protection-profile: p')}${RULES}`, 'prot.yaml')
  return [plain, prot]
}

class Pair extends EnginePair {
  constructor ([pa, pb]: [Policy, Policy]) {
    const ports: [string, string] = ['eth0', 'eth1']
    super(log => new Engine({ policy: pa, portNames: ports, hooks: { trafficLog: log } }),
      log => new Engine({ policy: pb, portNames: ports, hooks: { trafficLog: log } }), ['without profile', 'with profile'])
  }
}

/** One round of random traffic; '' when both engines agreed throughout. */
function randomTraffic (pair: Pair, seed: number): string {
  const rnd = mulberry32(seed)
  const int = (n: number): number => Math.floor(rnd() * n)
  let now = 1_000_000
  const macs = (c2s: boolean): Partial<FrameSpec> => ({ srcMac: c2s ? '02:00:00:00:00:0c' : '02:00:00:00:00:05', dstMac: c2s ? '02:00:00:00:00:05' : '02:00:00:00:00:0c' })
  const conv: Array<() => string> = []
  for (let i = 0; i < 60; i++) {
    const v6 = rnd() < 0.15
    const c = v6 ? `2001:db8:0:1::${i + 1}` : `198.18.0.${i + 1}`
    const s = v6 ? '2001:db8:5::5' : `198.18.${5 + int(3)}.5`
    const kind = rnd()
    const steps: Array<() => string> = []
    const emit = (c2s: boolean, spec: Partial<FrameSpec>): () => string => () => {
      let f = buildFrame({ ...macs(c2s), src: c2s ? c : s, dst: c2s ? s : c, df: rnd() < 0.9, ...spec } as FrameSpec)
      const fault = rnd()
      if (fault < 0.02) f = f.subarray(0, int(f.length))
      else if (fault < 0.04) { f = Buffer.from(f); f[14 + int(Math.min(f.length - 14, 60))] ^= 1 << int(8) }
      else if (fault < 0.05 && !v6) { f = Buffer.from(f); f[20] |= 0x20 } // MF: a first fragment
      return pair.process(f, c2s ? 0 : 1, now)
    }
    if (kind < 0.6) {
      const cp = 30000 + int(8); const sp = rnd() < 0.15 ? 8080 : 443
      const seq = [int(2 ** 32), int(2 ** 32)]
      const ts = rnd() < 0.4
      const seg = (dir: 0 | 1, flags: string, len: number, o: { seq?: number, syn?: boolean } = {}): () => string => {
        const c2s = dir === 0
        const options = o.syn === true ? { mss: 1460, wscale: 7, ...(ts ? { ts: [1, 0] as [number, number] } : {}) } : ts ? { ts: [2, 1] as [number, number] } : undefined
        const f = emit(c2s, { tcp: { sport: c2s ? cp : sp, dport: c2s ? sp : cp, seq: o.seq ?? seq[dir], ack: seq[1 - dir], flags, window: 30000, options }, payload: len > 0 ? len : undefined })
        return () => {
          const r = f()
          if (o.seq === undefined) seq[dir] = (seq[dir]! + len + (flags.includes('S') ? 1 : 0) + (flags.includes('F') ? 1 : 0)) >>> 0
          return r
        }
      }
      if (rnd() < 0.9) steps.push(seg(0, 'S', rnd() < 0.05 ? 10 : 0, { syn: true }), seg(1, 'S.', 0, { syn: true }), seg(0, '.', 0))
      for (let k = int(20); k > 0; k--) {
        const dir = int(2) as 0 | 1
        const x = rnd()
        if (x < 0.05) steps.push(seg(dir, '.', 100, { seq: (seq[dir]! + 2 ** 31) >>> 0 }))
        else if (x < 0.1) steps.push(seg(dir, 'R', 0))
        else steps.push(seg(dir, rnd() < 0.5 ? 'P.' : '.', int(3) === 0 ? 0 : 1 + int(1400)))
      }
      if (rnd() < 0.5) steps.push(seg(0, 'F.', 0), seg(1, 'F.', 0), seg(0, '.', 0))
    } else if (kind < 0.8) {
      const sp = 1000 + int(100); const dp = rnd() < 0.2 ? 9 : 53
      for (let k = 1 + int(5); k > 0; k--) steps.push(emit(rnd() < 0.6, { udp: { sport: sp, dport: dp }, payload: int(1500) }))
    } else if (kind < 0.95) {
      const id = int(3) === 0 ? 0 : int(65536)
      for (let k = 1 + int(3); k > 0; k--) {
        steps.push(emit(true, { icmp: { type: v6 ? 128 : 8, code: 0, id, seqNo: k }, payload: rnd() < 0.2 ? 1100 : 32 }))
        steps.push(emit(false, { icmp: { type: v6 ? 129 : 0, code: 0, id, seqNo: k }, payload: 32 }))
      }
    } else {
      steps.push(emit(true, { proto: 47, payload: 20 }))
    }
    conv.push(...steps.map(s => s))
  }
  // Interleave: shuffle lightly by rotating through the list with random jumps of time.
  for (let k = 0; k < conv.length; k++) {
    now += rnd() < 0.02 ? 2_000_000 + int(3_000_000) : int(2_000)
    const a = pair.advance(now)
    if (a !== '') return a
    const d = conv[k]!()
    if (d !== '') return d
  }
  return pair.advance(now + 10_000_000_000)
}

const { base, rounds: ROUNDS } = seedRounds(4)

for (const [name, profile] of PROFILES) {
  t.test(`random traffic, no profile vs ${name}`, async t => {
    for (let round = 0; round < ROUNDS; round++) {
      const seed = base + round
      const pair = new Pair(policies(profile))
      const err = randomTraffic(pair, seed) || pair.state({ fastPath: true })
      if (err !== '') t.fail(`seed ${seed}: ${err}`)
      else t.pass(`seed ${seed}: ${pair.frames} frames agree (${pair.a.fastPathPackets} fast-path packets each)`)
    }
  })
}

const files = sharedCaptures()
if (files.length === 0) t.comment('shared captures not found: capture part skipped')
else {
  t.test('shared captures, no profile vs every protection off', async t => {
    for (const file of files) {
      const pair = new Pair(policies(PROFILES[0]![1]))
      const bad = pair.capture(file, { fastPath: true })
      if (bad !== '') t.fail(`${path.basename(file)}: ${bad}`)
    }
    t.pass(`${files.length} captures agree`)
  })
}
