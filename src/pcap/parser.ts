/**
 * The incremental capture-file parser shared by the streaming file reader and the in-memory reader.
 *
 * It does no I/O: the driver hands it a window of bytes (`buf` from `pos`) and whether the file
 * ends there, and the parser answers with one `Step`:
 *  - RECORD: a packet record is in `parser.record`; advance by `parser.consumed`.
 *  - SKIP: a block without a packet (header, interface, statistics, unknown); advance by `consumed`.
 *  - NEED: the next structure needs `parser.need` bytes from `pos`; read more, then call again.
 *  - END: the file ended cleanly.
 *  - DAMAGED: the file is truncated or corrupt at `parser.warning.offset`; stop reading.
 * A non-fatal problem (e.g. a packet for an unknown interface, skipped) sets `parser.warning`
 * together with SKIP; drivers collect and clear it.
 *
 * The first structure (pcap file header / first pcapng Section Header) must be sound: if it is not,
 * the file is not a capture at all and `step` throws `RSTLAB_ERR_BAD_CAPTURE`. Everything after it
 * is damage, reported as a warning once all good records before it have been delivered.
 */
import { RstlabError } from '../errors.js'
import {
  BT_EPB, BT_IDB, BT_PB, BT_SHB, BT_SPB, IF_TSOFFSET, IF_TSRESOL, MAX_RECORD_LEN, OPT_COMMENT,
  OPT_ENDOFOPT, PCAPNG_BOM, PCAP_FILE_HEADER_LEN, PCAP_MAGIC_NS, PCAP_MAGIC_US, PCAP_RECORD_HEADER_LEN, pad4,
} from './format.js'

/** One packet read from a capture. A fresh object per packet: callers may keep it. */
export interface CaptureRecord {
  /** 1-based packet number in the file (as tshark's frame.number). */
  n: number
  /** Timestamp in integer microseconds since the epoch (floor of the file's own resolution). */
  tsUs: number
  /** Nanoseconds beyond `tsUs` (0..999) when the file has sub-microsecond resolution, else 0. */
  tsNsRem: number
  /** LINKTYPE_* of the interface the packet was captured on. */
  linkType: number
  /** pcapng interface index within its section; 0 for classic pcap. */
  interfaceId: number
  /** Bytes captured (`data.length`). */
  caplen: number
  /** Length of the packet on the wire (may exceed caplen when the capture was snapped). */
  origLen: number
  /**
   * The captured bytes. A view into the reader's chunk buffer (no copy): valid for as long as the
   * record is referenced, but it keeps that chunk (up to the reader's chunk size) alive.
   */
  data: Buffer
  /** pcapng `opt_comment`s of the packet, joined with '\n'; absent when none. */
  comment?: string
  /** Byte offset of the record header / block in the file. */
  offset: number
}

/**
 * One packet as a reused view: the parser (and the streaming reader's `nextView`) fill the same
 * object for every record, and `buf[off, off + caplen)` is the frame inside the reader's current
 * chunk. Valid only until the next record is asked for; copy what you keep (`CaptureRecord` is the
 * keepable form). Fields mean what they mean in `CaptureRecord`.
 */
export class RecordView {
  n = 0
  tsUs = 0
  tsNsRem = 0
  linkType = 0
  interfaceId = 0
  caplen = 0
  origLen = 0
  buf: Buffer = EMPTY
  off = 0
  comment: string | undefined = undefined
  offset = 0

  /** The frame as a Buffer view (allocates a view object, no copy). */
  data (): Buffer {
    return this.buf.subarray(this.off, this.off + this.caplen)
  }

  /** A keepable record (its `data` still views the chunk, which it keeps alive). */
  toRecord (): CaptureRecord {
    const rec: CaptureRecord = {
      n: this.n, tsUs: this.tsUs, tsNsRem: this.tsNsRem, linkType: this.linkType, interfaceId: this.interfaceId,
      caplen: this.caplen, origLen: this.origLen, data: this.data(), offset: this.offset,
    }
    if (this.comment !== undefined) rec.comment = this.comment
    return rec
  }
}

const EMPTY = Buffer.alloc(0)

/** A problem found while reading: where in the file and what. */
export interface CaptureWarning {
  offset: number
  message: string
}

export type CaptureFormat = 'pcap' | 'pcapng'

