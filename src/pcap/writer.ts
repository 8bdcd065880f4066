/**
 * Writing captures: pcapng (with per-packet comments, one interface per link type / name) and
 * classic pcap (one link type). Encoders produce Buffers; the `*Writer` classes write them to a
 * file with backpressure (a `write` only waits when much is still being written).
 *
 * Timestamps are integer microseconds (plus `tsNsRem` nanoseconds); files are written in microsecond
 * resolution unless `nanosecond` is asked for, little-endian unless `bigEndian` is (useful to test readers).
 */
import { write as fsWrite } from 'node:fs'
import { open, type FileHandle } from 'node:fs/promises'
import { RstlabError } from '../errors.js'
import {
  BT_EPB, BT_IDB, BT_SHB, IF_NAME, IF_TSRESOL, OPT_COMMENT, PCAPNG_BOM, PCAP_FILE_HEADER_LEN, PCAP_MAGIC_NS, PCAP_MAGIC_US,
  PCAP_RECORD_HEADER_LEN, SHB_USERAPPL, WRITE_SNAPLEN, pad4,
} from './format.js'

/** What a writer needs of a packet (a `CaptureRecord` fits). */
export interface PacketToWrite {
  tsUs: number
  /** Nanoseconds beyond tsUs (0..999), kept by nanosecond writers. */
  tsNsRem?: number
  linkType: number
  data: Buffer
  /** Length on the wire; defaults to data.length. */
  origLen?: number
  /** pcapng only: becomes the packet's opt_comment (shows as `frame.comment` in tshark). */
  comment?: string
  /** pcapng only: interface name; packets with the same link type and name share one interface. */
  interfaceName?: string
}

export interface WriterOptions {
  bigEndian?: boolean
  /**
   * pcapng: write nanosecond timestamps (`if_tsresol` 9; each packet's `tsUs` plus its `tsNsRem`), so a
   * nanosecond capture keeps its precision. Default: microseconds. Classic pcap: the 0xa1b23c4d magic.
   */
  nanosecond?: boolean
}

const TWO32 = 4294967296
const TWO16 = 65536

/** Bytes of output gathered before one stream write. */
const OUT_CHUNK = 1 << 20

/**
 * Output in large chunks: encoders write straight into the current chunk; a full chunk is queued in
 * `full` (a fresh chunk follows), so a packet costs a copy, not an allocation.
 */
export class ChunkOut {
  buf: Buffer
  pos = 0
  readonly full: Buffer[] = []
  fullBytes = 0

  constructor (private readonly chunk = OUT_CHUNK) {
    this.buf = Buffer.allocUnsafe(chunk)
  }

  /** Make room for `n` more bytes at `pos` (may move to a fresh chunk). */
  room (n: number): void {
    if (this.pos + n <= this.buf.length) return
    this.seal()
    this.buf = Buffer.allocUnsafe(Math.max(this.chunk, n))
  }

  /** Queue what the current chunk holds (the chunk is not written to again). */
  seal (): void {
    if (this.pos === 0) return
    this.full.push(this.buf.subarray(0, this.pos))
    this.fullBytes += this.pos
    this.buf = this.buf.subarray(this.pos)
    this.pos = 0
  }

  bytes (b: Buffer): void {
    this.room(b.length)
    b.copy(this.buf, this.pos)
    this.pos += b.length
  }

  /** Everything written so far, as the list of sealed chunks (emptied). */
  take (): Buffer[] {
    this.seal()
    return this.takeFull()
  }

  /** The chunks sealed so far (emptied); what the current chunk holds stays in it. */
  takeFull (): Buffer[] {
    const out = this.full.splice(0)
    this.fullBytes = 0
    return out
  }
}

/**
 * Split a timestamp in ns (sec·10^9 + rem, exact, no BigInt) into the 32-bit halves pcapng stores.
 * Every intermediate stays below 2^53.
 */
function nsHalves (sec: number, remNs: number, out: { hi: number, lo: number }): void {
  const sh = Math.floor(sec / TWO16)
  const sl = sec - sh * TWO16
  const a = sl * 1e9 + remNs // < 2^16·10^9 + 10^9
  const b = sh * 1e9 // value = b·2^16 + a
  const bh = Math.floor(b / TWO16)
  const bl = b - bh * TWO16
  const l = bl * TWO16 + a
  const carry = Math.floor(l / TWO32)
  out.hi = bh + carry
  out.lo = l - carry * TWO32
}
const halves = { hi: 0, lo: 0 }

