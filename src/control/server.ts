/**
 * Control socket server: a unix socket (mode 0600, directory 0700) answering JSON-line requests
 * with whatever the running bridge's `ControlHandler` returns.
 *
 * Hostile clients and paths (the bridge runs as root):
 * - `listen` never removes anything but a socket nobody answers on (connect → ECONNREFUSED); any other
 *   file at the path is refused, named. An existing directory must be owned by this user and not group-
 *   or world-writable (someone else could swap the socket).
 * - Per client at most `MAX_LINE` bytes of an unfinished request and about `MAX_UNREAD` bytes of replies
 *   the client has not read are held: beyond that the server stops reading from it (so the kernel's
 *   buffers push back on the writer) and, if the client still has not read after `stallMs`, disconnects
 *   it. At most `MAX_CLIENTS` clients at once.
 */
import net from 'node:net'
import { chmodSync, lstatSync, mkdirSync, statSync, unlinkSync } from 'node:fs'
import path from 'node:path'
import { RstlabError, isRstlabError } from '../errors.js'
import { CONTROL_COMMANDS, parseRequest, type ControlCommand, type ControlResponse } from './protocol.js'

export type ControlHandler = (req: ControlCommand) => unknown

/** An unfinished request line longer than this closes the connection. */
export const MAX_LINE = 65536
/** Unread reply bytes per client beyond which the server stops reading its requests. */
export const MAX_UNREAD = 1 << 20
/** How long a client may leave replies unread (while the server waits on it) before it is disconnected. */
export const STALL_MS = 10_000
export const MAX_CLIENTS = 64

/** What connecting to an existing socket path says: 'live' (something answers), 'dead' (ECONNREFUSED), or the error code. */
function probeSocket (sockPath: string): Promise<string> {
  return new Promise(resolve => {
    const s = net.connect(sockPath)
    s.once('connect', () => { s.destroy(); resolve('live') })
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED' ? 'dead' : e.code ?? 'error'))
  })
}

function controlError (message: string, hint = 'pick another place with --control PATH'): RstlabError {
  return new RstlabError('RSTLAB_ERR_CONTROL', message, hint)
}

/** The directory must be a directory, ours, and writable by no one else. */
function checkDirectory (dir: string): void {
  let st
  try { st = statSync(dir) } catch (e) {
    throw controlError(`cannot use the control socket directory ${dir}: ${(e as Error).message}`)
  }
  if (!st.isDirectory()) throw controlError(`the control socket directory ${dir} is not a directory`)
  const uid = typeof process.getuid === 'function' ? process.getuid() : st.uid
  if (st.uid !== uid) {
    throw controlError(`the control socket directory ${dir} belongs to uid ${st.uid}, not to this user (uid ${uid})`,
      'use a directory you own (mode 0700), or let rstlab create one with --control NEWDIR/rstlab.sock')
  }
  if ((st.mode & 0o022) !== 0) {
    throw controlError(`the control socket directory ${dir} is writable by ${(st.mode & 0o002) !== 0 ? 'everyone' : 'its group'} ` +
      `(mode ${(st.mode & 0o777).toString(8).padStart(4, '0')}), so another user could replace the socket`,
      `chmod go-w ${dir}, or pick another place with --control PATH`)
  }
}

export class ControlServer {
  private readonly server: net.Server
  private readonly sockets = new Set<net.Socket>()
  readonly path: string

  private constructor (sockPath: string, handler: ControlHandler, stallMs: number) {
    this.path = sockPath
    this.server = net.createServer(sock => {
      this.sockets.add(sock)
      sock.on('close', () => { this.sockets.delete(sock); if (stall !== undefined) clearTimeout(stall) })
      sock.on('error', () => sock.destroy())
      sock.setEncoding('utf8')
      let pending = ''
      let stall: NodeJS.Timeout | undefined
      // Answer complete lines until the client's unread replies pass MAX_UNREAD; then stop reading and
      // wait for it to drain (or cut it off after stallMs).
      const work = (): void => {
        let nl: number
        while ((nl = pending.indexOf('\n')) >= 0) {
          if (sock.writableLength > MAX_UNREAD) {
            sock.pause()
            if (stall === undefined) stall = setTimeout(() => sock.destroy(), stallMs)
            return
          }
          const line = pending.slice(0, nl)
          pending = pending.slice(nl + 1)
          if (line.trim() !== '') sock.write(JSON.stringify(answer(line, handler)) + '\n')
        }
        if (pending.length > MAX_LINE) { sock.destroy(); return }
        sock.resume()
      }
      sock.on('drain', () => {
        if (stall !== undefined) { clearTimeout(stall); stall = undefined }
        work()
      })
      sock.on('data', (chunk: string) => {
        pending += chunk
        work()
      })
    })
    this.server.maxConnections = MAX_CLIENTS
  }

