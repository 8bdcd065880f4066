/**
 * Byte probes for App-ID light: small hand-written checks over the first bytes of one direction of a
 * session. Each answers `'match'`, `'no'` or `'need-more'` for the bytes `buf[off, off + len)`.
 *
 * Rules every probe follows (so the table in `identify.ts` stays easy to extend):
 * - read only inside `[off, off + len)`; never allocate; never throw;
 * - `'need-more'` only when a longer prefix of the same stream could still turn into a match;
 * - no regular expressions: probes run on the packet path until the session is decided.
 */

export type ProbeResult = 'match' | 'no' | 'need-more'
export type Probe = (buf: Uint8Array, off: number, len: number) => ProbeResult

const CR = 0x0d
const LF = 0x0a
const SP = 0x20

function ascii (s: string): Uint8Array {
  const b = new Uint8Array(s.length)
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i)
  return b
}

/** Lower-case an ASCII letter byte, leave anything else alone. */
function lower (c: number): number {
  return c >= 0x41 && c <= 0x5a ? c | 0x20 : c
}

/**
 * Does the stream start with `word`? Case-insensitive when `fold` (SMTP/FTP commands are, RFC 5321 §2.4,
 * RFC 959 §5.3). 'need-more' when the stream is a proper prefix of `word`.
 */
function startsWith (buf: Uint8Array, off: number, len: number, word: Uint8Array, fold: boolean): ProbeResult {
  const n = Math.min(len, word.length)
  for (let i = 0; i < n; i++) {
    const c = buf[off + i]!
    if ((fold ? lower(c) : c) !== word[i]) return 'no'
  }
  return n < word.length ? 'need-more' : 'match'
}

/** Index of the first LF in the range, or -1. */
function lineEnd (buf: Uint8Array, off: number, len: number): number {
  for (let i = 0; i < len; i++) if (buf[off + i] === LF) return i
  return -1
}

// ---------------------------------------------------------------------------------------------------
// HTTP (web-browsing): a request line, RFC 9112 §3: method SP request-target SP HTTP-version CRLF.