export const enum Step { RECORD, SKIP, NEED, END, DAMAGED }

/** How one interface's timestamps convert to microseconds. */
interface Iface {
  linkType: number
  snaplen: number
  /** 'us': units are µs. 'div': units are 10^-r, r in 7..12, divide by `factor`. 'mul': r < 6, multiply by `factor`. 'big': anything else (BigInt). */
  tsMode: 'us' | 'div' | 'mul' | 'big'
  factor: number
  /** Units per second for 'big' mode. */
  unitsPerSec: bigint
  tsOffsetUs: number
}

const TWO32 = 4294967296

/**
 * Latest capture time taken as plausible: 2100-01-01T00:00:00Z in µs. A pcapng interface with a wrong
 * `if_tsresol` (or a corrupt timestamp) yields times far beyond it (e.g. 1.8e22 s); so does garbage.
 */
export const MAX_PLAUSIBLE_US = 4102444800 * 1e6

/** Is `tsUs` a capture time a replay clock can use (the epoch .. 2100, an exact integer)? */
export function plausibleTimeUs (tsUs: number): boolean {
  return tsUs >= 0 && tsUs <= MAX_PLAUSIBLE_US
}

/** Individual warnings per kind of clock problem; after that only the count (in the END warning). */
const TIME_WARNINGS = 5

function makeIface (linkType: number, snaplen: number, tsresol: number, tsOffsetS: number): Iface {
  const iface: Iface = { linkType, snaplen, tsMode: 'us', factor: 1, unitsPerSec: 1000000n, tsOffsetUs: tsOffsetS * 1e6 }
  if ((tsresol & 0x80) !== 0) {
    // if_tsresol with the MSB set: the resolution is 2^-(low 7 bits) seconds.
    iface.tsMode = 'big'
    iface.unitsPerSec = 1n << BigInt(tsresol & 0x7f)
  } else if (tsresol === 6) {
    iface.tsMode = 'us'
  } else if (tsresol > 6 && tsresol <= 12) {
    iface.tsMode = 'div'
    iface.factor = 10 ** (tsresol - 6)
  } else if (tsresol < 6) {
    iface.tsMode = 'mul'
    iface.factor = 10 ** (6 - tsresol)
  } else {
    iface.tsMode = 'big'
    iface.unitsPerSec = 10n ** BigInt(tsresol)
  }
  return iface
}

export class CaptureParser {
  /** Set once the file header / first section header has been read. */
  format: CaptureFormat | undefined = undefined
  /** Byte order of the current section (classic: of the file). */
  bigEndian = false
  /** Classic pcap: nanosecond-resolution variant. */
  nanosecond = false
  /** Some interface so far has a resolution finer than 1 µs (classic nanosecond pcap, pcapng if_tsresol > 6). */
  subMicrosecond = false
  /** Outputs of the last `step`: on RECORD, `view` holds the packet (reused for every record). */
  readonly view = new RecordView()
  consumed = 0
  need = 0
  warning: CaptureWarning | undefined = undefined
  /** Number of packets delivered so far. */
  packets = 0
  /** Number of pcapng sections seen. */
  sections = 0
  /** Packets whose timestamp is implausible (see `plausibleTimeUs`). */
  implausibleTimes = 0
  /** Packets whose timestamp is earlier than the latest one before it. */
  backwardTimes = 0
  /** Latest plausible timestamp delivered so far (µs). */
  private maxTsUs = -1

  /** Classic pcap: the file's single interface. pcapng: interfaces of the current section. */
  private ifaces: Iface[] = []
  /** Timestamp of the last packet, used for Simple Packet Blocks (which carry none). */
  private lastTsUs = 0
  private lastTsNsRem = 0
  // Timestamp conversion results (avoid returning tuples).
  private tsUs = 0
  private tsNsRem = 0

  /** @param name the file name, for messages. */
  constructor (readonly name: string) {}

  /** Link types of the interfaces seen so far (classic pcap: one). */
  get linkTypes (): number[] {
    return this.ifaces.map(i => i.linkType)
  }