  /** Bytes held for clients right now: unfinished requests are not counted, unread replies are. */
  bufferedBytes (): number {
    let n = 0
    for (const s of this.sockets) n += s.writableLength
    return n
  }

  /** Connected clients. */
  get clients (): number { return this.sockets.size }

  /**
   * Listen on `sockPath`, creating its directory (0700) and refusing to steal a socket another process
   * is still serving.
   * @throws RstlabError RSTLAB_ERR_CONTROL
   */
  static async listen (sockPath: string, handler: ControlHandler, opts: { stallMs?: number } = {}): Promise<ControlServer> {
    const dir = path.dirname(sockPath)
    try { mkdirSync(dir, { recursive: true, mode: 0o700 }) } catch (e) {
      throw controlError(`cannot create the control socket directory ${dir}: ${(e as Error).message}`)
    }
    checkDirectory(dir)
    let st
    try { st = lstatSync(sockPath) } catch { st = undefined }
    if (st !== undefined) {
      if (!st.isSocket()) {
        const what = st.isFile() ? 'a regular file' : st.isDirectory() ? 'a directory' : st.isSymbolicLink() ? 'a symbolic link'
          : st.isFIFO() ? 'a FIFO' : 'not a socket'
        throw controlError(`${sockPath} already exists and is ${what}; rstlab only replaces a stale control socket, never other files`,
          'remove it yourself if it is not needed, or pick another place with --control PATH')
      }
      const state = await probeSocket(sockPath)
      if (state === 'live') {
        throw controlError(`another rstlab is already serving the control socket ${sockPath}`,
          'stop it, or give this one its own socket with --control PATH')
      }
      if (state !== 'dead') {
        throw controlError(`cannot tell whether the socket ${sockPath} is still in use (connecting says ${state}); leaving it alone`)
      }
      try { unlinkSync(sockPath) } catch { /* raced away */ }
    }
    const cs = new ControlServer(sockPath, handler, opts.stallMs ?? STALL_MS)
    await new Promise<void>((resolve, reject) => {
      cs.server.once('error', (e) => reject(new RstlabError('RSTLAB_ERR_CONTROL',
        `cannot listen on the control socket ${sockPath}: ${e.message}`, 'pick another place with --control PATH')))
      cs.server.listen(sockPath, () => resolve())
    })
    chmodSync(sockPath, 0o600)
    return cs
  }

  close (): void {
    for (const s of this.sockets) s.destroy()
    this.server.close()
    try { unlinkSync(this.path) } catch { /* already gone */ }
  }
}

/** One request line in, one response out: the dispatch both listeners (unix socket, HTTP) share. */
export function answer (line: string, handler: ControlHandler): ControlResponse {
  const req = parseRequest(line)
  if (req === undefined) {
    let id = 0
    let cmd: unknown
    try { const v = JSON.parse(line) as { id?: unknown, cmd?: unknown }; if (typeof v.id === 'number') id = v.id; cmd = v.cmd } catch { /* not JSON */ }
    if (typeof cmd === 'string' && !(CONTROL_COMMANDS as readonly string[]).includes(cmd)) {
      return { id, ok: false, error: { code: 'RSTLAB_ERR_CONTROL', message: `unknown control command '${cmd}'`, hint: `the commands are ${CONTROL_COMMANDS.join(', ')}` } }
    }
    return { id, ok: false, error: { code: 'RSTLAB_ERR_CONTROL', message: 'malformed control request' } }
  }
  try {
    const { id, ...cmd } = req
    return { id, ok: true, data: handler(cmd as ControlCommand) }
  } catch (e) {
    if (isRstlabError(e)) return { id: req.id, ok: false, error: { code: e.code, message: e.message, ...(e.hint !== undefined ? { hint: e.hint } : {}) } }
    return { id: req.id, ok: false, error: { code: 'RSTLAB_ERR_CONTROL', message: `internal error: ${(e as Error).message}` } }
  }
}
