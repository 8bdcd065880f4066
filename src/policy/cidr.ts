/**
 * Addresses and prefixes for the policy layer: parsing `198.18.0.0/24`, `2001:db8::/32`, bare addresses
 * (a host prefix) and the compiled numeric form the rule matcher uses.
 *
 * Compiled form: an address is read as 32-bit words (1 for IPv4, 4 for IPv6) and a prefix as
 * (network words, mask words), so containment is `((addr ^ net) & mask) === 0` per word — no
 * allocation per lookup.
 */
import type { Cidr } from './types.js'
import { formatIp, parseIp, parseIp4, parseIp6 } from '../wire/addr.js'

/** Address text parsing lives in the wire layer; the policy layer re-exports it under its own names. */
export const parseIpv4 = parseIp4
export const parseIpv6 = parseIp6

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
const NO_WORDS = new Uint32Array(0)

export class CidrSet {
  readonly v4: Uint32Array
  readonly v6: Uint32Array
  constructor (cidrs: readonly Cidr[]) {
    const v4 = cidrs.filter(c => c.version === 4)
    const v6 = cidrs.filter(c => c.version === 6)
    // One shared empty array for a family the list does not use (most lists are one family).
    this.v4 = v4.length === 0 ? NO_WORDS : new Uint32Array(v4.length * 2)
    v4.forEach((c, i) => {
      const m = maskWord(c.prefix, 0)
      this.v4[2 * i] = (word(c.bytes, 0) & m) >>> 0
      this.v4[2 * i + 1] = m
    })
    this.v6 = v6.length === 0 ? NO_WORDS : new Uint32Array(v6.length * 8)
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
    if (addr.length === 4) return this.has4(word(addr, 0))
    if (addr.length !== 16) return false
    return this.has6(word(addr, 0), word(addr, 1), word(addr, 2), word(addr, 3))
  }

  /** `has` for an IPv4 address already read as a word (the lookup reads each address once). */
  has4 (a: number): boolean {
    const t = this.v4
    for (let i = 0; i < t.length; i += 2) if (((a ^ t[i]!) & t[i + 1]!) === 0) return true
    return false
  }

  /** `has` for an IPv6 address already read as four words. */
  has6 (a0: number, a1: number, a2: number, a3: number): boolean {
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
  return formatIp(addr, 0, addr.length)
}

/** Parse an address for tests and callers holding text: 4 or 16 bytes, or undefined. */
export function parseAddr (text: string): Uint8Array | undefined {
  return parseIp(text)
}