  /**
   * Parse the next structure at `buf[pos]`. `fileOffset` is the file offset of `buf[pos]`, `eof`
   * says no bytes follow `buf`.
   * @throws {RstlabError} RSTLAB_ERR_BAD_CAPTURE when the file does not start like a capture.
   */
  step (buf: Buffer, pos: number, fileOffset: number, eof: boolean): Step {
    this.warning = undefined
    this.consumed = 0
    if (this.format === undefined) return this.header(buf, pos, eof)
    return this.format === 'pcap' ? this.classicRecord(buf, pos, fileOffset, eof) : this.block(buf, pos, fileOffset, eof)
  }

  private u16 (buf: Buffer, off: number): number {
    return this.bigEndian ? buf.readUInt16BE(off) : buf.readUInt16LE(off)
  }

  private u32 (buf: Buffer, off: number): number {
    return this.bigEndian ? buf.readUInt32BE(off) : buf.readUInt32LE(off)
  }

  private notCapture (why: string): never {
    throw new RstlabError('RSTLAB_ERR_BAD_CAPTURE', `${this.name} is not a pcap or pcapng capture: ${why}`,
      'give a file written by tcpdump, tshark, Wireshark or rstlab (.pcap / .pcapng)')
  }

  /** A clean end; the totals of clock problems beyond those warned about one by one. */
  private end (fileOffset: number): Step {
    const parts: string[] = []
    if (this.implausibleTimes > TIME_WARNINGS) parts.push(`${this.implausibleTimes} packets with implausible timestamps`)
    if (this.backwardTimes > TIME_WARNINGS) parts.push(`${this.backwardTimes} packets with timestamps running backwards`)
    if (parts.length > 0) this.warning = { offset: fileOffset, message: `in total ${parts.join(' and ')} (only the first ${TIME_WARNINGS} of each were named), end of file at byte offset ${fileOffset}` }
    return Step.END
  }

  private damaged (offset: number, message: string): Step {
    this.warning = { offset, message: `${message} at byte offset ${offset}` }
    return Step.DAMAGED
  }

  /** The file header (classic) or first Section Header Block (pcapng). */
  private header (buf: Buffer, pos: number, eof: boolean): Step {
    const avail = buf.length - pos
    if (avail < 4) {
      if (!eof) { this.need = 4; return Step.NEED }
      this.notCapture(avail === 0 ? 'the file is empty' : `only ${avail} bytes long`)
    }
    const magicLE = buf.readUInt32LE(pos)
    const magicBE = buf.readUInt32BE(pos)
    if (magicLE === BT_SHB) {
      // A pcapng file starts with a Section Header Block; its byte-order magic decides the order.
      if (avail < 12) {
        if (!eof) { this.need = 12; return Step.NEED }
        this.notCapture('the pcapng section header is cut short')
      }
      if (!this.readBom(buf, pos)) this.notCapture('the pcapng section header has no valid byte-order magic')
      const len = this.u32(buf, pos + 4)
      if (len < 28 || len % 4 !== 0 || len > MAX_RECORD_LEN) this.notCapture(`the pcapng section header length ${len} is invalid`)
      if (avail < len) {
        if (!eof) { this.need = len; return Step.NEED }
        this.notCapture('the pcapng section header is cut short')
      }
      if (this.u32(buf, pos + len - 4) !== len) this.notCapture('the pcapng section header trailer does not match its length')
      this.format = 'pcapng'
      this.sections = 1
      this.consumed = len
      return Step.SKIP
    }
    let nano: boolean
    if (magicLE === PCAP_MAGIC_US || magicLE === PCAP_MAGIC_NS) {
      this.bigEndian = false; nano = magicLE === PCAP_MAGIC_NS
    } else if (magicBE === PCAP_MAGIC_US || magicBE === PCAP_MAGIC_NS) {
      this.bigEndian = true; nano = magicBE === PCAP_MAGIC_NS
    } else {
      this.notCapture(`unknown magic number 0x${magicBE.toString(16).padStart(8, '0')}`)
    }
    if (avail < PCAP_FILE_HEADER_LEN) {
      if (!eof) { this.need = PCAP_FILE_HEADER_LEN; return Step.NEED }
      this.notCapture('the pcap file header is cut short')
    }
    this.nanosecond = nano
    this.subMicrosecond = nano
    const snaplen = this.u32(buf, pos + 16)
    // The link-type field's upper bits carry FCS information (draft-ietf-opsawg-pcap §4); the type is the low 16.
    const linkType = this.u32(buf, pos + 20) & 0xffff
    this.ifaces = [makeIface(linkType, snaplen, nano ? 9 : 6, 0)]
    this.format = 'pcap'
    this.consumed = PCAP_FILE_HEADER_LEN
    return Step.SKIP
  }

