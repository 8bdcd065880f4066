/**
 * A long-lived TCP echo pair for live tests, run in a lab namespace (`ip netns exec NS node build/test/live/echo.js`):
 *
 *   echo.js server PORT              echoes every byte back; prints {"ev":"listening"} then {"ev":"accepted"}
 *   echo.js client HOST PORT MS      connects, sends an 8-byte sequence number every MS ms and times its echo
 *
 * The client prints {"ev":"connected"} and then, once a second, {"ev":"echo","seq":N,"sent":[...],"got":[...]}:
 * the send and receive times (ms since the client started, monotonic) of the echoes received since the last
 * line, so the test can compute gaps over any window. On error or close it prints {"ev":"error"|"close"}.
 * The client exits when stdin closes.
 */
import net from 'node:net'

const t0 = performance.now()
const now = (): number => Math.round((performance.now() - t0) * 100) / 100
const emit = (ev: Record<string, unknown>): void => { process.stdout.write(JSON.stringify({ ...ev, t: now() }) + '\n') }

const [mode, a, b, c] = process.argv.slice(2)
if (mode === 'server') {
  const srv = net.createServer(s => {
    s.setNoDelay(true)
    emit({ ev: 'accepted', rport: s.remotePort })
    s.on('data', d => s.write(d))
    s.on('error', (e: NodeJS.ErrnoException) => emit({ ev: 'error', code: e.code ?? e.message }))
    s.on('close', () => emit({ ev: 'close' }))
  })
  srv.listen({ port: Number(a), host: '::', ipv6Only: false }, () => emit({ ev: 'listening' }))
} else if (mode === 'client') {
  const every = Number(c)
  const sentAt = new Map<number, number>()
  let seq = 0
  let sent: number[] = []
  let got: number[] = []
  let pending: Buffer = Buffer.alloc(0)
  let ending = false
  const s = net.connect({ host: a!, port: Number(b) })
  s.setNoDelay(true)
  s.on('connect', () => {
    emit({ ev: 'connected', lport: s.localPort })
    const tick = setInterval(() => {
      if (ending) return
      const m = Buffer.alloc(8)
      m.writeDoubleBE(++seq)
      sentAt.set(seq, now())
      s.write(m)
    }, every)
    const report = setInterval(() => {
      emit({ ev: 'echo', seq, sent, got })
      sent = []; got = []
    }, 1000)
    s.on('close', () => { clearInterval(tick); clearInterval(report); emit({ ev: 'echo', seq, sent, got }) })
  })
  s.on('data', (d: Buffer) => {
    pending = pending.length === 0 ? d : Buffer.concat([pending, d])
    const t = now()
    while (pending.length >= 8) {
      const n = pending.readDoubleBE(0)
      pending = pending.subarray(8)
      const at = sentAt.get(n)
      if (at === undefined) continue
      sentAt.delete(n)
      sent.push(at); got.push(t)
    }
  })
  s.on('error', (e: NodeJS.ErrnoException) => emit({ ev: 'error', code: e.code ?? e.message }))
  s.on('close', () => emit({ ev: 'close' }))
  process.stdin.on('data', () => { /* keep reading so 'end' comes */ })
  process.stdin.on('end', () => { ending = true; s.end(); setTimeout(() => process.exit(0), 200) })
} else {
  process.stderr.write('usage: echo.js server PORT | client HOST PORT MS\n')
  process.exit(2)
}
