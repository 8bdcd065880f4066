// A client with a one-connection "pool", for the lesson "why your connection pool breaks after an hour behind
// the firewall" (docs/fixture.md). It opens one TCP connection to an HTTP server, sends a request, keeps the
// connection idle until told to go on, then sends the next request on the SAME connection, as a pool would.
//
//   node lab/pool-client.mjs HOST[:PORT] [--keepalive-ms MS] [--timeout-ms MS] [--go-file PATH]
//
// Between the two requests it waits for a line on stdin, or, with --go-file, until PATH exists (for scripts).
// --keepalive-ms turns TCP keepalive on with that idle time (Linux: first probe after MS of silence).
// Output: one JSON line per event: connected, response (first/second), reset (the pooled connection was reset
// while idle), error (second request failed: code, after ms), timeout (no answer within --timeout-ms).
import net from 'node:net'
import { existsSync } from 'node:fs'
import readline from 'node:readline'

const args = process.argv.slice(2)
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt }
const target = args.find(a => !a.startsWith('--') && !args[args.indexOf(a) - 1]?.startsWith('--')) ?? '198.18.0.140'
const [host, port] = target.includes(':') ? [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))] : [target, 80]
const keepaliveMs = opt('--keepalive-ms') !== undefined ? Number(opt('--keepalive-ms')) : undefined
const timeoutMs = Number(opt('--timeout-ms', '5000'))
const goFile = opt('--go-file')

const t0 = Date.now()
const out = ev => process.stdout.write(JSON.stringify({ ...ev, t: Date.now() - t0 }) + '\n')

const sock = net.connect({ host, port })
let idle = true
let pending
let buf = ''
sock.setEncoding('utf8')
sock.on('data', d => {
  buf += d
  const end = buf.indexOf('\r\n\r\n')
  if (end < 0 || pending === undefined) return
  const len = Number(/content-length:\s*(\d+)/i.exec(buf.slice(0, end))?.[1] ?? 0)
  if (buf.length < end + 4 + len) return
  const status = Number(buf.slice(9, 12))
  const body = buf.slice(end + 4, end + 4 + len).trim()
  buf = buf.slice(end + 4 + len)
  const p = pending; pending = undefined; p.resolve({ status, body })
})
sock.on('error', e => {
  if (pending !== undefined) { const p = pending; pending = undefined; p.reject(e) } else if (idle) out({ ev: 'reset', code: e.code })
})

function request (which) {
  return new Promise((resolve, reject) => {
    const started = Date.now()
    const timer = setTimeout(() => { pending = undefined; out({ ev: 'timeout', which, ms: Date.now() - started }); resolve(undefined) }, timeoutMs)
    pending = {
      resolve: r => { clearTimeout(timer); out({ ev: 'response', which, status: r.status, body: r.body, ms: Date.now() - started }); resolve(r) },
      reject: e => { clearTimeout(timer); out({ ev: 'error', which, code: e.code ?? e.message, ms: Date.now() - started }); resolve(undefined) },
    }
    if (sock.destroyed) { pending.reject(Object.assign(new Error('the pooled connection is already closed'), { code: sock.errored?.code ?? 'ECLOSED' })); return }
    sock.write(`GET / HTTP/1.1\r\nHost: ${host}\r\nConnection: keep-alive\r\n\r\n`)
  })
}

function waitToGo () {
  if (goFile !== undefined) {
    return new Promise(resolve => { const iv = setInterval(() => { if (existsSync(goFile)) { clearInterval(iv); resolve() } }, 100) })
  }
  process.stderr.write('idle: advance the firewall clock now (rstlab clock advance 3601), then press enter\n')
  return new Promise(resolve => readline.createInterface({ input: process.stdin }).once('line', () => resolve()))
}

sock.once('connect', async () => {
  if (keepaliveMs !== undefined) sock.setKeepAlive(true, keepaliveMs)
  out({ ev: 'connected', local: sock.localPort, keepaliveMs: keepaliveMs ?? null })
  idle = false
  await request('first')
  idle = true
  await waitToGo()
  idle = false
  await request('second')
  sock.destroy()
  process.exit(0)
})
sock.once('error', e => { if (!sock.connecting) return; out({ ev: 'error', which: 'connect', code: e.code }); process.exit(1) })
