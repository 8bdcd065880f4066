/**
 * UDP round-trip latency through the lab: `server PORT` echoes datagrams; `client HOST PORT N` sends N
 * pings one at a time and prints JSON {p50Us, p90Us, p99Us, lost}. Used by bench/live.ts (ping is not
 * installed everywhere, and a UDP echo measures exactly the forwarding path).
 */
import dgram from 'node:dgram'

const [mode, a, b, c] = process.argv.slice(2)
if (mode === 'server') {
  const s = dgram.createSocket({ type: 'udp6', ipv6Only: false })
  s.on('message', (m, r) => s.send(m, r.port, r.address))
  s.bind(Number(a), '::', () => process.stdout.write('ready\n'))
} else if (mode === 'client') {
  const host = a!
  const port = Number(b)
  const n = Number(c ?? 500)
  const s = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4')
  const rtts: number[] = []
  let lost = 0
  let seq = 0
  let sent = 0n
  let timer: NodeJS.Timeout | undefined
  const payload = Buffer.alloc(64)
  const next = (): void => {
    if (rtts.length + lost >= n) {
      s.close()
      rtts.sort((x, y) => x - y)
      const q = (p: number): number => rtts[Math.min(rtts.length - 1, Math.floor(p * rtts.length))] ?? NaN
      process.stdout.write(JSON.stringify({ p50Us: q(0.5), p90Us: q(0.9), p99Us: q(0.99), lost }) + '\n')
      return
    }
    payload.writeUInt32BE(++seq, 0)
    sent = process.hrtime.bigint()
    timer = setTimeout(() => { lost++; next() }, 200)
    s.send(payload, port, host)
  }
  s.on('message', (m: Buffer) => {
    if (m.length < 4 || m.readUInt32BE(0) !== seq || seq === 0) return // warm-up or a late answer
    const rtt = Number(process.hrtime.bigint() - sent) / 1000
    if (timer !== undefined) clearTimeout(timer)
    rtts.push(rtt)
    setImmediate(next)
  })
  // warm-up datagram (seq 0: first-packet paths) before measuring
  s.send(payload, port, host, () => setTimeout(next, 100))
} else {
  process.stderr.write('usage: udp-rtt server PORT | client HOST PORT N\n')
  process.exit(2)
}
