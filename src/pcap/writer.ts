/**
 * Writing captures: pcapng (with per-packet comments, one interface per link type / name) and
 * classic pcap (one link type). Encoders produce Buffers; the `*Writer` classes stream them to a
 * file with backpressure (a `write` only waits when the stream's buffer is full).
 *
 * Timestamps are integer microseconds; files are written in microsecond resolution, little-endian
 * unless `bigEndian` is asked for (useful to test readers).
 */
import { createWriteStream, type WriteStream } from 'node:fs'
import { once } from 'node:events'
import { RstlabError } from '../errors.js'
import {
  BT_EPB, BT_IDB, BT_SHB, IF_NAME, IF_TSRESOL, OPT_COMMENT, PCAPNG_BOM, PCAP_FILE_HEADER_LEN, PCAP_MAGIC_US,
  PCAP_RECORD_HEADER_LEN, SHB_USERAPPL, WRITE_SNAPLEN, pad4,
} from './format.js'

/** What a writer needs of a packet (a `CaptureRecord` fits). */
export interface PacketToWrite {
  tsUs: number
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
}

const TWO32 = 4294967296

/** Serialises pcapng blocks in one byte order. */
class BlockWriter {
  constructor (readonly bigEndian: boolean) {}

  u16 (b: Buffer, v: number, off: number): void {
    if (this.bigEndian) b.writeUInt16BE(v, off); else b.writeUInt16LE(v, off)
  }

  u32 (b: Buffer, v: number, off: number): void {
    if (this.bigEndian) b.writeUInt32BE(v >>> 0, off); else b.writeUInt32LE(v >>> 0, off)
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

  interfaceDescription (linkType: number, name: string | undefined): Buffer {
    const nameBuf = name === undefined ? undefined : Buffer.from(name, 'utf8')
    const optBytes = BlockWriter.optLen(1) + (nameBuf === undefined ? 0 : BlockWriter.optLen(nameBuf.length)) + 4
    const b = Buffer.alloc(16 + optBytes + 4)
    this.u16(b, linkType, 8)
    this.u32(b, WRITE_SNAPLEN, 12)
    let off = 16
    if (nameBuf !== undefined) off = this.opt(b, off, IF_NAME, nameBuf)
    off = this.opt(b, off, IF_TSRESOL, Buffer.from([6]))
    return this.frame(b, BT_IDB)
  }

  enhancedPacket (ifId: number, p: PacketToWrite): Buffer {
    const cap = p.data.length
    const comment = p.comment === undefined || p.comment === '' ? undefined : Buffer.from(p.comment, 'utf8')
    const optBytes = comment === undefined ? 0 : BlockWriter.optLen(comment.length) + 4
    const b = Buffer.allocUnsafe(28 + pad4(cap) + optBytes + 4)
    this.u32(b, ifId, 8)
    const ts = Math.floor(p.tsUs)
    this.u32(b, Math.floor(ts / TWO32), 12)
    this.u32(b, ts % TWO32, 16)
    this.u32(b, cap, 20)
    this.u32(b, p.origLen ?? cap, 24)
    p.data.copy(b, 28)
    b.fill(0, 28 + cap, 28 + pad4(cap))
    let off = 28 + pad4(cap)
    if (comment !== undefined) {
      off = this.opt(b, off, OPT_COMMENT, comment)
      b.fill(0, off, off + 4) // opt_endofopt
    }
    return this.frame(b, BT_EPB)
  }
}

/**
 * Encodes a pcapng stream block by block: the Section Header first, an Interface Description the
 * first time a (link type, interface name) pair is seen, then an Enhanced Packet Block per packet.
 */
export class PcapngEncoder {
  private readonly bw: BlockWriter
  private readonly ifaces = new Map<string, number>()
  private started = false

  constructor (opts: WriterOptions = {}, private readonly userAppl = 'rstlab') {
    this.bw = new BlockWriter(opts.bigEndian ?? false)
  }