/** Serialises pcapng blocks in one byte order. */
class BlockWriter {
  constructor (readonly bigEndian: boolean) {}

  u16 (b: Buffer, v: number, off: number): void {
    if (this.bigEndian) b.writeUInt16BE(v, off); else b.writeUInt16LE(v, off)
  }

  /** Callers stay inside `b` (block sizes are computed first): plain byte stores, no range checks per field. */
  u32 (b: Buffer, v: number, off: number): void {
    if (this.bigEndian) {
      b[off] = v >>> 24; b[off + 1] = v >>> 16; b[off + 2] = v >>> 8; b[off + 3] = v
    } else {
      b[off] = v; b[off + 1] = v >>> 8; b[off + 2] = v >>> 16; b[off + 3] = v >>> 24
    }
  }

  /** Bytes an option with a value of `n` bytes takes. */
  static optLen (n: number): number {
    return 4 + pad4(n)
  }

  /** Write option (code, value) at off; returns the new offset. */
  opt (b: Buffer, off: number, code: number, value: Buffer): number {
    this.u16(b, code, off)
    this.u16(b, value.length, off + 2)
    value.copy(b, off + 4)
    b.fill(0, off + 4 + value.length, off + 4 + pad4(value.length))
    return off + 4 + pad4(value.length)
  }

  /** Frame a block: type, total length, body (already in place), total length. */
  frame (b: Buffer, type: number): Buffer {
    this.u32(b, type, 0)
    this.u32(b, b.length, 4)
    this.u32(b, b.length, b.length - 4)
    return b
  }

  sectionHeader (userAppl: string): Buffer {
    const appl = Buffer.from(userAppl, 'utf8')
    const b = Buffer.alloc(28 + BlockWriter.optLen(appl.length) + 4)
    this.u32(b, PCAPNG_BOM, 8)
    this.u16(b, 1, 12) // major
    this.u16(b, 0, 14) // minor
    b.fill(0xff, 16, 24) // section length: unknown (-1)
    let off = this.opt(b, 24, SHB_USERAPPL, appl)
    off += 4 // opt_endofopt
    return this.frame(b.subarray(0, off + 4), BT_SHB)
  }

  interfaceDescription (linkType: number, name: string | undefined, tsresol = 6): Buffer {
    const nameBuf = name === undefined ? undefined : Buffer.from(name, 'utf8')
    const optBytes = BlockWriter.optLen(1) + (nameBuf === undefined ? 0 : BlockWriter.optLen(nameBuf.length)) + 4
    const b = Buffer.alloc(16 + optBytes + 4)
    this.u16(b, linkType, 8)
    this.u32(b, WRITE_SNAPLEN, 12)
    let off = 16
    if (nameBuf !== undefined) off = this.opt(b, off, IF_NAME, nameBuf)
    off = this.opt(b, off, IF_TSRESOL, Buffer.from([tsresol]))
    return this.frame(b, BT_IDB)
  }

  /**
   * An Enhanced Packet Block for `data[off, off + len)` straight into `o`. `ns`: the interface has
   * nanosecond resolution (timestamp tsUs·1000 + tsNsRem), else microseconds.
   */
  enhancedPacketInto (o: ChunkOut, ifId: number, tsUs: number, tsNsRem: number, ns: boolean,
    data: Buffer, off: number, len: number, origLen: number, comment: string | undefined): void {
    const commentLen = comment === undefined || comment === '' ? 0 : Buffer.byteLength(comment, 'utf8')
    const optBytes = commentLen === 0 ? 0 : BlockWriter.optLen(commentLen) + 4
    const total = 28 + pad4(len) + optBytes + 4
    o.room(total)
    const b = o.buf
    const p = o.pos
    this.u32(b, BT_EPB, p)
    this.u32(b, total, p + 4)
    this.u32(b, ifId, p + 8)
    const ts = Math.floor(tsUs)
    if (ns) {
      const sec = Math.floor(ts / 1e6)
      nsHalves(sec, (ts - sec * 1e6) * 1000 + tsNsRem, halves)
      this.u32(b, halves.hi, p + 12)
      this.u32(b, halves.lo, p + 16)
    } else {
      this.u32(b, Math.floor(ts / TWO32), p + 12)
      this.u32(b, ts % TWO32, p + 16)
    }
    this.u32(b, len, p + 20)
    this.u32(b, origLen, p + 24)
    data.copy(b, p + 28, off, off + len)
    let q = p + 28 + len
    const padded = p + 28 + pad4(len)
    while (q < padded) b[q++] = 0
    if (commentLen !== 0) {
      this.u16(b, OPT_COMMENT, q)
      this.u16(b, commentLen, q + 2)
      b.write(comment!, q + 4, 'utf8')
      q += 4 + commentLen
      const end = p + 28 + pad4(len) + BlockWriter.optLen(commentLen)
      while (q < end + 4) b[q++] = 0 // option padding, then opt_endofopt
    }
    this.u32(b, total, p + total - 4)
    o.pos = p + total
  }
}

