/**
 * Session filters for `rstlab reset --match 'FILTER'` (and the control API's `reset`), in the words of
 * PAN-OS `show session all filter ...`: space-separated `key value` pairs, all of which must hold.
 *
 *   source 198.18.0.1 destination-port 80        from trust to untrust application web-browsing
 *   protocol 6 state ACTIVE rule allow-web       destination 2001:db8::2   id 7   all
 *
 * `source`/`destination` take an address or a prefix (198.18.0.0/24); `protocol` a number or a name
 * (tcp, udp, icmp, ipv6-icmp); `state` a session state. `all` alone matches every session.
 */
import { RstlabError } from '../errors.js'
import type { SessionInfo } from '../engine/types.js'
import { parseAddr, parseCidr, addrInCidr } from '../policy/cidr.js'
import type { Cidr } from '../policy/types.js'

export const FILTER_KEYS = ['id', 'source', 'destination', 'source-port', 'destination-port', 'protocol', 'from', 'to',
  'application', 'rule', 'state'] as const
type FilterKey = typeof FILTER_KEYS[number]

const STATES = ['INIT', 'OPENING', 'ACTIVE', 'DISCARD', 'CLOSING', 'CLOSED']
const PROTOS: Record<string, string> = { 1: 'icmp', 6: 'tcp', 17: 'udp', 58: 'ipv6-icmp' }

/** A compiled filter: call it on a session. */
export type SessionFilter = (s: SessionInfo) => boolean

function bad (text: string, why: string): RstlabError {
  return new RstlabError('RSTLAB_ERR_USAGE', `bad session filter '${text}': ${why}`,
    `write key value pairs (${FILTER_KEYS.join(', ')}), e.g. 'destination-port 80 protocol tcp', or 'all'`)
}

function port (text: string, key: string, v: string): number {
  const n = Number(v)
  if (!/^\d+$/.test(v) || n > 65535) throw bad(text, `${key} must be a port number 0-65535, not '${v}'`)
  return n
}

function prefix (text: string, key: string, v: string): Cidr {
  const c = parseCidr(v.includes('/') ? v : `${v}/${v.includes(':') ? 128 : 32}`)
  if (typeof c === 'string') throw bad(text, `${key} must be an address or prefix, not '${v}' (${c})`)
  return c
}

/**
 * Parse a filter.
 * @throws RstlabError RSTLAB_ERR_USAGE naming the bad key or value
 */
export function parseSessionFilter (text: string): SessionFilter {
  const words = text.trim().split(/\s+/).filter(w => w !== '')
  if (words.length === 0) throw bad(text, 'it is empty')
  if (words.length === 1 && words[0] === 'all') return () => true
  if (words.length % 2 !== 0) throw bad(text, `'${words[words.length - 1]!}' has no value`)
  const tests: SessionFilter[] = []
  for (let i = 0; i < words.length; i += 2) {
    const key = words[i]! as FilterKey
    const v = words[i + 1]!
    switch (key) {
      case 'id': {
        const id = Number(v)
        if (!/^\d+$/.test(v) || id < 1) throw bad(text, `id must be a session id, not '${v}'`)
        tests.push(s => s.id === id); break
      }
      case 'source': case 'destination': {
        const c = prefix(text, key, v)
        tests.push(s => { const a = parseAddr(key === 'source' ? s.src : s.dst); return a !== undefined && a.length === c.bytes.length && addrInCidr(c, a) })
        break
      }
      case 'source-port': { const p = port(text, key, v); tests.push(s => s.sport === p); break }
      case 'destination-port': { const p = port(text, key, v); tests.push(s => s.dport === p); break }
      case 'protocol': {
        const name = PROTOS[v] ?? v.toLowerCase()
        if (!Object.values(PROTOS).includes(name)) throw bad(text, `protocol must be tcp, udp, icmp, ipv6-icmp or 6, 17, 1, 58, not '${v}'`)
        tests.push(s => s.proto === name); break
      }
      case 'from': tests.push(s => s.from === v); break
      case 'to': tests.push(s => s.to === v); break
      case 'application': tests.push(s => s.application === v); break
      case 'rule': tests.push(s => s.rule === v); break
      case 'state': {
        const st = v.toUpperCase()
        if (!STATES.includes(st)) throw bad(text, `state must be one of ${STATES.join(', ')}, not '${v}'`)
        tests.push(s => s.state === st); break
      }
      default:
        throw bad(text, `unknown key '${key as string}'`)
    }
  }
  return s => tests.every(f => f(s))
}
