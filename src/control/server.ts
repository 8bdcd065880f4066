/**
 * Control socket server: a unix socket (mode 0600, directory 0700) answering JSON-line requests
 * with whatever the running bridge's `ControlHandler` returns.
 */
import net from 'node:net'
import { chmodSync, existsSync, mkdirSync, unlinkSync } from 'node:fs'
import path from 'node:path'
import { RstlabError, isRstlabError } from '../errors.js'
import { CONTROL_COMMANDS, parseRequest, type ControlCommand, type ControlResponse } from './protocol.js'

export type ControlHandler = (req: ControlCommand) => unknown

/** Is something already answering on this socket path? */
function liveSocket (sockPath: string): Promise<boolean> {
  return new Promise(resolve => {
    const s = net.connect(sockPath)
    s.once('connect', () => { s.destroy(); resolve(true) })
    s.once('error', () => resolve(false))
  })
}

export class ControlServer {
  private readonly server: net.Server
  private readonly sockets = new Set<net.Socket>()
  readonly path: string

  private constructor (sockPath: string, handler: ControlHandler) {
    this.path = sockPath
    this.server = net.createServer(sock => {
      this.sockets.add(sock)
      sock.on('close', () => this.sockets.delete(sock))
      sock.on('error', () => sock.destroy())
      sock.setEncoding('utf8')
      let pending = ''
      sock.on('data', (chunk: string) => {
        pending += chunk
        if (pending.length > 65536) { sock.destroy(); return }
        let nl: number
        while ((nl = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, nl)
          pending = pending.slice(nl + 1)
          if (line.trim() !== '') sock.write(JSON.stringify(answer(line, handler)) + '\n')
        }
      })
    })
  }

  /**
   * Listen on `sockPath`, creating its directory (0700) and refusing to steal a socket another process
   * is still serving.
   * @throws RstlabError RSTLAB_ERR_CONTROL
   */
  static async listen (sockPath: string, handler: ControlHandler): Promise<ControlServer> {
    const dir = path.dirname(sockPath)
    try { mkdirSync(dir, { recursive: true, mode: 0o700 }) } catch (e) {
      throw new RstlabError('RSTLAB_ERR_CONTROL', `cannot create the control socket directory ${dir}: ${(e as Error).message}`,
        'pick another place with --control PATH')
    }
    if (existsSync(sockPath)) {
      if (await liveSocket(sockPath)) {
        throw new RstlabError('RSTLAB_ERR_CONTROL', `another rstlab is already serving the control socket ${sockPath}`,
          'stop it, or give this one its own socket with --control PATH')
      }
      try { unlinkSync(sockPath) } catch { /* raced away */ }
    }
    const cs = new ControlServer(sockPath, handler)
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