/**
 * Encodes a pcapng stream block by block: the Section Header first, an Interface Description the
 * first time a (link type, interface name) pair is seen, then an Enhanced Packet Block per packet.
 */
export class PcapngEncoder {
  private readonly bw: BlockWriter
  private readonly ifaces = new Map<string, number>()
  /** Interface id of the last (link type, name) pair used: the common case skips the map. */
  private lastLink = -1
  private lastName: string | undefined = undefined
  private lastIf = -1
  private started = false
  /** Nanosecond resolution; may change until the first packet is encoded. */
  nanosecond: boolean

  constructor (opts: WriterOptions = {}, private readonly userAppl = 'rstlab') {
    this.bw = new BlockWriter(opts.bigEndian ?? false)
    this.nanosecond = opts.nanosecond ?? false
  }

  /** The blocks to append for this packet (section/interface headers when needed, then the packet). */
  encode (p: PacketToWrite): Buffer[] {
    const o = new ChunkOut(256)
    this.encodeInto(o, p.tsUs, p.tsNsRem ?? 0, p.linkType, p.data, 0, p.data.length, p.origLen ?? p.data.length, p.comment, p.interfaceName)
    return o.take()
  }

  /** Append this packet's blocks (section/interface headers when needed, then the packet) to `o`. */
  encodeInto (o: ChunkOut, tsUs: number, tsNsRem: number, linkType: number, data: Buffer, off: number, len: number,
    origLen: number, comment: string | undefined, interfaceName: string | undefined): void {
    if (!this.started) { o.bytes(this.bw.sectionHeader(this.userAppl)); this.started = true }
    let ifId = this.lastIf
    if (linkType !== this.lastLink || interfaceName !== this.lastName) {
      const key = `${linkType}\u0000${interfaceName ?? ''}`
      const known = this.ifaces.get(key)
      if (known === undefined) {
        ifId = this.ifaces.size
        this.ifaces.set(key, ifId)
        o.bytes(this.bw.interfaceDescription(linkType, interfaceName, this.nanosecond ? 9 : 6))
      } else {
        ifId = known
      }
      this.lastLink = linkType
      this.lastName = interfaceName
      this.lastIf = ifId
    }
    this.bw.enhancedPacketInto(o, ifId, tsUs, tsNsRem, this.nanosecond, data, off, len, origLen, comment)
  }

  /** A section header alone (for an empty capture). */
  finish (): Buffer[] {
    if (this.started) return []
    this.started = true
    return [this.bw.sectionHeader(this.userAppl)]
  }
}

/** Encodes a classic pcap stream (microsecond resolution, one link type fixed by the first packet or the constructor). */
export class PcapEncoder {
  private started = false
  private linkType: number | undefined

  constructor (private readonly opts: WriterOptions & { linkType?: number } = {}) {
    this.linkType = opts.linkType
  }

  private header (linkType: number): Buffer {
    const b = Buffer.alloc(PCAP_FILE_HEADER_LEN)
    const be = this.opts.bigEndian === true
    const w32 = (v: number, off: number): void => { if (be) b.writeUInt32BE(v, off); else b.writeUInt32LE(v, off) }
    const w16 = (v: number, off: number): void => { if (be) b.writeUInt16BE(v, off); else b.writeUInt16LE(v, off) }
    w32(this.opts.nanosecond === true ? PCAP_MAGIC_NS : PCAP_MAGIC_US, 0)
    w16(2, 4)
    w16(4, 6)
    w32(WRITE_SNAPLEN, 16)
    w32(linkType, 20)
    return b
  }

