/**
 * Output lines written as bytes straight into a chunk, for commands that print one line per frame
 * (`decode --json`): no string per line or per field, no UTF-8 encoding of a joined string. Digits
 * and ASCII are stored byte by byte; anything else (a comment in UTF-8, an IPv6 address) goes
 * through `text`. A chunk is handed on once it holds `chunkSize` bytes, and a new one is started
 * (the stream keeps the old one until it is written).
 */

/**
 * An ASCII literal, made once: its bytes (copied with one `set` when long), and the same as 32-bit
 * words, the last one padded with zeros (written four bytes at a time when short, where a `set` call
 * costs more than the stores; the padding lands past the literal and is overwritten by what follows).
 */
export class Ascii {
  readonly bytes: Uint8Array
  readonly words: Int32Array
  readonly length: number
  constructor (readonly text: string) {
    const b = new Uint8Array(text.length)
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      if (c > 0x7f) throw new Error(`not ASCII: ${text}`)
      b[i] = c
    }
    this.bytes = b
    this.length = b.length
    const nw = (b.length + 3) >> 2
    this.words = new Int32Array(nw)
    const at = (i: number): number => i < b.length ? b[i]! : 0
    for (let i = 0; i < nw; i++) this.words[i] = at(4 * i) | (at(4 * i + 1) << 8) | (at(4 * i + 2) << 16) | (at(4 * i + 3) << 24)
  }
}

export function ascii (s: string): Ascii {
  return new Ascii(s)
}

/**
 * 0..9999 as ASCII digits in a little-endian 32-bit word (DIGITS4, with DIGITS4_LEN digits) and
 * zero-padded to four (PAD4): a number is written four digits per store and per division. A store
 * may write past the number's last digit; what follows overwrites it (callers `reserve` room).
 */
const DIGITS4 = new Int32Array(10000)
const DIGITS4_LEN = new Uint8Array(10000)
const PAD4 = new Int32Array(10000)
/** Fills the digit tables, once, when the first ByteLines is made (not when the module loads: most commands never make one). */
let tablesBuilt = false
function buildTables (): void {
  if (tablesBuilt) return
  tablesBuilt = true
  for (let i = 0; i < 10000; i++) {
    const d3 = i % 10; const d2 = ((i / 10) | 0) % 10; const d1 = ((i / 100) | 0) % 10; const d0 = (i / 1000) | 0
    PAD4[i] = (48 + d0) | ((48 + d1) << 8) | ((48 + d2) << 16) | ((48 + d3) << 24)
    const n = i < 10 ? 1 : i < 100 ? 2 : i < 1000 ? 3 : 4
    DIGITS4_LEN[i] = n
    // The last n of the four padded digits, moved to the front.
    DIGITS4[i] = n === 4 ? PAD4[i]! : PAD4[i]! >>> (8 * (4 - n))
  }
}
/** Literals longer than this are copied with `set`; shorter ones as words (measured: Node 20 and 24). */
const SET_ABOVE = 24
/** Decimal text of 0..255 followed by a dot, as a little-endian 32-bit word, and its length (without the dot). */
const OCTET = new Int32Array(256)
const OCTET_LEN = new Uint8Array(256)
for (let i = 0; i < 256; i++) {
  const t = `${i}.`
  let w = 0
  for (let k = 0; k < t.length; k++) w |= t.charCodeAt(k) << (8 * k)
  OCTET[i] = w
  OCTET_LEN[i] = t.length - 1
}

export class ByteLines {
  buf: Buffer
  pos = 0
  private view: DataView

