/**
 * The optional HTTP/JSON control listener (`rstlab bridge ... --http 127.0.0.1:PORT`), so tests in any
 * language can drive the bridge. Loopback addresses only, and every request needs the token:
 *
 *   POST /v1/COMMAND   Authorization: Bearer TOKEN   body: the command's fields as JSON ({} when none)
 *   GET  /v1/COMMAND?key=value                       (read-only commands only: sessions, session, counters, ...)
 *
 * Answers are the unix socket's: `{"ok":true,"data":...}` with 200, or `{"ok":false,"error":{code,message,hint}}`
 * with 400 (bad value), 401 (no or wrong token), 404 (unknown command), 405 (wrong method), 413 (body too large)
 * or 500. The same dispatch (`answer`) serves both listeners.
 */
import http from 'node:http'
import { createHash, timingSafeEqual } from 'node:crypto'
import { RstlabError, type ErrorCode, ERROR_CODES } from '../errors.js'
import { answer, type ControlHandler } from './server.js'
import { CONTROL_COMMANDS, READ_ONLY_COMMANDS, type ControlCommand, type ControlReplies, type ControlResponse } from './protocol.js'

const MAX_BODY = 65536

/**
 * Parse `HOST:PORT` (`[::1]:PORT` for IPv6) and refuse anything but a loopback address.
 * @throws RstlabError RSTLAB_ERR_USAGE
 */
export function parseHttpAddress (text: string): { host: string, port: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text.trim())
  const hint = 'give a loopback address and a port, e.g. --http 127.0.0.1:9180 (or [::1]:9180); the listener is for tests on this machine'
  if (m === null) throw new RstlabError('RSTLAB_ERR_USAGE', `--http wants HOST:PORT, got '${text}'`, hint)
  const host = (m[1] ?? m[2])!
  const port = Number(m[3])
  if (port < 1 || port > 65535) throw new RstlabError('RSTLAB_ERR_USAGE', `--http port must be 1-65535, got ${m[3]}`, hint)
  const loopback = host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
  if (!loopback) {
    throw new RstlabError('RSTLAB_ERR_USAGE', `--http refuses ${host}: only loopback addresses (127.0.0.0/8, ::1, localhost) may listen, ` +
      'since anyone who reaches it can reset sessions and change settings', hint)
  }
  return { host, port }
}

function digest (s: string): Buffer {
  return createHash('sha256').update(s).digest()
}

function statusOf (code: string): number {
  return code === 'RSTLAB_ERR_USAGE' || code === 'RSTLAB_ERR_POLICY' ? 400 : code === 'RSTLAB_ERR_CONTROL' ? 400 : 500
}

export class HttpControl {
  private readonly server: http.Server
  private readonly tokenDigest: Buffer
  /** `host:port` actually listened on. */
  address = ''

  private constructor (token: string, handler: ControlHandler) {
    this.tokenDigest = digest(token)
    this.server = http.createServer((req, res) => this.serve(req, res, handler))
  }