  /**
   * @throws {RstlabError} RSTLAB_ERR_USAGE when a packet's link type differs from the file's (classic pcap holds one).
   */
  encode (p: PacketToWrite): Buffer[] {
    const o = new ChunkOut(256)
    this.encodeInto(o, p.tsUs, p.tsNsRem ?? 0, p.linkType, p.data, 0, p.data.length, p.origLen ?? p.data.length)
    return o.take()
  }

  /** Append this packet (after the file header, the first time) to `o`. @throws {RstlabError} RSTLAB_ERR_USAGE as `encode`. */
  encodeInto (o: ChunkOut, tsUs: number, tsNsRem: number, linkType: number, data: Buffer, off: number, len: number, origLen: number): void {
    if (this.linkType === undefined) this.linkType = linkType
    if (linkType !== this.linkType) {
      throw new RstlabError('RSTLAB_ERR_USAGE', `a classic pcap file holds one link type: ${this.linkType}, not ${linkType}`,
        'write pcapng (.pcapng) to mix link types')
    }
    if (!this.started) { o.bytes(this.header(this.linkType)); this.started = true }
    const be = this.opts.bigEndian === true
    o.room(PCAP_RECORD_HEADER_LEN + len)
    const b = o.buf
    const q = o.pos
    const ts = Math.floor(tsUs)
    const sec = Math.floor(ts / 1e6)
    const frac = this.opts.nanosecond === true ? (ts - sec * 1e6) * 1000 + tsNsRem : ts - sec * 1e6
    if (be) {
      b.writeUInt32BE(sec >>> 0, q); b.writeUInt32BE(frac >>> 0, q + 4); b.writeUInt32BE(len >>> 0, q + 8); b.writeUInt32BE(origLen >>> 0, q + 12)
    } else {
      b.writeUInt32LE(sec >>> 0, q); b.writeUInt32LE(frac >>> 0, q + 4); b.writeUInt32LE(len >>> 0, q + 8); b.writeUInt32LE(origLen >>> 0, q + 12)
    }
    data.copy(b, q + PCAP_RECORD_HEADER_LEN, off, off + len)
    o.pos = q + PCAP_RECORD_HEADER_LEN + len
  }

  finish (): Buffer[] {
    if (this.started) return []
    this.started = true
    return [this.header(this.linkType ?? 1)]
  }
}

/** Encode a whole pcapng file in memory (tests, small fixtures). */
export function encodePcapng (packets: PacketToWrite[], opts: WriterOptions = {}): Buffer {
  const enc = new PcapngEncoder(opts)
  const parts: Buffer[] = []
  for (const p of packets) parts.push(...enc.encode(p))
  parts.push(...enc.finish())
  return Buffer.concat(parts)
}

/** Encode a whole classic pcap file in memory (tests, small fixtures). */
export function encodePcap (packets: PacketToWrite[], opts: WriterOptions & { linkType?: number } = {}): Buffer {
  const enc = new PcapEncoder(opts)
  const parts: Buffer[] = []
  for (const p of packets) parts.push(...enc.encode(p))
  parts.push(...enc.finish())
  return Buffer.concat(parts)
}

const RESOLVED = Promise.resolve()
/** Bytes of chunks being written before `write` asks the caller to wait. */
const HIGH_WATER = 16 * OUT_CHUNK

/**
 * Writes encoded packets to a file. Packets are encoded straight into 1 MiB output chunks
 * (`ChunkOut`). A full chunk is handed to the thread pool at once, at its own file offset, without
 * waiting for the chunks before it: the file is written while the caller goes on encoding (a stream
 * would start each write only when the caller next yields to the event loop, so a busy replay loop
 * and the disk took turns). The caller waits only when more than `HIGH_WATER` bytes are in flight.
 * A file that cannot be written at an offset (a pipe, a terminal) gets one write at a time, in order.
 */