  /** Read a section header's byte-order magic at pos+8; false if it is neither order. */
  private readBom (buf: Buffer, pos: number): boolean {
    if (buf.readUInt32LE(pos + 8) === PCAPNG_BOM) { this.bigEndian = false; return true }
    if (buf.readUInt32BE(pos + 8) === PCAPNG_BOM) { this.bigEndian = true; return true }
    return false
  }

  private classicRecord (buf: Buffer, pos: number, fileOffset: number, eof: boolean): Step {
    const avail = buf.length - pos
    if (avail < PCAP_RECORD_HEADER_LEN) {
      if (avail === 0 && eof) return this.end(fileOffset)
      if (!eof) { this.need = PCAP_RECORD_HEADER_LEN; return Step.NEED }
      return this.damaged(fileOffset, `file truncated: ${avail} bytes left where a 16-byte record header should be (packet ${this.packets + 1})`)
    }
    let sec: number, frac: number, caplen: number, origLen: number
    if (this.bigEndian) {
      sec = buf.readUInt32BE(pos); frac = buf.readUInt32BE(pos + 4); caplen = buf.readUInt32BE(pos + 8); origLen = buf.readUInt32BE(pos + 12)
    } else {
      // Inline little-endian reads: this runs once per packet.
      sec = (buf[pos]! | (buf[pos + 1]! << 8) | (buf[pos + 2]! << 16)) + buf[pos + 3]! * 16777216
      frac = (buf[pos + 4]! | (buf[pos + 5]! << 8) | (buf[pos + 6]! << 16)) + buf[pos + 7]! * 16777216
      caplen = (buf[pos + 8]! | (buf[pos + 9]! << 8) | (buf[pos + 10]! << 16)) + buf[pos + 11]! * 16777216
      origLen = (buf[pos + 12]! | (buf[pos + 13]! << 8) | (buf[pos + 14]! << 16)) + buf[pos + 15]! * 16777216
    }
    if (caplen > MAX_RECORD_LEN) {
      return this.damaged(fileOffset, `corrupt record header: captured length ${caplen} is implausible (packet ${this.packets + 1})`)
    }
    const total = PCAP_RECORD_HEADER_LEN + caplen
    if (avail < total) {
      if (!eof) { this.need = total; return Step.NEED }
      return this.damaged(fileOffset, `file truncated: packet ${this.packets + 1} announces ${caplen} bytes but only ${avail - PCAP_RECORD_HEADER_LEN} follow`)
    }
    let tsUs: number, nsRem: number
    if (this.nanosecond) {
      tsUs = sec * 1e6 + Math.floor(frac / 1000); nsRem = frac % 1000
    } else {
      tsUs = sec * 1e6 + frac; nsRem = 0
    }
    this.emit(buf, pos + PCAP_RECORD_HEADER_LEN, caplen, origLen, tsUs, nsRem, this.ifaces[0]!.linkType, 0, undefined, fileOffset)
    this.consumed = total
    return Step.RECORD
  }

  private emit (buf: Buffer, dataOff: number, caplen: number, origLen: number, tsUs: number, tsNsRem: number,
    linkType: number, interfaceId: number, comment: string | undefined, offset: number): void {
    this.packets++
    this.lastTsUs = tsUs
    this.lastTsNsRem = tsNsRem
    if (!plausibleTimeUs(tsUs)) {
      if (++this.implausibleTimes <= TIME_WARNINGS) {
        this.warning = { offset, message: `packet ${this.packets} has an implausible timestamp (${(tsUs / 1e6).toPrecision(6)} s since 1970; ` +
          `wrong if_tsresol or a corrupt header?): the replay clock does not move for it, at byte offset ${offset}` }
      }
    } else if (tsUs < this.maxTsUs) {
      if (++this.backwardTimes <= TIME_WARNINGS) {
        this.warning = { offset, message: `packet ${this.packets}'s timestamp runs backwards by ${((this.maxTsUs - tsUs) / 1e6).toFixed(6)} s ` +
          `(the replay clock holds until the capture catches up), at byte offset ${offset}` }
      }
    } else {
      this.maxTsUs = tsUs
    }
    const v = this.view
    v.n = this.packets
    v.tsUs = tsUs
    v.tsNsRem = tsNsRem
    v.linkType = linkType
    v.interfaceId = interfaceId
    v.caplen = caplen
    v.origLen = origLen
    v.buf = buf
    v.off = dataOff
    v.comment = comment
    v.offset = offset
  }

