import t from 'tap'
import { SessState, SessionTable } from '../../src/session/table.js'
import { TIMER_CLASS_COUNT, TimerClass } from '../../src/session/timers.js'
import { mulberry32, seedRounds } from '../helpers/prng.js'

function key (i: number, v6 = false): Uint8Array {
  const b = new Uint8Array(v6 ? 32 : 8)
  const n = v6 ? 16 : 4
  b[0] = 10; b[1] = (i >> 16) & 0xff; b[n - 2] = (i >> 8) & 0xff; b[n - 1] = i & 0xff
  b[n] = 198; b[n + 1] = 18; b[2 * n - 1] = i % 7
  return b
}

t.test('hash: both flows found, churn against a reference map, growth up to max', async t => {
  const tab = new SessionTable(5000, 16)
  const ref = new Map<number, number>() // i → slot
  let seed = 42
  const rnd = (): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff }
  const lookup = (i: number, rev: boolean): number => {
    const v6 = i % 3 === 0
    const k = key(i, v6)
    const n = v6 ? 16 : 4
    return rev ? tab.find(k, n, 0, n, 6, 80, 1000 + (i % 50000)) : tab.find(k, 0, n, n, 6, 1000 + (i % 50000), 80)
  }
  let found = 0
  let checks = 0
  for (let step = 0; step < 30000; step++) {
    const i = Math.floor(rnd() * 8000)
    if (ref.has(i)) {
      const s = ref.get(i)!
      checks++
      if (lookup(i, false) === s << 1) found++
      if (rnd() < 0.5) { tab.free(s); ref.delete(i) }
    } else if (!tab.isFull()) {
      const v6 = i % 3 === 0
      const n = v6 ? 16 : 4
      const s = tab.alloc(key(i, v6), 0, n, n, 6, 1000 + (i % 50000), 80)
      tab.state[s] = SessState.ACTIVE
      ref.set(i, s)
    }
  }
  t.equal(found, checks, `${checks} lookups during churn all hit`)
  let ok = 0
  for (let i = 0; i < 8000; i++) {
    const s = ref.get(i)
    const c2s = lookup(i, false)
    const s2c = lookup(i, true)
    if (s === undefined ? (c2s === -1 && s2c === -1) : (c2s === s << 1 && s2c === ((s << 1) | 1))) ok++
  }
  t.equal(ok, 8000, 'every key found in both directions or absent')
  let byId = 0
  for (const s of ref.values()) if (tab.slotOf(tab.id[s]!) === s) byId++
  t.equal(byId, ref.size, 'every live session found by id')
  t.equal(tab.slotOf(999999), -1)
  t.equal(tab.count, ref.size)
  t.ok(tab.cap <= 5000 && tab.cap >= ref.size, `grew to ${tab.cap}`)
})

t.test('full table refuses, ids increase', async t => {
  const tab = new SessionTable(2, 1)
  const a = tab.alloc(key(1), 0, 4, 4, 17, 1, 2)
  const b = tab.alloc(key(2), 0, 4, 4, 17, 1, 2)
  t.equal(tab.alloc(key(3), 0, 4, 4, 17, 1, 2), -1)
  t.ok(tab.id[b]! > tab.id[a]!)
  tab.state[a] = SessState.ACTIVE
  tab.free(a)
  const c = tab.alloc(key(3), 0, 4, 4, 17, 1, 2)
  t.ok(tab.id[c]! > tab.id[b]!, 'reused slot, new higher id')
})

t.test('timers: exact expiry; a touch only moves lastUs and the next deadline may come early', async t => {
  const tab = new SessionTable(100)
  const tmo = new Float64Array(TIMER_CLASS_COUNT).fill(1e9)
  tmo[TimerClass.UDP] = 30e6
  tmo[TimerClass.TCP] = 3600e6
  const s = [0, 1, 2].map(i => { const x = tab.alloc(key(i), 0, 4, 4, 17, 1, 2); tab.state[x] = SessState.ACTIVE; return x })
  tab.setTimer(s[0]!, TimerClass.UDP, 0)
  tab.setTimer(s[1]!, TimerClass.UDP, 10)
  tab.setTimer(s[2]!, TimerClass.TCP, 5)
  tab.touch(s[0]!, 20)
  // s0 was queued at 0 and refreshed at 20: its old place is the (early) bound.
  t.equal(tab.nextDeadline(tmo), 30e6)
  t.equal(tab.dueSlot(30e6, tmo), -1, 'nothing is due at the early bound; s0 is re-queued')
  t.equal(tab.nextDeadline(tmo), 30e6 + 10, 'now exact: s1')
  t.equal(tab.dueSlot(30e6 + 9, tmo), -1)
  t.equal(tab.dueSlot(30e6 + 10, tmo), s[1])
  tab.free(s[1]!)
  t.equal(tab.nextDeadline(tmo), 30e6 + 20, 's0 from the heap')
  t.equal(tab.dueSlot(30e6 + 19, tmo), -1)
  t.equal(tab.dueSlot(30e6 + 20, tmo), s[0])
  tab.free(s[0]!)
  t.equal(tab.nextDeadline(tmo), 3600e6 + 5)
  tab.free(s[2]!)
  t.equal(tab.nextDeadline(tmo), undefined)
})

