/**
 * Control socket client used by `rstlab show|clear` (and by tests): one request, one answer.
 */
import net from 'node:net'
import { RstlabError, type ErrorCode, ERROR_CODES } from '../errors.js'
import type { ControlCommand, ControlReplies, ControlResponse } from './protocol.js'

/**
 * Send `cmd` to the bridge listening on `sockPath` and return its answer.
 * @throws RstlabError RSTLAB_ERR_CONTROL when nothing answers or the answer is malformed; an error the
 *   bridge reports is rethrown with its own code.
 */
export function controlRequest<C extends ControlCommand> (sockPath: string, cmd: C, timeoutMs = 3000): Promise<ControlReplies[C['cmd']]> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(sockPath)
    let buf = ''
    let done = false
    const finish = (err: Error | undefined, data?: unknown): void => {
      if (done) return
      done = true
      clearTimeout(timer)
      sock.destroy()
      if (err !== undefined) reject(err); else resolve(data as ControlReplies[C['cmd']])
    }
    const timer = setTimeout(() => finish(new RstlabError('RSTLAB_ERR_CONTROL',
      `no answer from the control socket ${sockPath} within ${timeoutMs} ms`, 'is the bridge busy or stuck? check its log')), timeoutMs)
    sock.setEncoding('utf8')
    sock.once('connect', () => sock.write(JSON.stringify({ id: 1, ...cmd }) + '\n'))
    sock.on('error', (e: NodeJS.ErrnoException) => {
      const why = e.code === 'ENOENT' || e.code === 'ECONNREFUSED'
        ? 'no rstlab bridge is listening there'
        : e.code === 'EACCES' ? 'permission denied (the socket is mode 0600: run as the bridge\'s user, e.g. root)' : e.message
      finish(new RstlabError('RSTLAB_ERR_CONTROL', `cannot reach the control socket ${sockPath}: ${why}`,
        'start `rstlab bridge ...` first, or point at its socket with --control PATH'))
    })
    sock.on('data', (chunk: string) => {
      buf += chunk
      const nl = buf.indexOf('\n')
      if (nl < 0) return
      let res: ControlResponse
      try { res = JSON.parse(buf.slice(0, nl)) as ControlResponse } catch {
        finish(new RstlabError('RSTLAB_ERR_CONTROL', `malformed answer from ${sockPath}`, 'is that really an rstlab control socket?'))
        return
      }
      if (res.ok) finish(undefined, res.data)
      else {
        const code = (res.error.code in ERROR_CODES ? res.error.code : 'RSTLAB_ERR_CONTROL') as ErrorCode
        finish(new RstlabError(code, res.error.message, res.error.hint))
      }
    })
    sock.on('close', () => finish(new RstlabError('RSTLAB_ERR_CONTROL', `the control socket ${sockPath} closed without answering`,
      'check the bridge\'s log')))
  })
}
