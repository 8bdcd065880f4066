/**
 * IP and MAC address text <-> bytes. Parsing returns `undefined` on bad input so callers (policy
 * loader, scenario parser, CLI) can raise their own `RstlabError` naming the field at fault.
 * Formatting allocates a string: for logs, traces and output, never on the forwarding hot path.
 */

/**
 * Parse dotted-quad IPv4 (exactly four decimal parts 0-255, no leading '+', no empty parts, no leading
 * zeros: `198.018.0.1` is refused because inet_aton would read `018` as octal).
 */
export function parseIp4 (text: string): Uint8Array | undefined {
  const parts = text.split('.')
  if (parts.length !== 4) return undefined
  const out = new Uint8Array(4)
  for (let i = 0; i < 4; i++) {
    const p = parts[i]!
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return undefined
    const v = Number(p)
    if (v > 255) return undefined
    out[i] = v
  }
  return out
}

/** Parse IPv6 text (RFC 4291 §2.2: hex groups, one `::`, optional trailing dotted quad). No zone ids. */
export function parseIp6 (text: string): Uint8Array | undefined {
  if (text.length < 2 || text.length > 45) return undefined
  const dbl = text.indexOf('::')
  if (dbl !== -1 && text.indexOf('::', dbl + 1) !== -1) return undefined
  const words: number[] = []
  const parseGroups = (s: string, allowV4Tail: boolean): number[] | undefined => {
    if (s === '') return []
    const groups = s.split(':')
    const res: number[] = []
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i]!
      if (allowV4Tail && i === groups.length - 1 && g.includes('.')) {
        const v4 = parseIp4(g)
        if (v4 === undefined) return undefined
        res.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!)
        continue
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined
      res.push(parseInt(g, 16))
    }
    return res
  }
  if (dbl === -1) {
    const all = parseGroups(text, true)
    if (all === undefined || all.length !== 8) return undefined
    words.push(...all)
  } else {
    const head = parseGroups(text.slice(0, dbl), false)
    const tail = parseGroups(text.slice(dbl + 2), true)
    if (head === undefined || tail === undefined) return undefined
    if (head.length + tail.length > 7) return undefined
    words.push(...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail)
  }
  const out = new Uint8Array(16)
  for (let i = 0; i < 8; i++) { out[2 * i] = words[i]! >> 8; out[2 * i + 1] = words[i]! & 0xff }
  return out
}

/** Parse IPv4 or IPv6 text into 4 or 16 bytes; `undefined` when neither. */
export function parseIp (text: string): Uint8Array | undefined {
  return text.includes(':') ? parseIp6(text) : parseIp4(text)
}

/** Dotted quad of 4 bytes at `off`. */
export function formatIp4 (buf: Uint8Array, off = 0): string {
  return `${buf[off]}.${buf[off + 1]}.${buf[off + 2]}.${buf[off + 3]}`
}

/**
 * RFC 5952 text of 16 bytes at `off`: lowercase hex, no leading zeros, the longest run of two or
 * more zero groups replaced by `::` (the first such run on a tie), and IPv4-mapped addresses
 * (::ffff:0:0/96) in mixed notation (§5), as tcpdump and tshark print them.
 */
export function formatIp6 (buf: Uint8Array, off = 0): string {
  const w: number[] = []
  for (let i = 0; i < 8; i++) w.push((buf[off + 2 * i]! << 8) | buf[off + 2 * i + 1]!)
  if (w[0] === 0 && w[1] === 0 && w[2] === 0 && w[3] === 0 && w[4] === 0 && w[5] === 0xffff) {
    return `::ffff:${formatIp4(buf, off + 12)}`
  }
  let bestStart = -1; let bestLen = 0
  for (let i = 0; i < 8;) {
    if (w[i] !== 0) { i++; continue }
    let j = i
    while (j < 8 && w[j] === 0) j++
    if (j - i > bestLen) { bestStart = i; bestLen = j - i }
    i = j
  }
  if (bestLen < 2) return w.map(x => x.toString(16)).join(':')
  const head = w.slice(0, bestStart).map(x => x.toString(16)).join(':')
  const tail = w.slice(bestStart + bestLen).map(x => x.toString(16)).join(':')
  return `${head}::${tail}`
}

/** Text of a 4- or 16-byte address at `off`. */
export function formatIp (buf: Uint8Array, off = 0, len = buf.length - off): string {
  return len === 4 ? formatIp4(buf, off) : formatIp6(buf, off)
}

/** Parse `aa:bb:cc:dd:ee:ff` (also `-` separated, any case) into 6 bytes. */
export function parseMac (text: string): Uint8Array | undefined {
  const m = /^([0-9a-fA-F]{2})[:-]([0-9a-fA-F]{2})[:-]([0-9a-fA-F]{2})[:-]([0-9a-fA-F]{2})[:-]([0-9a-fA-F]{2})[:-]([0-9a-fA-F]{2})$/.exec(text)
  if (m === null) return undefined
  const out = new Uint8Array(6)
  for (let i = 0; i < 6; i++) out[i] = parseInt(m[i + 1]!, 16)
  return out
}

/** Lowercase colon-separated text of 6 bytes at `off`. */
export function formatMac (buf: Uint8Array, off = 0): string {
  let s = ''
  for (let i = 0; i < 6; i++) s += (i > 0 ? ':' : '') + buf[off + i]!.toString(16).padStart(2, '0')
  return s
}

/** Byte-wise equality of two `len`-byte addresses (no allocation). */
export function addrEqual (a: Uint8Array, aOff: number, b: Uint8Array, bOff: number, len: number): boolean {
  for (let i = 0; i < len; i++) if (a[aOff + i] !== b[bOff + i]) return false
  return true
}

/** Unsigned big-endian comparison of two `len`-byte addresses: -1, 0 or 1. */
export function addrCompare (a: Uint8Array, aOff: number, b: Uint8Array, bOff: number, len: number): number {
  for (let i = 0; i < len; i++) {
    const d = a[aOff + i]! - b[bOff + i]!
    if (d !== 0) return d < 0 ? -1 : 1
  }
  return 0
}

/** A network: address bytes (4 or 16) and prefix length, host bits cleared. */
export interface Cidr { readonly addr: Uint8Array, readonly prefix: number }

/** Parse `addr/prefix` or a bare address (full-length prefix). Host bits are cleared. */
export function parseCidr (text: string): Cidr | undefined {
  const slash = text.indexOf('/')
  const addr = parseIp(slash === -1 ? text : text.slice(0, slash))
  if (addr === undefined) return undefined
  let prefix = addr.length * 8
  if (slash !== -1) {
    const p = text.slice(slash + 1)
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return undefined
    prefix = Number(p)
    if (prefix > addr.length * 8) return undefined
  }
  for (let bit = prefix; bit < addr.length * 8; bit++) addr[bit >> 3]! &= ~(0x80 >> (bit & 7))
  return { addr, prefix }
}

/**
 * True when the `len`-byte address at `off` in `buf` lies in `net`/`prefix`. A 4-byte network never
 * contains a 16-byte address and vice versa. Allocation-free: usable per packet.
 */
export function cidrContains (net: Uint8Array, prefix: number, buf: Uint8Array, off: number, len: number): boolean {
  if (net.length !== len) return false
  const full = prefix >> 3
  for (let i = 0; i < full; i++) if (net[i] !== buf[off + i]) return false
  const rem = prefix & 7
  if (rem === 0) return true
  const mask = (0xff << (8 - rem)) & 0xff
  return ((net[full]! ^ buf[off + full]!) & mask) === 0
}
