/**
 * Property: with inspection on every session (an application rule and a threat profile), random
 * interleavings of valid TCP conversations (ISNs near 2^32, data bursts, retransmissions, FIN closes)
 * are forwarded untouched when no signature occurs, and a signature planted at a random place of a
 * random conversation is found exactly once, with RSTs whose seq/ack are the conversation's own.
 * Seeded: the seed is printed; re-run a failure with RSTLAB_SEED=<seed>.
 */
import t from 'tap'
import { Conv, Lab, decode, policy } from '../helpers/lab.js'
import type { ThreatLogRecord } from '../../src/engine/types.js'
import { mulberry32, seedRounds } from '../helpers/prng.js'

const { base, rounds: ROUNDS } = seedRounds(20)
const SIG = 'PLANTED-SIGNATURE'
const POLICY = `  - { name: no-ssh, application: [ssh], action: reset-both }
  - { name: all, action: allow, profile: p }
threats:
  signatures: [{ name: planted, content: "${SIG}", action: reset-both }]
  profiles: { p: [planted] }
`

t.test('inspection keeps valid conversations intact and finds a planted signature once', async t => {
  t.comment(`seed ${base}`)
  // Seeds that once failed, run every time: 855271 plants the signature over a 1-byte first client
  // segment and the next one, and App-ID decides only on that next one (the scan after its decision
  // used to cover only the deciding segment, so the signature's first byte was never scanned).
  const seeds = process.env.RSTLAB_SEED !== undefined ? [base] : [855271, ...Array.from({ length: ROUNDS }, (_, i) => base + i)]
  for (const seed of seeds) {
    const rnd = mulberry32(seed)
    const int = (n: number): number => Math.floor(rnd() * n)
    const threats: ThreatLogRecord[] = []
    const lab = new Lab(policy(POLICY), { trace: false })
    ;(lab.engine as unknown as { hooks: { threatLog: (r: ThreatLogRecord) => void } }).hooks.threatLog = r => threats.push(r)
    type Step = () => { action: string, emits: Array<{ frame: Buffer, toward: string }>, reason: string }
    const convs: Array<{ c: Conv, steps: Step[] }> = []
    const n = 3 + int(12)
    const planted = int(n)
    let expectRst: { c: Conv, dir: 0 | 1 } | undefined
    for (let i = 0; i < n; i++) {
      const c = new Conv(lab, {
        c: `198.18.0.${i + 1}`, s: '198.18.5.5', cport: 30000 + i, sport: 80,
        cisn: rnd() < 0.4 ? (0xffffffff - int(3000)) >>> 0 : int(2 ** 32),
        sisn: rnd() < 0.4 ? (0xffffffff - int(3000)) >>> 0 : int(2 ** 32),
      })
      const steps: Step[] = [() => c.syn(), () => c.synAck(), () => c.send(0, '.')]
      const rounds = 1 + int(6)
      const plantAt = i === planted ? int(rounds) : -1
      for (let r = 0; r < rounds; r++) {
        // The client speaks first (as in HTTP), so App-ID decides on the first data; a plant in round 0
        // is the segment that decides it, scanned again once the policy picked the profiled rule.
        const dir = (r === 0 ? 0 : int(2)) as 0 | 1
        if (r === plantAt) {
          // The signature, cut at a random point over two segments (the second completes it).
          const cut = 1 + int(SIG.length - 1)
          const pre = 'x'.repeat(int(50)) + SIG.slice(0, cut)
          steps.push(() => sendText(c, dir, pre))
          steps.push(() => { expectRst = { c, dir }; return sendText(c, dir, SIG.slice(cut) + 'y'.repeat(int(50))) })
          break
        }
        let last: Buffer | undefined
        for (let b = 0; b < 1 + int(3); b++) {
          const len = 1 + int(1400)
          steps.push(() => { last = c.frame(dir, { flags: 'P.' }, len); return c.send(dir, 'P.', len) })
        }
        if (rnd() < 0.3) steps.push(() => { const r = lab.engine.process(last!, dir, lab.now); return { action: r.action, emits: r.emits.slice(), reason: r.reason } })
        steps.push(() => c.send((1 - dir) as 0 | 1, '.'))
      }
      convs.push({ c, steps })
    }
    // Interleave the conversations' steps at random.
    const pos = convs.map(() => 0)
    let blockedConv: Conv | undefined
    for (;;) {
      const open = convs.map((_, i) => i).filter(i => pos[i]! < convs[i]!.steps.length && convs[i]!.c !== blockedConv)
      if (open.length === 0) break
      const i = open[int(open.length)]!
      const before = expectRst
      const seqs: [number, number] = [convs[i]!.c.seq[0], convs[i]!.c.seq[1]]
      const r = convs[i]!.steps[pos[i]!++]!()
      if (before === undefined && expectRst !== undefined) {
        // This step completed the planted signature: dropped, reset-both from the conversation's numbers.
        const { dir } = expectRst
        if (r.action !== 'drop' || r.emits.length !== 2) { t.fail(`seed ${seed}: planted signature not blocked (${r.action} ${r.reason})`); break }
        const toClient = decode(r.emits[0]!.frame)
        const toServer = decode(r.emits[1]!.frame)
        // Sequence numbers before the dropped segment: `seqs` (send() advanced them after building it).
        const c0 = seqs[0]; const s0 = seqs[1]
        void dir
        if (toClient.seq !== s0 || toClient.ack !== c0 || toServer.seq !== c0 || toServer.ack !== s0) {
          t.fail(`seed ${seed}: RST numbers ${toClient.seq}/${toClient.ack} ${toServer.seq}/${toServer.ack} vs ${s0}/${c0}`)
        }
        blockedConv = convs[i]!.c
        continue
      }
      if (r.action !== 'forward' || r.emits.length !== 0) { t.fail(`seed ${seed}: conversation ${i} step ${pos[i]! - 1}: ${r.action} ${r.reason}`); break }
    }
    if (threats.length !== 1 || threats[0]!.signature !== 'planted') t.fail(`seed ${seed}: ${threats.length} threat records`)
  }
  t.pass(`${seeds.length} rounds`)
})

function sendText (c: Conv, dir: 0 | 1, text: string): { action: string, emits: Array<{ frame: Buffer, toward: string }>, reason: string } {
  const r = c.lab.engine.process(c.frame(dir, { flags: 'P.' }, text), dir, c.lab.now)
  c.seq[dir] = (c.seq[dir] + text.length) >>> 0
  return { action: r.action, emits: r.emits.slice(), reason: r.reason }
}