  /** The blocks to append for this packet (section/interface headers when needed, then the packet). */
  encode (p: PacketToWrite): Buffer[] {
    const out: Buffer[] = []
    if (!this.started) { out.push(this.bw.sectionHeader(this.userAppl)); this.started = true }
    const key = `${p.linkType}\u0000${p.interfaceName ?? ''}`
    let ifId = this.ifaces.get(key)
    if (ifId === undefined) {
      ifId = this.ifaces.size
      this.ifaces.set(key, ifId)
      out.push(this.bw.interfaceDescription(p.linkType, p.interfaceName))
    }
    out.push(this.bw.enhancedPacket(ifId, p))
    return out
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
    w32(PCAP_MAGIC_US, 0)
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
    const out: Buffer[] = []
    if (this.linkType === undefined) this.linkType = p.linkType
    if (p.linkType !== this.linkType) {
      throw new RstlabError('RSTLAB_ERR_USAGE', `a classic pcap file holds one link type: ${this.linkType}, not ${p.linkType}`,
        'write pcapng (.pcapng) to mix link types')
    }
    if (!this.started) { out.push(this.header(this.linkType)); this.started = true }
    const be = this.opts.bigEndian === true
    // Header and data in one fresh buffer: the caller may reuse `p.data` before the stream flushes.
    const h = Buffer.allocUnsafe(PCAP_RECORD_HEADER_LEN + p.data.length)
    const ts = Math.floor(p.tsUs)
    const sec = Math.floor(ts / 1e6)
    const vals = [sec, ts - sec * 1e6, p.data.length, p.origLen ?? p.data.length]
    for (let i = 0; i < 4; i++) { if (be) h.writeUInt32BE(vals[i]! >>> 0, i * 4); else h.writeUInt32LE(vals[i]! >>> 0, i * 4) }
    p.data.copy(h, PCAP_RECORD_HEADER_LEN)
    out.push(h)
    return out
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

/** Streams encoded blocks to a file, waiting for 'drain' only when the stream asks for it. */
abstract class FileCaptureWriter {
  private readonly stream: WriteStream
  private failure: RstlabError | undefined
  private closed = false
  /** Packets written. */
  packets = 0

  protected constructor (readonly path: string) {
    this.stream = createWriteStream(path)
    this.stream.on('error', (err) => {
      this.failure ??= new RstlabError('RSTLAB_ERR_IO', `cannot write capture ${path}: ${err.message}`, 'check the directory exists and is writable')
    })
  }

  protected abstract encode (p: PacketToWrite): Buffer[]
  protected abstract finish (): Buffer[]

  /** Wait until the file is open, so a bad path fails here rather than at the first write. */
  protected async ready (): Promise<void> {
    if (this.stream.pending) {
      await new Promise<void>(resolve => {
        this.stream.once('ready', () => { resolve() })
        this.stream.once('error', () => { resolve() })
      })
    }
    if (this.failure !== undefined) throw this.failure
  }

  /**
   * Append one packet. Resolves at once unless the stream is backed up, then after 'drain'.
   * @throws {RstlabError} RSTLAB_ERR_IO if the file cannot be written, RSTLAB_ERR_USAGE for a misuse.
   */
  write (p: PacketToWrite): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure)
    if (this.closed) return Promise.reject(new RstlabError('RSTLAB_ERR_USAGE', `capture ${this.path} is already closed`, 'write before close()'))
    let blocks: Buffer[]
    try {
      blocks = this.encode(p)
    } catch (err) {
      return Promise.reject(err)
    }
    let ok = true
    for (const b of blocks) ok = this.stream.write(b)
    this.packets++
    return ok ? RESOLVED : this.drain()
  }

  private async drain (): Promise<void> {
    await Promise.race([once(this.stream, 'drain'), once(this.stream, 'close')])
    if (this.failure !== undefined) throw this.failure
  }

  /** Flush everything and close the file. Safe to call twice. */
  async close (): Promise<void> {
    if (this.closed) { if (this.failure !== undefined) throw this.failure; return }
    this.closed = true
    for (const b of this.finish()) this.stream.write(b)
    if (!this.stream.destroyed) {
      const done = once(this.stream, 'close').catch(() => undefined)
      this.stream.end()
      await done
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

  protected encode (p: PacketToWrite): Buffer[] { return this.enc.encode(p) }
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

  protected encode (p: PacketToWrite): Buffer[] { return this.enc.encode(p) }
  protected finish (): Buffer[] { return this.enc.finish() }
}

/** Open a writer by file extension: `.pcap` → classic pcap, anything else → pcapng. */
export async function openCaptureWriter (path: string, opts: WriterOptions = {}): Promise<PcapngWriter | PcapWriter> {
  return /\.pcap$/i.test(path) ? await PcapWriter.open(path, opts) : await PcapngWriter.open(path, opts)
}
