/**
 * Output lines written as bytes straight into a chunk, for commands that print one line per frame
 * (`decode --json`): no string per line or per field, no UTF-8 encoding of a joined string. Digits
 * and ASCII are stored byte by byte; anything else (a comment in UTF-8, an IPv6 address) goes
 * through `text`. A chunk is handed on once it holds `chunkSize` bytes, and a new one is started
 * (the stream keeps the old one until it is written).
 */

/** An ASCII literal, made once, stored as 32-bit words (written four bytes at a time) and a tail. */
export class Ascii {
  readonly words: Int32Array
  readonly tail: Uint8Array
  readonly length: number
  constructor (readonly text: string) {
    const b = new Uint8Array(text.length)
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      if (c > 0x7f) throw new Error(`not ASCII: ${text}`)
      b[i] = c
    }
    this.length = b.length
    const nw = b.length >> 2
    this.words = new Int32Array(nw)
    for (let i = 0; i < nw; i++) this.words[i] = b[4 * i]! | (b[4 * i + 1]! << 8) | (b[4 * i + 2]! << 16) | (b[4 * i + 3]! << 24)
    this.tail = b.subarray(nw * 4)
  }
}

export function ascii (s: string): Ascii {
  return new Ascii(s)
}

/** "00".."99" as little-endian 16-bit words: two digits stored at once. */
const PAIRS = new Uint16Array(100).map((_, i) => (48 + Math.floor(i / 10)) | ((48 + i % 10) << 8))

export class ByteLines {
  buf: Buffer
  pos = 0
  private view: DataView

  /**
   * `room`: spare bytes past `chunkSize`. A line's writer calls `reserve` for the most it can write
   * without `text` (which checks for itself); `num` on a non-integer goes through `text`.
   */
  constructor (private readonly chunkSize = 64 * 1024, private readonly room = 4096) {
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
    const v = this.view
    let p = this.pos
    const w = a.words
    for (let i = 0; i < w.length; i++) { v.setInt32(p, w[i]!, true); p += 4 }
    const t = a.tail
    for (let i = 0; i < t.length; i++) this.buf[p++] = t[i]!
    this.pos = p
  }

  byte (c: number): void { this.buf[this.pos++] = c }

  /** A number as JSON.stringify writes it: digits for a safe non-negative integer, else String(v). */
  num (v: number): void {
    if (v >= 0 && v <= 0x7fffffff && (v | 0) === v) { this.int31(v); return }
    if (v >= 0 && v <= Number.MAX_SAFE_INTEGER && Math.floor(v) === v) {
      // The last nine digits apart, in 31-bit integer arithmetic (µs timestamps have 16 digits; the
      // rest, under 2^53 / 10^9, fits 31 bits).
      const hi = Math.floor(v / 1e9)
      this.int31(hi); this.pad9(v - hi * 1e9)
      return
    }
    this.text(Number.isFinite(v) ? String(v) : 'null')
  }

  /** Digits of 0 <= v < 2^31, two at a time from the right. */
  private int31 (v: number): void {
    const n = v < 10 ? 1 : v < 100 ? 2 : v < 1e3 ? 3 : v < 1e4 ? 4 : v < 1e5 ? 5 : v < 1e6 ? 6 : v < 1e7 ? 7 : v < 1e8 ? 8 : v < 1e9 ? 9 : 10
    const dv = this.view
    let p = this.pos + n
    this.pos = p
    while (v >= 100) { const q = (v / 100) | 0; p -= 2; dv.setUint16(p, PAIRS[v - q * 100]!, true); v = q }
    if (v >= 10) dv.setUint16(p - 2, PAIRS[v]!, true)
    else this.buf[p - 1] = 48 + v
  }

  /** Exactly nine digits of 0 <= v < 10^9, zero-padded. */
  private pad9 (v: number): void {
    const dv = this.view
    const p = this.pos
    for (let i = 7; i >= 1; i -= 2) { const q = (v / 100) | 0; dv.setUint16(p + i, PAIRS[v - q * 100]!, true); v = q }
    this.buf[p] = 48 + v
    this.pos = p + 9
  }

  /** Dotted-quad text of the IPv4 address at `b[off..off+4)`. */
  ip4 (b: Uint8Array, off: number): void {
    for (let i = 0; i < 4; i++) {
      if (i > 0) this.buf[this.pos++] = 46 // '.'
      const x = b[off + i]!
      if (x >= 100) { this.buf[this.pos++] = 48 + Math.floor(x / 100); this.buf[this.pos++] = 48 + Math.floor(x / 10) % 10 } else if (x >= 10) this.buf[this.pos++] = 48 + Math.floor(x / 10)
      this.buf[this.pos++] = 48 + x % 10
    }
  }

  /** Any string, as UTF-8; the chunk grows if the string does not fit. */
  text (s: string): void {
    const need = Buffer.byteLength(s, 'utf8')
    if (this.pos + need + this.room > this.buf.length) this.grow(need)
    this.pos += this.buf.write(s, this.pos, 'utf8')
  }
}
