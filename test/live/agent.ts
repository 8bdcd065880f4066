/**
 * A test endpoint: real Linux sockets inside a lab namespace, driven over stdin/stdout JSON lines.
 * Run as `ip netns exec NS node build/test/live/agent.js`. Every event is one JSON line on stdout.
 *
 * Commands (stdin):
 *   {"op":"listen","tag":"s","port":8080,"mode":"hold"|"xfer","size":N}
 *   {"op":"connect","id":"c1","host":"198.18.0.2","port":8080,"localPort":40000,"mode":"hold"|"xfer","size":N}
 *   {"op":"write","id":"c1","bytes":100}   {"op":"keepalive","id":"c1","ms":1000}   {"op":"rst","id":"c1"}   {"op":"end","id":"c1"}   {"op":"destroy","id":"c1"}
 *   {"op":"udp","id":"u1","host":"198.18.0.2","port":5353,"bytes":10}
 * Events (stdout): listening, accepted, connected, data (total bytes), xfer-done (bytes + sha256 received),
 *   error (errno code), close.
 */
import net from 'node:net'
import dgram from 'node:dgram'
import { createHash } from 'node:crypto'
import readline from 'node:readline'
import { pattern } from './pattern.js'

type Sock = net.Socket
const conns = new Map<string, Sock>()
const servers = new Map<string, net.Server>()
const t0 = Date.now()

function emit (ev: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify({ ...ev, t: Date.now() - t0 }) + '\n')
}

/** Error/close events of a connection. */
function life (id: string, s: Sock): void {
  conns.set(id, s)
  s.on('error', (e: NodeJS.ErrnoException) => emit({ ev: 'error', id, code: e.code ?? e.message }))
  s.on('close', () => { emit({ ev: 'close', id }); conns.delete(id) })
}

/** Data handling: 'hold' reports byte totals; 'xfer' sends `size` pattern bytes, then hashes what it receives. */
function data (id: string, s: Sock, mode: string, size: number): void {
  let bytes = 0
  const hash = createHash('sha256')
  s.on('data', (d: Buffer) => {
    bytes += d.length
    if (mode === 'xfer') hash.update(d)
    else emit({ ev: 'data', id, bytes })
  })
  s.on('end', () => emit(mode === 'xfer' ? { ev: 'xfer-done', id, bytes, sha256: hash.digest('hex') } : { ev: 'end', id, bytes }))
  if (mode === 'xfer') s.end(pattern(size))
}

function handle (cmd: Record<string, unknown>): void {
  const id = String(cmd.id ?? '')
  const mode = String(cmd.mode ?? 'hold')
  const size = Number(cmd.size ?? 0)
  switch (cmd.op) {
    case 'listen': {
      const tag = String(cmd.tag)
      let n = 0
      const srv = net.createServer(s => {
        const cid = `${tag}#${++n}`
        emit({ ev: 'accepted', id: cid, tag, remote: s.remoteAddress, rport: s.remotePort })
        life(cid, s)
        data(cid, s, mode, size)
      })
      srv.on('error', (e: NodeJS.ErrnoException) => emit({ ev: 'error', id: tag, code: e.code }))
      srv.listen({ port: Number(cmd.port), host: String(cmd.host ?? '::'), ipv6Only: false }, () => emit({ ev: 'listening', tag }))
      servers.set(tag, srv)
      return
    }
    case 'connect': {
      const start = Date.now()
      const s = net.connect({
        host: String(cmd.host), port: Number(cmd.port),
        ...(cmd.localPort !== undefined ? { localPort: Number(cmd.localPort) } : {}),
      })
      life(id, s)
      s.once('connect', () => {
        emit({ ev: 'connected', id, ms: Date.now() - start, lport: s.localPort })
        data(id, s, mode, size)
      })
      return
    }
    case 'write': conns.get(id)?.write(Buffer.alloc(Number(cmd.bytes ?? 1), 0x61)); return
    case 'rst': conns.get(id)?.resetAndDestroy(); return
    case 'end': conns.get(id)?.end(); return
    case 'keepalive': conns.get(id)?.setKeepAlive(true, Number(cmd.ms ?? 1000)); return
    case 'destroy': conns.get(id)?.destroy(); return
    case 'udp': {
      const host = String(cmd.host)
      const s = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4')
      s.on('error', (e: NodeJS.ErrnoException) => emit({ ev: 'error', id, code: e.code }))
      s.connect(Number(cmd.port), host, () => {
        s.send(Buffer.alloc(Number(cmd.bytes ?? 8), 0x62), (e) => { if (e !== null && e !== undefined) emit({ ev: 'error', id, code: (e as NodeJS.ErrnoException).code }); else emit({ ev: 'sent', id }) })
      })
      return
    }
    case 'quit': process.exit(0)
  }
}

readline.createInterface({ input: process.stdin }).on('line', line => {
  if (line.trim() === '') return
  try { handle(JSON.parse(line) as Record<string, unknown>) } catch (e) { emit({ ev: 'agent-error', message: (e as Error).message }) }
})
process.stdin.on('end', () => process.exit(0))
emit({ ev: 'ready' })