  /** One pcapng block. */
  private block (buf: Buffer, pos: number, fileOffset: number, eof: boolean): Step {
    const avail = buf.length - pos
    if (avail < 12) {
      if (avail === 0 && eof) return this.end(fileOffset)
      if (!eof) { this.need = 12; return Step.NEED }
      return this.damaged(fileOffset, `file truncated: ${avail} bytes left where a block header should be`)
    }
    const type = this.u32(buf, pos)
    if (type === BT_SHB) {
      // A new section may switch byte order.
      const order = this.bigEndian
      if (!this.readBom(buf, pos)) {
        this.bigEndian = order
        return this.damaged(fileOffset, 'corrupt section header: no valid byte-order magic')
      }
    }
    const len = this.u32(buf, pos + 4)
    if (len < 12 || len % 4 !== 0 || len > MAX_RECORD_LEN) {
      return this.damaged(fileOffset, `corrupt block: type 0x${type.toString(16)} has invalid length ${len}`)
    }
    if (avail < len) {
      if (!eof) { this.need = len; return Step.NEED }
      return this.damaged(fileOffset, `file truncated: block of ${len} bytes (type 0x${type.toString(16)}) has only ${avail} bytes left`)
    }
    if (this.u32(buf, pos + len - 4) !== len) {
      return this.damaged(fileOffset, `corrupt block: trailing length ${this.u32(buf, pos + len - 4)} differs from leading length ${len}`)
    }
    this.consumed = len
    switch (type) {
      case BT_SHB: return this.sectionHeader(buf, pos, len, fileOffset)
      case BT_IDB: return this.interfaceBlock(buf, pos, len, fileOffset)
      case BT_EPB: return this.packetBlock(buf, pos, len, fileOffset, true)
      case BT_PB: return this.packetBlock(buf, pos, len, fileOffset, false)
      case BT_SPB: return this.simplePacket(buf, pos, len, fileOffset)
      default:
        // Name resolution, statistics, decryption secrets, custom and unknown blocks: nothing to deliver.
        return Step.SKIP
    }
  }

  private sectionHeader (buf: Buffer, pos: number, len: number, fileOffset: number): Step {
    if (len < 28) return this.damaged(fileOffset, `corrupt section header: length ${len} < 28`)
    const major = this.u16(buf, pos + 12)
    if (major !== 1) return this.damaged(fileOffset, `unsupported pcapng major version ${major}`)
    // Interface ids are per section (draft-ietf-opsawg-pcapng §4.1).
    this.ifaces = []
    this.sections++
    return Step.SKIP
  }

  private interfaceBlock (buf: Buffer, pos: number, len: number, fileOffset: number): Step {
    if (len < 20) return this.damaged(fileOffset, `corrupt interface description block: length ${len} < 20`)
    const linkType = this.u16(buf, pos + 8)
    const snaplen = this.u32(buf, pos + 12)
    let tsresol = 6
    let tsOffsetS = 0
    let off = pos + 16
    const end = pos + len - 4
    while (off + 4 <= end) {
      const code = this.u16(buf, off)
      const olen = this.u16(buf, off + 2)
      if (code === OPT_ENDOFOPT || off + 4 + olen > end) break
      if (code === IF_TSRESOL && olen >= 1) tsresol = buf[off + 4]!
      if (code === IF_TSOFFSET && olen >= 8) {
        const hi = this.bigEndian ? buf.readInt32BE(off + 4) : buf.readInt32LE(off + 8)
        const lo = this.bigEndian ? buf.readUInt32BE(off + 8) : buf.readUInt32LE(off + 4)
        tsOffsetS = hi * TWO32 + lo
      }
      off += 4 + pad4(olen)
    }
    const iface = makeIface(linkType, snaplen, tsresol, tsOffsetS)
    if (iface.tsMode === 'div' || (iface.tsMode === 'big' && iface.unitsPerSec > 1000000n)) this.subMicrosecond = true
    this.ifaces.push(iface)
    return Step.SKIP
  }

