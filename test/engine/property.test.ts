/**
 * Property: under allow-all, any interleaving of valid TCP conversations (random ISNs incl. near
 * 2^32, window scaling on/off, v4/v6, VLAN tags, data bursts within the window, retransmissions,
 * FIN or RST closes) is forwarded frame for frame with nothing dropped and nothing forged.
 * Seeded: the seed is printed; re-run a failure with RSTLAB_SEED=<seed>.
 */
import t from 'tap'
import { ALLOW_ALL, Conv, Lab, policy } from '../helpers/lab.js'
import { mulberry32, seedRounds } from '../helpers/prng.js'

const { base, rounds: ROUNDS } = seedRounds(25)

t.test('random interleavings of valid TCP conversations are forwarded untouched', async t => {
  for (let round = 0; round < ROUNDS; round++) {
    const seed = base + round
    const rnd = mulberry32(seed)
    const int = (n: number): number => Math.floor(rnd() * n)
    const lab = new Lab(policy(ALLOW_ALL), { trace: false })
    type Step = () => { action: string, emits: unknown[], reason: string }
    const convs: Step[][] = []
    let frames = 0
    const n = 5 + int(25)
    for (let i = 0; i < n; i++) {
      const v6 = rnd() < 0.3
      const ws = rnd() < 0.5
      const c = new Conv(lab, {
        c: v6 ? `2001:db8:0:1::${i + 1}` : `198.18.0.${i + 1}`,
        s: v6 ? '2001:db8:5::5' : '198.18.5.5',
        cport: 30000 + i, sport: 443,
        cisn: rnd() < 0.3 ? (0xffffffff - int(5000)) >>> 0 : int(2 ** 32),
        sisn: rnd() < 0.3 ? (0xffffffff - int(5000)) >>> 0 : int(2 ** 32),
        cwscale: ws ? int(10) : undefined, swscale: ws ? int(10) : undefined,
        vlans: rnd() < 0.2 ? [10 + i] : undefined,
      })
      const steps: Step[] = [() => c.syn(), () => c.synAck(), () => c.send(0, '.')]
      const rounds = int(8)
      for (let r = 0; r < rounds; r++) {
        const dir = int(2) as 0 | 1
        const burst = 1 + int(3)
        let last: Buffer | undefined
        for (let b = 0; b < burst; b++) {
          const len = 1 + int(1460)
          steps.push(() => {
            last = c.frame(dir, { flags: 'P.' }, len)
            return c.send(dir, 'P.', len)
          })
        }
        if (rnd() < 0.3) steps.push(() => ({ ...lab.engine.process(last!, dir, lab.now) }))
        steps.push(() => c.send((1 - dir) as 0 | 1, '.'))
      }
      if (rnd() < 0.7) {
        const first = int(2) as 0 | 1
        steps.push(() => c.send(first, 'F.'), () => c.send((1 - first) as 0 | 1, 'F.'), () => c.send(first, '.'))
      } else {
        const who = int(2) as 0 | 1
        steps.push(() => c.send(who, 'R'))
      }
      convs.push(steps)
    }
    const live = convs.map(() => 0)
    let bad = ''
    for (;;) {
      const open = live.map((k, i) => k < convs[i]!.length ? i : -1).filter(i => i >= 0)
      if (open.length === 0) break
      const i = open[int(open.length)]!
      lab.now += int(2_000) // keeps every gap under timeout-tcpinit (5 s)
      const r = convs[i]![live[i]!++]!()
      frames++
      if (r.action !== 'forward' || r.emits.length !== 0) { bad = `conv ${i} step ${live[i]! - 1}: ${r.action} ${r.reason}`; break }
      lab.engine.advance(lab.now)
    }
    if (bad !== '') { t.fail(`seed ${seed}: ${bad}`); continue }
    const k = lab.engine.counters()
    t.equal(k.pkt_sent, frames, `seed ${seed}: ${frames} frames, ${n} conversations, all forwarded`)
    t.equal(k.pkt_forged, 0)
  }
  t.comment(`seeds ${base}..${base + ROUNDS - 1} (re-run one with RSTLAB_SEED=<seed>)`)
})
