import t from 'tap'
import { SessState, SessionTable } from '../../src/session/table.js'
import { TIMER_CLASS_COUNT, TimerClass } from '../../src/session/timers.js'

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

t.test('timer lists: exact expiry, touch order, cost only at heads', async t => {
  const tab = new SessionTable(100)
  const tmo = new Float64Array(TIMER_CLASS_COUNT).fill(1e9)
  tmo[TimerClass.UDP] = 30e6
  tmo[TimerClass.TCP] = 3600e6
  const s = [0, 1, 2].map(i => { const x = tab.alloc(key(i), 0, 4, 4, 17, 1, 2); tab.state[x] = SessState.ACTIVE; return x })
  tab.setTimer(s[0]!, TimerClass.UDP, 0)
  tab.setTimer(s[1]!, TimerClass.UDP, 10)
  tab.setTimer(s[2]!, TimerClass.TCP, 5)
  tab.touch(s[0]!, 20)
  t.equal(tab.nextDeadline(tmo), 30e6 + 10)
  t.equal(tab.dueSlot(30e6 + 9, tmo), -1)
  t.equal(tab.dueSlot(30e6 + 10, tmo), s[1])
  tab.free(s[1]!)
  t.equal(tab.dueSlot(30e6 + 19, tmo), -1)
  t.equal(tab.dueSlot(30e6 + 20, tmo), s[0])
  tab.free(s[0]!)
  t.equal(tab.nextDeadline(tmo), 3600e6 + 5)
  tab.free(s[2]!)
  t.equal(tab.nextDeadline(tmo), undefined)
})
