/**
 * `--connection FILTER` for `rstlab explain`: which connections to report.
 *
 * FILTER is one of: `#N` (the Nth connection, as numbered in the report), `ADDR` (either end),
 * `PORT` or `:PORT` (either end's port), `ADDR:PORT` / `[V6ADDR]:PORT` (one end exactly).
 */
import { RstlabError } from '../errors.js'
import { formatIp, parseIp } from '../wire/addr.js'
import type { ConnectionId } from './types.js'

export type ConnectionFilter = (c: ConnectionId) => boolean

function bad (text: string): RstlabError {
  return new RstlabError('RSTLAB_ERR_USAGE', `--connection "${text}" is not a connection filter`,
    'write #3, 198.18.0.2, 443, 198.18.0.2:443 or [2001:db8::2]:443')
}

function canon (addr: string): string | undefined {
  const a = parseIp(addr)
  return a === undefined ? undefined : formatIp(a, 0, a.length)
}

/** @throws {RstlabError} RSTLAB_ERR_USAGE when FILTER has none of the accepted forms. */
export function parseConnectionFilter (text: string): ConnectionFilter {
  const t = text.trim()
  let m = /^#(\d+)$/.exec(t)
  if (m !== null) { const n = Number(m[1]); return c => c.index === n }
  m = /^:?(\d{1,5})$/.exec(t)
  if (m !== null) {
    const p = Number(m[1])
    if (p > 65535) throw bad(text)
    return c => c.clientPort === p || c.serverPort === p
  }
  const whole = canon(t)
  if (whole !== undefined) return c => c.client === whole || c.server === whole
  m = /^\[([0-9a-fA-F:.]+)\]:(\d{1,5})$/.exec(t) ?? /^([0-9.]+):(\d{1,5})$/.exec(t)
  if (m !== null) {
    const a = canon(m[1]!)
    const p = Number(m[2])
    if (a === undefined || p > 65535) throw bad(text)
    return c => (c.client === a && c.clientPort === p) || (c.server === a && c.serverPort === p)
  }
  throw bad(text)
}