  /** Enhanced Packet Block (epb = true) or the obsolete Packet Block (16-bit interface id, then drops count). */
  private packetBlock (buf: Buffer, pos: number, len: number, fileOffset: number, epb: boolean): Step {
    const what = epb ? 'enhanced packet block' : 'packet block'
    if (len < 32) return this.damaged(fileOffset, `corrupt ${what}: length ${len} < 32`)
    const ifId = epb ? this.u32(buf, pos + 8) : this.u16(buf, pos + 8)
    const caplen = this.u32(buf, pos + 20)
    const origLen = this.u32(buf, pos + 24)
    const optStart = pos + 28 + pad4(caplen)
    const end = pos + len - 4
    if (caplen > len || optStart > end) {
      return this.damaged(fileOffset, `corrupt ${what}: captured length ${caplen} does not fit a block of ${len} bytes`)
    }
    const iface = this.ifaces[ifId]
    if (iface === undefined) {
      this.warning = { offset: fileOffset, message: `packet refers to undeclared interface ${ifId}; skipped at byte offset ${fileOffset}` }
      return Step.SKIP
    }
    this.convertTs(iface, this.u32(buf, pos + 12), this.u32(buf, pos + 16))
    let comment: string | undefined
    let off = optStart
    while (off + 4 <= end) {
      const code = this.u16(buf, off)
      const olen = this.u16(buf, off + 2)
      if (code === OPT_ENDOFOPT || off + 4 + olen > end) break
      if (code === OPT_COMMENT) {
        const text = buf.toString('utf8', off + 4, off + 4 + olen)
        comment = comment === undefined ? text : `${comment}\n${text}`
      }
      off += 4 + pad4(olen)
    }
    this.emit(buf, pos + 28, caplen, origLen, this.tsUs, this.tsNsRem, iface.linkType, ifId, comment, fileOffset)
    return Step.RECORD
  }

  /**
   * Simple Packet Block: interface 0, no timestamp. We report the previous packet's timestamp so a
   * replay clock never runs backwards. Captured length = min(original length, snaplen, block room).
   */
  private simplePacket (buf: Buffer, pos: number, len: number, fileOffset: number): Step {
    if (len < 16) return this.damaged(fileOffset, `corrupt simple packet block: length ${len} < 16`)
    const iface = this.ifaces[0]
    if (iface === undefined) {
      this.warning = { offset: fileOffset, message: `simple packet block before any interface description; skipped at byte offset ${fileOffset}` }
      return Step.SKIP
    }
    const origLen = this.u32(buf, pos + 8)
    let caplen = Math.min(origLen, len - 16)
    if (iface.snaplen !== 0) caplen = Math.min(caplen, iface.snaplen)
    this.emit(buf, pos + 12, caplen, origLen, this.lastTsUs, this.lastTsNsRem, iface.linkType, 0, undefined, fileOffset)
    return Step.RECORD
  }

  /** (high, low) in the interface's units → this.tsUs / this.tsNsRem, exactly (no float rounding). */
  private convertTs (iface: Iface, high: number, low: number): void {
    switch (iface.tsMode) {
      case 'us':
        this.tsUs = high * TWO32 + low; this.tsNsRem = 0
        break
      case 'div': {
        // Long division of high·2^32 + low by factor (≤ 10^6 < 2^20), so every step stays below 2^53.
        const d = iface.factor
        const qh = Math.floor(high / d)
        const rh = high - qh * d
        const lowPart = rh * TWO32 + low
        const q2 = Math.floor(lowPart / d)
        const rem = lowPart - q2 * d
        this.tsUs = qh * TWO32 + q2
        this.tsNsRem = Math.floor(rem * 1000 / d)
        break
      }
      case 'mul':
        this.tsUs = (high * TWO32 + low) * iface.factor; this.tsNsRem = 0
        break
      default: {
        const ns = ((BigInt(high) << 32n) | BigInt(low)) * 1000000000n / iface.unitsPerSec
        this.tsUs = Number(ns / 1000n); this.tsNsRem = Number(ns % 1000n)
      }
    }
    this.tsUs += iface.tsOffsetUs
  }
}
