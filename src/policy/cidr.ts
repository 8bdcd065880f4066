/**
 * Addresses and prefixes for the policy layer: parsing `198.18.0.0/24`, `2001:db8::/32`, bare addresses
 * (a host prefix) and the compiled numeric form the rule matcher uses.
 *
 * Compiled form: an address is read as 32-bit words (1 for IPv4, 4 for IPv6) and a prefix as
 * (network words, mask words), so containment is `((addr ^ net) & mask) === 0` per word — no
 * allocation per lookup.
 */
import type { Cidr } from './types.js'

/** Parse `a.b.c.d` into 4 bytes, or undefined. Strict: four decimal parts 0–255, no leading zeros. */
export function parseIpv4 (text: string): Uint8Array | undefined {
  const parts = text.split('.')
  if (parts.length !== 4) return undefined
  const out = new Uint8Array(4)
  for (let i = 0; i < 4; i++) {
    const p = parts[i]!
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return undefined
    const n = Number(p)
    if (n > 255) return undefined
    out[i] = n
  }
  return out
}

/** Parse an IPv6 address (RFC 4291 §2.2 text forms, including `::` and a trailing dotted IPv4) into 16 bytes. */
export function parseIpv6 (text: string): Uint8Array | undefined {
  if (text.length === 0 || text.length > 45) return undefined
  let head = text
  let tail = ''
  const dbl = text.indexOf('::')
  if (dbl !== -1) {
    if (text.indexOf('::', dbl + 1) !== -1) return undefined
    head = text.slice(0, dbl)
    tail = text.slice(dbl + 2)
  }
  const groups = (s: string): number[] | undefined => {
    if (s === '') return []
    const out: number[] = []
    const parts = s.split(':')
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!
      if (i === parts.length - 1 && p.includes('.')) {
        const v4 = parseIpv4(p)
        if (v4 === undefined) return undefined
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!)
        continue
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return undefined
      out.push(parseInt(p, 16))
    }
    return out
  }
  const h = groups(head)
  const t = groups(tail)
  if (h === undefined || t === undefined) return undefined
  if (tail.includes('.') && dbl === -1) return undefined
  if (head.includes('.') && dbl !== -1) return undefined
  let words: number[]
  if (dbl === -1) {
    if (h.length !== 8) return undefined
    words = h
  } else {
    if (h.length + t.length > 7) return undefined
    words = [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t]
  }
  const out = new Uint8Array(16)
  for (let i = 0; i < 8; i++) { out[2 * i] = words[i]! >> 8; out[2 * i + 1] = words[i]! & 0xff }
  return out
}

/**
 * Parse `ADDR` or `ADDR/PREFIX` (IPv4 or IPv6). A bare address is a host prefix (/32 or /128).
 * Returns a message instead when the text is not an address; host bits set below the prefix
 * are allowed (`198.18.0.254/24` names an address *and* its network, as PAN-OS interface addresses do).
 */
export function parseCidr (text: string): Cidr | string {
  const slash = text.indexOf('/')
  const addrText = slash === -1 ? text : text.slice(0, slash)
  const prefixText = slash === -1 ? undefined : text.slice(slash + 1)
  const isV6 = addrText.includes(':')
  const bytes = isV6 ? parseIpv6(addrText) : parseIpv4(addrText)
  if (bytes === undefined) {
    return `'${text}' is not an IPv4 or IPv6 address or prefix (write e.g. 198.18.0.0/24, 198.18.1.2 or 2001:db8::/32)`
  }
  const max = isV6 ? 128 : 32
  let prefix = max
  if (prefixText !== undefined) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(prefixText) || Number(prefixText) > max) {
      return `'${text}' has a bad prefix length: IPv${isV6 ? 6 : 4} prefixes are 0–${max}`
    }
    prefix = Number(prefixText)
  }
  return { version: isV6 ? 6 : 4, bytes, prefix, text }
}

/** Big-endian 32-bit word `w` of an address held in bytes (4 or 16 long). */
export function word (bytes: Uint8Array, w: number): number {
  const o = w * 4
  return ((bytes[o]! << 24) | (bytes[o + 1]! << 16) | (bytes[o + 2]! << 8) | bytes[o + 3]!) >>> 0
}