  /**
   * `room`: spare bytes past `chunkSize`. A line's writer calls `reserve` for the most it can write
   * without `text` (which checks for itself); `num` on a non-integer goes through `text`.
   */
  constructor (private readonly chunkSize = 64 * 1024, private readonly room = 4096) {
    buildTables()
    this.buf = Buffer.allocUnsafe(chunkSize + room)
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength)
  }

  /** Whether the chunk is full: take it with `take()`. */
  get full (): boolean { return this.pos >= this.chunkSize }

  /** The bytes written so far, and a fresh chunk for what follows. */
  take (): Buffer {
    const out = this.buf.subarray(0, this.pos)
    this.setBuffer(Buffer.allocUnsafe(this.chunkSize + this.room))
    this.pos = 0
    return out
  }

  private setBuffer (b: Buffer): void {
    this.buf = b
    this.view = new DataView(b.buffer, b.byteOffset, b.byteLength)
  }

  /** Make sure `n` more bytes fit (a line's `lit`, `num` and `byte` calls do not check). */
  reserve (n: number): void {
    if (this.pos + n > this.buf.length) this.grow(n)
  }

  private grow (n: number): void {
    const bigger = Buffer.allocUnsafe(this.pos + n + this.room)
    this.buf.copy(bigger, 0, 0, this.pos)
    this.setBuffer(bigger)
  }

  lit (a: Ascii): void {
    if (a.length > SET_ABOVE) { this.buf.set(a.bytes, this.pos); this.pos += a.length; return }
    const v = this.view
    const p = this.pos
    const w = a.words
    for (let i = 0; i < w.length; i++) v.setInt32(p + 4 * i, w[i]!, true)
    this.pos = p + a.length
  }

  byte (c: number): void { this.buf[this.pos++] = c }

  /** A number as JSON.stringify writes it: digits for a safe non-negative integer, else String(v). */
  num (v: number): void {
    if (v >= 0 && v <= 0x7fffffff && (v | 0) === v) { this.int31(v); return }
    if (v >= 0 && v <= 0xffffffff && (v >>> 0) === v) {
      // 2^31 and up, 32-bit (TCP sequence numbers): ten digits, the first (2-4) apart.
      const hi = (v / 1e9) >>> 0
      this.buf[this.pos++] = 48 + hi; this.pad9(v - hi * 1e9)
      return
    }
    if (v >= 0 && v <= Number.MAX_SAFE_INTEGER && Math.floor(v) === v) {
      // The last nine digits apart, in 31-bit integer arithmetic (µs timestamps have 16 digits; the
      // rest, under 2^53 / 10^9, fits 31 bits).
      const hi = Math.floor(v / 1e9)
      this.int31(hi); this.pad9(v - hi * 1e9)
      return
    }
    this.text(Number.isFinite(v) ? String(v) : 'null')
  }

  /** Digits of 0 <= v < 2^31, four per store. */
  private int31 (v: number): void {
    const dv = this.view
    let p = this.pos
    if (v < 10000) { dv.setInt32(p, DIGITS4[v]!, true); this.pos = p + DIGITS4_LEN[v]!; return }
    if (v < 100000000) {
      const hi = (v / 10000) | 0
      dv.setInt32(p, DIGITS4[hi]!, true); p += DIGITS4_LEN[hi]!
      dv.setInt32(p, PAD4[v - hi * 10000]!, true)
      this.pos = p + 4
      return
    }
    const hi = (v / 100000000) | 0
    const rest = v - hi * 100000000
    const mid = (rest / 10000) | 0
    dv.setInt32(p, DIGITS4[hi]!, true); p += DIGITS4_LEN[hi]!
    dv.setInt32(p, PAD4[mid]!, true)
    dv.setInt32(p + 4, PAD4[rest - mid * 10000]!, true)
    this.pos = p + 8
  }

  /** Exactly nine digits of 0 <= v < 10^9, zero-padded. */
  private pad9 (v: number): void {
    const dv = this.view
    const p = this.pos
    const hi = (v / 100000000) | 0
    const rest = v - hi * 100000000
    const mid = (rest / 10000) | 0
    this.buf[p] = 48 + hi
    dv.setInt32(p + 1, PAD4[mid]!, true)
    dv.setInt32(p + 5, PAD4[rest - mid * 10000]!, true)
    this.pos = p + 9
  }

  /** Dotted-quad text of the IPv4 address at `b[off..off+4)`. */
  ip4 (b: Uint8Array, off: number): void {
    // Each octet's digits and a dot in one 32-bit store (the next octet overwrites what is past them).
    const dv = this.view
    let p = this.pos
    let x = b[off]!; dv.setInt32(p, OCTET[x]!, true); p += OCTET_LEN[x]! + 1
    x = b[off + 1]!; dv.setInt32(p, OCTET[x]!, true); p += OCTET_LEN[x]! + 1
    x = b[off + 2]!; dv.setInt32(p, OCTET[x]!, true); p += OCTET_LEN[x]! + 1
    x = b[off + 3]!; dv.setInt32(p, OCTET[x]!, true); p += OCTET_LEN[x]!
    this.pos = p
  }

  /** Any string, as UTF-8; the chunk grows if the string does not fit. */
  text (s: string): void {
    const need = Buffer.byteLength(s, 'utf8')
    if (this.pos + need + this.room > this.buf.length) this.grow(need)
    this.pos += this.buf.write(s, this.pos, 'utf8')
  }
}