t.test('timers against a model: random setTimer/touch/free/timeout changes, driven deadline by deadline', async t => {
  const { base, rounds } = seedRounds(4)
  for (let round = 0; round < rounds; round++) {
    const seed = base + round
    const rnd = mulberry32(seed)
    const N = 300
    const tab = new SessionTable(N)
    const tmo = new Float64Array(TIMER_CLASS_COUNT)
    const setTimeouts = (): void => { for (let c = 0; c < TIMER_CLASS_COUNT; c++) tmo[c] = 1 + Math.floor(rnd() * 5000) }
    setTimeouts()
    tmo[TimerClass.CLOSING] = 0
    // The model: slot → class and lastUs of every live session.
    const live = new Map<number, { c: number, last: number }>()
    const expiry = (m: { c: number, last: number }): number => m.last + tmo[m.c]!
    let now = 0
    let next = 0
    let problems = 0
    // After timeouts shrink, sessions already past their new expiry are overdue: they end at the
    // next deadline with their (past) expiry, as the engine's advance() ends them.
    let shrunk = false
    const fail = (msg: string): void => { if (problems++ < 5) t.fail(`seed ${seed}: ${msg}`) }
    for (let step = 0; step < 20000; step++) {
      // Move the clock the way the engine's callers do: deadline by deadline up to the target.
      const target = now + Math.floor(rnd() * 400)
      for (let guard = 0; ; guard++) {
        const d = tab.nextDeadline(tmo)
        let min = Infinity
        for (const m of live.values()) min = Math.min(min, expiry(m))
        if (d === undefined ? live.size !== 0 : d > min) { fail(`deadline ${d} later than the next expiry ${min}`); break }
        if (d === undefined || d > target || guard > 10_000) break
        now = Math.max(now, d)
        for (let s = tab.dueSlot(now, tmo); s >= 0; s = tab.dueSlot(now, tmo)) {
          const m = live.get(s)
          if (m === undefined || (shrunk ? expiry(m) > now : expiry(m) !== now)) { fail(`slot ${s} due at ${now}, model says ${m === undefined ? 'not live' : expiry(m)}`); break }
          live.delete(s); tab.state[s] = SessState.ACTIVE; tab.free(s)
        }
        for (const [s, m] of live) if (expiry(m) <= now) fail(`slot ${s} due at ${expiry(m)} still live at ${now}`)
        shrunk = false
      }
      now = target
      const r = rnd()
      const slots = [...live.keys()]
      const any = slots[Math.floor(rnd() * slots.length)]
      if (r < 0.25 && live.size < N) {
        const s = tab.alloc(key(next++), 0, 4, 4, 17, 1, 2)
        tab.state[s] = SessState.ACTIVE
        const c = Math.floor(rnd() * TIMER_CLASS_COUNT)
        tab.setTimer(s, c, now); live.set(s, { c, last: now })
      } else if (r < 0.8 && any !== undefined) {
        tab.touch(any, now); live.get(any)!.last = now
      } else if (r < 0.9 && any !== undefined) {
        const c = Math.floor(rnd() * TIMER_CLASS_COUNT)
        tab.setTimer(any, c, now); live.set(any, { c, last: now })
      } else if (r < 0.98 && any !== undefined) {
        tab.free(any); live.delete(any)
      } else {
        setTimeouts() // accelerated aging changes every class's timeout at once
        shrunk = true
      }
    }
    t.equal(problems, 0, `seed ${seed}: ${next} sessions, timers matched the model`)
  }
})

t.test('timers: re-queued sessions (the heap) removed in any order still expire exactly, in order', async t => {
  const { base, rounds } = seedRounds(3)
  for (let round = 0; round < rounds; round++) {
    const seed = base + round
    const rnd = mulberry32(seed)
    const N = 2000
    const T = 1_000_000
    const tab = new SessionTable(N)
    const tmo = new Float64Array(TIMER_CLASS_COUNT).fill(T)
    const last = new Map<number, number>()
    for (let i = 0; i < N; i++) {
      const s = tab.alloc(key(i), 0, 4, 4, 17, 1, 2)
      tab.state[s] = SessState.ACTIVE
      tab.setTimer(s, TimerClass.UDP, 0)
      const at = 1 + Math.floor(rnd() * (T - 1)) // refreshed once, at a random time
      tab.touch(s, at); last.set(s, at)
    }
    // At T every queued place comes due and every session is re-queued by its refresh time.
    t.equal(tab.dueSlot(T, tmo), -1, `seed ${seed}: nothing due at the queued places`)
    // Remove a random half (heap removals from any position), re-arm a few in another class.
    const slots = [...last.keys()]
    for (const s of slots) {
      const r = rnd()
      if (r < 0.4) { tab.free(s); last.delete(s) } else if (r < 0.5) { tab.setTimer(s, TimerClass.TCP, T); last.set(s, T) }
    }
    const want = [...last.entries()].sort((a, b) => a[1] - b[1] || a[0] - b[0])
    const got: Array<[number, number]> = []
    for (let d = tab.nextDeadline(tmo); d !== undefined && d < 3 * T; d = tab.nextDeadline(tmo)) {
      for (let s = tab.dueSlot(d, tmo); s >= 0; s = tab.dueSlot(d, tmo)) { got.push([s, d - T]); tab.free(s) }
    }
    t.same(got.map(g => g[1]), want.map(w => w[1]), `seed ${seed}: ${want.length} sessions expired at lastUs + timeout, in order`)
    t.same(new Set(got.map(g => g[0])), new Set(want.map(w => w[0])), `seed ${seed}: the right sessions`)
  }
})