/** Mask word `w` (0-based) of a prefix length. */
export function maskWord (prefix: number, w: number): number {
  const bits = Math.max(0, Math.min(32, prefix - 32 * w))
  return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0
}

/** Does prefix `outer` contain every address of prefix `inner`? Different versions never contain each other. */
export function cidrContains (outer: Cidr, inner: Cidr): boolean {
  if (outer.version !== inner.version || outer.prefix > inner.prefix) return false
  return addrInCidr(outer, inner.bytes)
}

/** Is the address (4 or 16 bytes) inside the prefix? A v4 prefix never contains a v6 address and vice versa. */
export function addrInCidr (c: Cidr, addr: Uint8Array): boolean {
  if (addr.length !== c.bytes.length) return false
  const words = c.version === 4 ? 1 : 4
  for (let w = 0; w < words; w++) {
    if (((word(addr, w) ^ word(c.bytes, w)) & maskWord(c.prefix, w)) !== 0) return false
  }
  return true
}

/**
 * A list of prefixes compiled for fast containment tests: IPv4 as (net, mask) pairs, IPv6 as
 * (net[4], mask[4]) groups, in typed arrays.
 */
export class CidrSet {
  readonly v4: Uint32Array
  readonly v6: Uint32Array
  constructor (cidrs: readonly Cidr[]) {
    const v4 = cidrs.filter(c => c.version === 4)
    const v6 = cidrs.filter(c => c.version === 6)
    this.v4 = new Uint32Array(v4.length * 2)
    v4.forEach((c, i) => {
      const m = maskWord(c.prefix, 0)
      this.v4[2 * i] = (word(c.bytes, 0) & m) >>> 0
      this.v4[2 * i + 1] = m
    })
    this.v6 = new Uint32Array(v6.length * 8)
    v6.forEach((c, i) => {
      for (let w = 0; w < 4; w++) {
        const m = maskWord(c.prefix, w)
        this.v6[8 * i + w] = (word(c.bytes, w) & m) >>> 0
        this.v6[8 * i + 4 + w] = m
      }
    })
  }

  /** Does any prefix contain the address (4 or 16 bytes)? */
  has (addr: Uint8Array): boolean {
    if (addr.length === 4) {
      const a = word(addr, 0)
      const t = this.v4
      for (let i = 0; i < t.length; i += 2) if (((a ^ t[i]!) & t[i + 1]!) === 0) return true
      return false
    }
    if (addr.length !== 16) return false
    const a0 = word(addr, 0); const a1 = word(addr, 1); const a2 = word(addr, 2); const a3 = word(addr, 3)
    const t = this.v6
    for (let i = 0; i < t.length; i += 8) {
      if (((a0 ^ t[i]!) & t[i + 4]!) === 0 && ((a1 ^ t[i + 1]!) & t[i + 5]!) === 0 &&
          ((a2 ^ t[i + 2]!) & t[i + 6]!) === 0 && ((a3 ^ t[i + 3]!) & t[i + 7]!) === 0) return true
    }
    return false
  }
}

/** Text form of an address held in bytes (4 → dotted quad, 16 → RFC 5952 compressed), for messages and tests. */
export function formatAddr (addr: Uint8Array): string {
  if (addr.length === 4) return Array.from(addr).join('.')
  const words: number[] = []
  for (let i = 0; i < 8; i++) words.push((addr[2 * i]! << 8) | addr[2 * i + 1]!)
  let bestStart = -1; let bestLen = 0
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) { i++; continue }
    let j = i
    while (j < 8 && words[j] === 0) j++
    if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i }
    i = j
  }
  const hex = (ws: number[]): string => ws.map(w => w.toString(16)).join(':')
  if (bestStart === -1) return hex(words)
  return `${hex(words.slice(0, bestStart))}::${hex(words.slice(bestStart + bestLen))}`
}

/** Parse an address for tests and callers holding text: 4 or 16 bytes, or undefined. */
export function parseAddr (text: string): Uint8Array | undefined {
  return text.includes(':') ? parseIpv6(text) : parseIpv4(text)
}