abstract class FileCaptureWriter {
  private fd = -1
  /** Regular file: chunks may be written concurrently, each at its offset. */
  private positional = false
  private failure: RstlabError | undefined
  private closed = false
  protected readonly out = new ChunkOut()
  /** Packets written. */
  packets = 0
  /** File offset of the next chunk, bytes in flight, and (not positional) chunks waiting their turn. */
  private offset = 0
  private inFlight = 0
  private readonly queue: Buffer[] = []
  private writing = false
  /** Callers waiting for room (`drained`) or for the last write (`close`). */
  private waiters: Array<() => void> = []

  protected constructor (readonly path: string) {}

  protected abstract encodeInto (tsUs: number, tsNsRem: number, linkType: number, data: Buffer, off: number, len: number,
    origLen: number, comment: string | undefined, interfaceName: string | undefined): void

  protected abstract finish (): Buffer[]

  private fail (err: unknown): void {
    this.failure ??= new RstlabError('RSTLAB_ERR_IO', `cannot write capture ${this.path}: ${(err as Error).message}`, 'check the directory exists and is writable')
  }

  /** Create the file, so a bad path fails here rather than at the first write. */
  protected async ready (): Promise<void> {
    try {
      const fh = await open(this.path, 'w')
      this.positional = (await fh.stat()).isFile()
      // Kept as a plain descriptor: chunk writes go through the callback API, no promise each.
      this.fd = fh.fd
      this.handle = fh
    } catch (err) {
      this.fail(err)
      throw this.failure
    }
  }

  private handle: FileHandle | undefined

  /**
   * Append one packet. Resolves at once unless too much is in flight, then once there is room.
   * @throws {RstlabError} RSTLAB_ERR_IO if the file cannot be written, RSTLAB_ERR_USAGE for a misuse.
   */
  write (p: PacketToWrite): Promise<void> {
    try {
      const more = this.writeFrame(p.tsUs, p.tsNsRem ?? 0, p.linkType, p.data, 0, p.data.length, p.origLen ?? p.data.length, p.comment, p.interfaceName)
      return more ? RESOLVED : this.drained()
    } catch (err) {
      return Promise.reject(err)
    }
  }

  /**
   * Append `data[off, off + len)` as one packet, synchronously (the bytes are copied before this
   * returns). False when too much is in flight: `await drained()` before writing much more.
   * @throws {RstlabError} RSTLAB_ERR_IO if the file cannot be written, RSTLAB_ERR_USAGE for a misuse.
   */
  writeFrame (tsUs: number, tsNsRem: number, linkType: number, data: Buffer, off: number, len: number, origLen: number,
    comment?: string, interfaceName?: string): boolean {
    if (this.failure !== undefined) throw this.failure
    if (this.closed) throw new RstlabError('RSTLAB_ERR_USAGE', `capture ${this.path} is already closed`, 'write before close()')
    this.encodeInto(tsUs, tsNsRem, linkType, data, off, len, origLen, comment, interfaceName)
    this.packets++
    return this.out.full.length === 0 || this.writeFull(false)
  }

  /**
   * Hand sealed chunks to the thread pool (and, with `all`, what the current chunk holds); false when
   * more than `HIGH_WATER` bytes are in flight. While writing, only full chunks go: sealing the current
   * one too cost a second, one-packet write per chunk.
   */
  private writeFull (all: boolean): boolean {
    for (const c of all ? this.out.take() : this.out.takeFull()) this.send(c)
    return this.inFlight <= HIGH_WATER
  }

  private send (c: Buffer): void {
    this.inFlight += c.length
    if (this.positional) {
      const at = this.offset
      this.offset += c.length
      this.writeAt(c, 0, at)
    } else {
      this.queue.push(c)
      if (!this.writing) this.next()
    }
  }

  /** Write `c[from..]` at file offset `at` (positional), finishing short writes. */
  private writeAt (c: Buffer, from: number, at: number): void {
    fsWrite(this.fd, c, from, c.length - from, at, (err, n) => {
      if (err !== null) { this.fail(err); this.done(c.length - from); return }
      if (from + n < c.length && n > 0) { this.inFlight -= n; this.writeAt(c, from + n, at + n); return }
      this.done(c.length - from)
    })
  }