const HTTP_METHODS = ['GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'CONNECT', 'TRACE', 'PATCH'].map(m => ascii(m + ' '))
const HTTP_VERSION = ascii('HTTP/1.')
/** A request target this long with no CTL in it is taken as HTTP even before the line ends, so a long URL
 *  does not run past the identifier's byte budget. */
const HTTP_LONG_TARGET = 256

export const httpRequest: Probe = (buf, off, len) => {
  let method: Uint8Array | undefined
  let partial = false
  for (const m of HTTP_METHODS) {
    const r = startsWith(buf, off, len, m, false)
    if (r === 'match') { method = m; break }
    if (r === 'need-more') partial = true
  }
  if (method === undefined) return partial ? 'need-more' : 'no'
  const eol = lineEnd(buf, off, len)
  if (eol < 0) {
    // The target may not contain CTLs; bail out early on binary junk after "GET ".
    for (let i = method.length; i < len; i++) if (buf[off + i]! < SP && buf[off + i] !== CR) return 'no'
    return len - method.length >= HTTP_LONG_TARGET ? 'match' : 'need-more'
  }
  // Line is [off, off + eol); strip an optional CR, then it must end in " HTTP/1.x".
  let end = eol
  if (end > 0 && buf[off + end - 1] === CR) end--
  const vStart = end - HTTP_VERSION.length - 1
  if (vStart <= method.length || buf[off + vStart - 1] !== SP) return 'no'
  for (let i = 0; i < HTTP_VERSION.length; i++) if (buf[off + vStart + i] !== HTTP_VERSION[i]) return 'no'
  const minor = buf[off + end - 1]!
  return minor >= 0x30 && minor <= 0x39 ? 'match' : 'no'
}

// ---------------------------------------------------------------------------------------------------
// TLS (ssl): a handshake record (content type 22, RFC 8446 §5.1) whose first message is a ClientHello
// (handshake type 1, §4). Legacy record versions 3.0 .. 3.4 are accepted (TLS 1.3 still writes 3.1/3.3).

export const tlsClientHello: Probe = (buf, off, len) => {
  if (len >= 1 && buf[off] !== 22) return 'no'
  if (len >= 2 && buf[off + 1] !== 3) return 'no'
  if (len >= 3 && buf[off + 2]! > 4) return 'no'
  if (len >= 5) {
    const recLen = (buf[off + 3]! << 8) | buf[off + 4]!
    if (recLen < 4 || recLen > 16384 + 2048) return 'no'
  }
  if (len >= 6 && buf[off + 5] !== 1) return 'no'
  return len >= 6 ? 'match' : 'need-more'
}

/**
 * The server_name (SNI, RFC 6066 §3) of a ClientHello at `buf[off..off+len)`, or undefined when absent
 * or cut off. Only looks inside the bytes given: a ClientHello split over several segments yields its
 * SNI only if the extension sits in the bytes we hold (the identifier keeps up to its byte budget).
 */
export function tlsSni (buf: Uint8Array, off: number, len: number): string | undefined {
  const end = off + len
  // record header (5) + handshake header (4) + version (2) + random (32)
  let p = off + 5 + 4 + 2 + 32
  if (p + 1 > end) return undefined
  p += 1 + buf[p]!                                            // session id
  if (p + 2 > end) return undefined
  p += 2 + ((buf[p]! << 8) | buf[p + 1]!)                     // cipher suites
  if (p + 1 > end) return undefined
  p += 1 + buf[p]!                                            // compression methods
  if (p + 2 > end) return undefined
  const extEnd = Math.min(end, p + 2 + ((buf[p]! << 8) | buf[p + 1]!))
  p += 2
  while (p + 4 <= extEnd) {
    const type = (buf[p]! << 8) | buf[p + 1]!
    const elen = (buf[p + 2]! << 8) | buf[p + 3]!
    p += 4
    if (type === 0) {
      // server_name_list: u16 length, then entries of (u8 type, u16 length, name); type 0 = host_name.
      let q = p + 2
      const listEnd = Math.min(extEnd, p + elen)
      while (q + 3 <= listEnd) {
        const ntype = buf[q]!
        const nlen = (buf[q + 1]! << 8) | buf[q + 2]!
        q += 3
        if (q + nlen > listEnd) return undefined
        if (ntype === 0) {
          let s = ''
          for (let i = 0; i < nlen; i++) s += String.fromCharCode(buf[q + i]!)
          return s
        }
        q += nlen
      }
      return undefined
    }
    p += elen
  }
  return undefined
}

// ---------------------------------------------------------------------------------------------------
// SSH: the identification string, RFC 4253 §4.2: "SSH-protoversion-softwareversion". Protocol versions
// 2.0, 1.99 (compat) and 1.x. Either side may speak first.

const SSH_PREFIX = ascii('SSH-')
export const sshBanner: Probe = (buf, off, len) => {
  const r = startsWith(buf, off, len, SSH_PREFIX, false)
  if (r !== 'match') return r
  if (len < 6) return 'need-more'
  const major = buf[off + 4]
  return (major === 0x31 || major === 0x32) && buf[off + 5] === 0x2e ? 'match' : 'no'
}

// ---------------------------------------------------------------------------------------------------
// FTP and SMTP both greet with reply code 220 (RFC 959 §4.2, RFC 5321 §4.2): "220 text" or "220-text"
// (multi-line). The greeting alone cannot tell them apart; the client's first command does.

const REPLY_220 = ascii('220')
export const greeting220: Probe = (buf, off, len) => {
  const r = startsWith(buf, off, len, REPLY_220, false)
  if (r !== 'match') return r
  if (len < 4) return 'need-more'
  const sep = buf[off + 3]
  return sep === SP || sep === 0x2d ? 'match' : 'no'
}

/** A probe for a client command: one of `words` (case-insensitive) followed by SP or CRLF. */
function command (...words: string[]): Probe {
  const ws = words.map(w => ascii(w.toLowerCase()))
  return (buf, off, len) => {
    let partial = false
    for (const w of ws) {
      const r = startsWith(buf, off, len, w, true)
      if (r === 'need-more') { partial = true; continue }
      if (r === 'no') continue
      if (len === w.length) { partial = true; continue }
      const c = buf[off + w.length]
      if (c === SP || c === CR || c === LF) return 'match'
    }
    return partial ? 'need-more' : 'no'
  }
}

/** FTP's first client command: USER (RFC 959 §4.1.1), or AUTH for explicit FTPS (RFC 4217 §4). */
export const ftpFirstCommand = command('USER', 'AUTH')
/** SMTP's first client command: EHLO or HELO (RFC 5321 §4.1.1.1). */
export const smtpHello = command('EHLO', 'HELO')

// ---------------------------------------------------------------------------------------------------
// DNS (RFC 1035 §4.1): a header, then `qdcount` well-formed questions. Over TCP the message has a
// 2-byte length prefix (RFC 1035 §4.2.2, RFC 7766). Queries travel c2s (QR = 0), answers s2c (QR = 1).

/** Validate a DNS message at [off, off+len) that must be a query (qr 0) or a response (qr 1). */
function dnsMessage (buf: Uint8Array, off: number, len: number, qr: 0 | 1, complete: boolean): ProbeResult {
  if (len < 12) return complete ? 'no' : 'need-more'
  const flags = (buf[off + 2]! << 8) | buf[off + 3]!
  if ((flags >> 15) !== qr) return 'no'
  const opcode = (flags >> 11) & 0xf
  if (opcode > 6 || opcode === 3) return 'no'                 // 0 query, 1 iquery, 2 status, 4 notify, 5 update, 6 dso
  if (qr === 0 && (flags & 0x000f) !== 0) return 'no'         // queries carry rcode 0
  const qd = (buf[off + 4]! << 8) | buf[off + 5]!
  const an = (buf[off + 6]! << 8) | buf[off + 7]!
  if (qd === 0 || qd > 16) return 'no'
  if (qr === 0 && opcode === 0 && an !== 0) return 'no'
  // Walk the questions: labels (length ≤ 63, name ≤ 255) or a compression pointer, then type + class.
  let p = off + 12
  const end = off + len
  for (let q = 0; q < qd; q++) {
    let nameLen = 0
    for (;;) {
      if (p >= end) return complete ? 'no' : 'need-more'
      const l = buf[p]!
      if (l === 0) { p++; break }
      if ((l & 0xc0) === 0xc0) { p += 2; break }
      if (l > 63) return 'no'
      nameLen += l + 1
      if (nameLen > 255) return 'no'
      p += 1 + l
    }
    if (p + 4 > end) return complete ? 'no' : 'need-more'
    const qclass = (buf[p + 2]! << 8) | buf[p + 3]!
    if (qclass !== 1 && qclass !== 3 && qclass !== 4 && qclass !== 254 && qclass !== 255) return 'no'
    p += 4
  }
  return 'match'
}

/** One UDP datagram holding a DNS query or response. */
export const dnsUdpMessage: Probe = (buf, off, len) => {
  if (len < 3) return 'no'
  return dnsMessage(buf, off, len, (buf[off + 2]! >> 7) as 0 | 1, true)
}

/** Longest DNS-over-TCP query we believe in: queries are small (a name ≤ 255 bytes plus EDNS/TSIG). */
const DNS_TCP_MAX_QUERY = 4096

/** DNS over TCP, client side: 2-byte length, then a query. */
export const dnsTcpQuery: Probe = (buf, off, len) => {
  if (len < 2) return 'need-more'
  const mlen = (buf[off]! << 8) | buf[off + 1]!
  if (mlen < 12 || mlen > DNS_TCP_MAX_QUERY) return 'no'
  return dnsMessage(buf, off + 2, Math.min(len - 2, mlen), 0, len - 2 >= mlen)
}
