/**
 * New TCP connections per second through the lab: `server PORT` accepts and closes after the client;
 * `client HOST PORT SECONDS CONCURRENCY` opens connections in a loop (each closed by the client once
 * established, so TIME_WAIT stays on the client and its ports are not reused at once) and prints JSON
 * {perSecond, total, failed}.
 *
 * Why the client closes first: if the server closes first, it holds TIME_WAIT and the client soon reuses
 * a 4-tuple; the server then answers the new SYN with an ACK (RFC 5961-style), the client RSTs, and a
 * PAN-OS-like firewall drops that RST (allow-challenge-ack: no) — a 1 s SYN retransmit per connection.
 * That is the behaviour rstlab models, not a setup-rate figure.
 */
import net from 'node:net'

const [mode, a, b, c, d] = process.argv.slice(2)
if (mode === 'server') {
  net.createServer(s => { s.on('error', () => {}); s.on('end', () => s.end()); s.resume() }).listen(Number(a), '::', () => process.stdout.write('ready\n'))
} else if (mode === 'client') {
  const host = a!
  const port = Number(b)
  const seconds = Number(c ?? 3)
  const conc = Number(d ?? 8)
  let total = 0
  let failed = 0
  const t0 = Date.now()
  const end = t0 + seconds * 1000
  let running = 0
  const one = (): void => {
    if (Date.now() >= end) {
      if (--running === 0) process.stdout.write(JSON.stringify({ perSecond: total / ((Date.now() - t0) / 1000), total, failed }) + '\n')
      return
    }
    const s = net.connect({ host, port })
    s.setTimeout(2000, () => s.destroy(new Error('timeout')))
    s.once('connect', () => { total++; s.end() })
    s.on('data', () => {})
    s.once('error', () => { failed++ })
    s.once('close', () => one())
  }
  for (let i = 0; i < conc; i++) { running++; one() }
} else {
  process.stderr.write('usage: conn-rate server PORT | client HOST PORT SECONDS CONCURRENCY\n')
  process.exit(2)
}