  /** Not positional: the next queued chunk, once the one before it is written. */
  private next (): void {
    const c = this.queue.shift()
    if (c === undefined) { this.writing = false; return }
    this.writing = true
    const rest = (b: Buffer): void => {
      fsWrite(this.fd, b, 0, b.length, null, (err, n) => {
        if (err !== null) {
          // Nothing more reaches this file: what was waiting its turn is given up (close reports the failure).
          this.fail(err)
          for (const q of this.queue) this.inFlight -= q.length
          this.queue.length = 0
          this.writing = false
          this.done(b.length)
          return
        }
        this.done(n)
        if (n < b.length && n > 0) rest(b.subarray(n)); else this.next()
      })
    }
    rest(c)
  }

  private done (n: number): void {
    this.inFlight -= n
    if (this.inFlight <= HIGH_WATER / 2 || this.failure !== undefined) this.wake()
  }

  private wake (): void {
    if (this.waiters.length === 0) return
    const w = this.waiters
    this.waiters = []
    for (const f of w) f()
  }

  /** Resolves once there is room again (at once if there is). Rejects if writing failed. */
  drained (): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure)
    if (this.inFlight <= HIGH_WATER) return RESOLVED
    return new Promise((resolve, reject) => {
      this.waiters.push(() => { if (this.failure !== undefined) reject(this.failure); else resolve() })
    })
  }

  /** Flush everything and close the file. Safe to call twice. */
  async close (): Promise<void> {
    if (this.closed) { if (this.failure !== undefined) throw this.failure; return }
    this.closed = true
    for (const b of this.finish()) this.out.bytes(b)
    if (this.failure === undefined) this.writeFull(true)
    while (this.inFlight > 0) await new Promise<void>(resolve => { this.waiters.push(resolve) })
    try {
      await this.handle?.close()
    } catch (err) {
      this.fail(err)
    }
    if (this.failure !== undefined) throw this.failure
  }
}

/** A pcapng file being written. */
export class PcapngWriter extends FileCaptureWriter {
  private readonly enc: PcapngEncoder

  private constructor (path: string, opts: WriterOptions) {
    super(path)
    this.enc = new PcapngEncoder(opts)
  }

  /** @throws {RstlabError} RSTLAB_ERR_IO if the file cannot be created. */
  static async open (path: string, opts: WriterOptions = {}): Promise<PcapngWriter> {
    const w = new PcapngWriter(path, opts)
    await w.ready()
    return w
  }

  /** Nanosecond timestamps (`if_tsresol` 9): may be switched on until the first packet is written. */
  get nanosecond (): boolean { return this.enc.nanosecond }
  set nanosecond (on: boolean) { if (this.packets === 0) this.enc.nanosecond = on }

  protected encodeInto (tsUs: number, tsNsRem: number, linkType: number, data: Buffer, off: number, len: number,
    origLen: number, comment: string | undefined, interfaceName: string | undefined): void {
    this.enc.encodeInto(this.out, tsUs, tsNsRem, linkType, data, off, len, origLen, comment, interfaceName)
  }

  protected finish (): Buffer[] { return this.enc.finish() }
}

/** A classic pcap file being written (one link type: the constructor's or the first packet's). */
export class PcapWriter extends FileCaptureWriter {
  private readonly enc: PcapEncoder

  private constructor (path: string, opts: WriterOptions & { linkType?: number }) {
    super(path)
    this.enc = new PcapEncoder(opts)
  }

  /** @throws {RstlabError} RSTLAB_ERR_IO if the file cannot be created. */
  static async open (path: string, opts: WriterOptions & { linkType?: number } = {}): Promise<PcapWriter> {
    const w = new PcapWriter(path, opts)
    await w.ready()
    return w
  }

  protected encodeInto (tsUs: number, tsNsRem: number, linkType: number, data: Buffer, off: number, len: number, origLen: number): void {
    this.enc.encodeInto(this.out, tsUs, tsNsRem, linkType, data, off, len, origLen)
  }

  protected finish (): Buffer[] { return this.enc.finish() }
}

/** Open a writer by file extension: `.pcap` → classic pcap, anything else → pcapng. */
export async function openCaptureWriter (path: string, opts: WriterOptions = {}): Promise<PcapngWriter | PcapWriter> {
  return /\.pcap$/i.test(path) ? await PcapWriter.open(path, opts) : await PcapngWriter.open(path, opts)
}