  /**
   * Listen on a loopback `HOST:PORT` (port 0 picks a free one; see `address`).
   * @throws RstlabError RSTLAB_ERR_USAGE (address, empty token), RSTLAB_ERR_CONTROL (cannot listen)
   */
  static async listen (addr: string, token: string, handler: ControlHandler): Promise<HttpControl> {
    const { host, port } = addr.endsWith(':0') ? { ...parseHttpAddress(addr.replace(/:0$/, ':1')), port: 0 } : parseHttpAddress(addr)
    if (token.length < 16) {
      throw new RstlabError('RSTLAB_ERR_USAGE', 'the HTTP control token must be at least 16 characters',
        'let the bridge make one (it writes it next to the control socket), or set RSTLAB_HTTP_TOKEN / --http-token-file')
    }
    const h = new HttpControl(token, handler)
    await new Promise<void>((resolve, reject) => {
      h.server.once('error', e => reject(new RstlabError('RSTLAB_ERR_CONTROL', `cannot listen on http://${addr}: ${e.message}`,
        'pick another port with --http 127.0.0.1:PORT')))
      h.server.listen(port, host, () => resolve())
    })
    const a = h.server.address()
    if (a !== null && typeof a === 'object') h.address = a.family === 'IPv6' ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`
    return h
  }

  private serve (req: http.IncomingMessage, res: http.ServerResponse, handler: ControlHandler): void {
    const send = (status: number, body: ControlResponse | { ok: false, error: { code: string, message: string, hint?: string } }, headers: Record<string, string> = {}): void => {
      if (res.headersSent) return
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers })
      res.end(JSON.stringify(body) + '\n')
    }
    const fail = (status: number, message: string, hint?: string, headers?: Record<string, string>): void =>
      send(status, { ok: false, error: { code: 'RSTLAB_ERR_CONTROL', message, ...(hint !== undefined ? { hint } : {}) } }, headers)
    const auth = req.headers.authorization ?? ''
    const m = /^Bearer\s+(\S+)$/i.exec(auth)
    if (m === null || !timingSafeEqual(digest(m[1]!), this.tokenDigest)) {
      fail(401, m === null ? 'the HTTP control listener needs a token: Authorization: Bearer TOKEN' : 'wrong token',
        'the bridge wrote its token next to its control socket (PATH.http-token), or took it from RSTLAB_HTTP_TOKEN / --http-token-file',
        { 'www-authenticate': 'Bearer' })
      req.resume()
      return
    }
    const url = new URL(req.url ?? '/', 'http://localhost')
    const pm = /^\/v1\/([a-z-]+)$/.exec(url.pathname)
    const cmd = pm?.[1]
    if (cmd === undefined || !(CONTROL_COMMANDS as readonly string[]).includes(cmd)) {
      fail(404, `unknown control command '${url.pathname}'`, `the commands are POST /v1/{${CONTROL_COMMANDS.join(',')}}`)
      req.resume()
      return
    }
    const readOnly = READ_ONLY_COMMANDS.includes(cmd)
    const allow = readOnly ? 'GET, POST' : 'POST'
    if (req.method !== 'POST' && !(readOnly && req.method === 'GET')) {
      fail(405, `${req.method ?? '?'} is not allowed for ${cmd}: use ${allow}`, 'commands that change the bridge take POST with a JSON body', { allow })
      req.resume()
      return
    }
    if (req.method === 'GET') {
      const fields: Record<string, unknown> = {}
      for (const [k, v] of url.searchParams) fields[k] = k === 'sid' ? Number(v) : k === 'delta' ? (v === 'true' || v === '1' || v === 'yes') : v
      this.dispatch(cmd, fields, handler, send)
      return
    }
    let body = ''
    let size = 0
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => {
      size += chunk.length
      if (size > MAX_BODY) { fail(413, `request body over ${MAX_BODY} bytes`); req.destroy(); return }
      body += chunk
    })
    req.on('end', () => {
      if (size > MAX_BODY) return
      let fields: unknown = {}
      if (body.trim() !== '') {
        try { fields = JSON.parse(body) } catch { fail(400, 'the request body is not JSON', 'send the command\'s fields as a JSON object, e.g. {"seconds":3601}'); return }
      }
      if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) { fail(400, 'the request body must be a JSON object'); return }
      this.dispatch(cmd, fields as Record<string, unknown>, handler, send)
    })
  }

  private dispatch (cmd: string, fields: Record<string, unknown>, handler: ControlHandler,
    send: (status: number, body: ControlResponse) => void): void {
    const r = answer(JSON.stringify({ ...fields, id: 1, cmd }), handler)
    send(r.ok ? 200 : statusOf(r.error.code), r)
  }

  close (): void {
    this.server.closeAllConnections?.()
    this.server.close()
  }
}

/**
 * One request to an HTTP control listener (the Node API's transport when given a `url`).
 * @throws RstlabError with the bridge's code; RSTLAB_ERR_CONTROL when nothing answers or the token is refused
 */
export async function httpRequest<C extends ControlCommand> (base: string, token: string, cmd: C, timeoutMs = 3000): Promise<ControlReplies[C['cmd']]> {
  const { cmd: name, ...fields } = cmd
  const url = `${base.replace(/\/+$/, '')}/v1/${name}`
  let res: Response
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(fields),
      signal: AbortSignal.timeout(timeoutMs),
    })
  } catch (e) {
    throw new RstlabError('RSTLAB_ERR_CONTROL', `cannot reach the control listener ${url}: ${(e as Error).message}`,
      'is the bridge running with --http HOST:PORT?')
  }
  let v: ControlResponse
  try { v = await res.json() as ControlResponse } catch {
    throw new RstlabError('RSTLAB_ERR_CONTROL', `malformed answer from ${url} (HTTP ${res.status})`, 'is that really an rstlab control listener?')
  }
  if (v.ok) return v.data as ControlReplies[C['cmd']]
  const code = (v.error.code in ERROR_CODES ? v.error.code : 'RSTLAB_ERR_CONTROL') as ErrorCode
  throw new RstlabError(code, v.error.message, v.error.hint)
}
