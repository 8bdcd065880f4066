/**
 * Reading captures: a streaming file reader (constant memory, any file size) and an in-memory
 * reader for small buffers (tests, scenario fixtures). Both drive the same `CaptureParser`.
 *
 * Damage policy: every good record before the damage is delivered, then one warning naming the
 * byte offset, then the iteration ends. Only a file that does not start like a capture (or cannot
 * be opened) is an error.
 */
import { open, type FileHandle } from 'node:fs/promises'
import { RstlabError } from '../errors.js'
import { CaptureParser, RecordView, Step, type CaptureFormat, type CaptureRecord, type CaptureWarning } from './parser.js'

export { RecordView, plausibleTimeUs, MAX_PLAUSIBLE_US } from './parser.js'
export type { CaptureFormat, CaptureRecord, CaptureWarning } from './parser.js'

export interface ReadOptions {
  /** Bytes read from the file at a time (default 1 MiB; 4 MiB for `nextView`). A record larger than this gets its own chunk. */
  chunkSize?: number
  /** Called for each warning as it happens (they are also collected in `warnings`). */
  onWarning?: (w: CaptureWarning) => void
}

const DEFAULT_CHUNK = 1 << 20
const VIEW_CHUNK = 4 << 20
/** Room before read-ahead data for the tail of the previous chunk (larger tails take the plain path). */
const HEAD = 256 << 10

function ioError (path: string, err: unknown): RstlabError {
  const code = (err as NodeJS.ErrnoException | undefined)?.code
  if (code === 'ENOENT') return new RstlabError('RSTLAB_ERR_IO', `cannot read capture ${path}: no such file`, 'check the path (relative paths start from the current directory)')
  if (code === 'EISDIR') return new RstlabError('RSTLAB_ERR_IO', `cannot read capture ${path}: it is a directory`, 'name a .pcap or .pcapng file')
  if (code === 'EACCES') return new RstlabError('RSTLAB_ERR_IO', `cannot read capture ${path}: permission denied`, 'check the file permissions')
  return new RstlabError('RSTLAB_ERR_IO', `cannot read capture ${path}: ${(err as Error | undefined)?.message ?? String(err)}`, 'check the file')
}

/**
 * A capture file opened for streaming. Iterate it once with `for await`. Use `openCapture()`.
 *
 * Two ways to read, pick one per reader:
 *  - `for await (const rec of reader)`: a fresh `CaptureRecord` per packet; each chunk is a fresh
 *    buffer, so records' `data` views stay valid after the reader moves on.
 *  - `nextView()` / `refill()`: the fast path. One reused `RecordView` pointing into one reused
 *    chunk: nothing is allocated per packet, and a view is valid only until the next call.
 *    ```ts
 *    do { for (let v = r.nextView(); v !== undefined; v = r.nextView()) use(v) } while (await r.refill())
 *    ```
 * Memory stays bounded by the chunk size plus whatever records the caller keeps.
 */
export class CaptureFileReader implements AsyncIterable<CaptureRecord> {
  readonly warnings: CaptureWarning[] = []
  private buf: Buffer = Buffer.alloc(0)
  private pos = 0
  /** File offset of buf[0]. */
  private bufOffset = 0
  private eof = false
  private closed = false
  private iterated = false
  /** View mode: the chunk is reused (its tail moved to the front on refill). */
  private reuse = false
  /** View mode: the reused chunk. */
  private owned: Buffer | undefined
  private finished = false
  /** Bytes read from the file so far (for progress). */
  get bytesRead (): number { return this.bufOffset + this.pos }

  private constructor (readonly path: string, private readonly fh: FileHandle, private readonly parser: CaptureParser,
    private readonly chunkSizeOpt: number | undefined, private readonly onWarning: ((w: CaptureWarning) => void) | undefined) {}

  private get chunkSize (): number {
    return this.chunkSizeOpt ?? (this.reuse ? VIEW_CHUNK : DEFAULT_CHUNK)
  }

  /** 'pcap' or 'pcapng' (known once opened). */
  get format (): CaptureFormat {
    return this.parser.format ?? 'pcap'
  }

  /** Some interface so far records finer than 1 µs (classic nanosecond pcap; pcapng if_tsresol > 6). */
  get subMicrosecond (): boolean {
    return this.parser.subMicrosecond
  }

  /** Classic pcap: nanosecond timestamps. */
  get nanosecond (): boolean {
    return this.parser.nanosecond
  }

  /** Big-endian file (pcapng: of the current section). */
  get bigEndian (): boolean {
    return this.parser.bigEndian
  }

  /** Packets delivered so far. */
  get packets (): number {
    return this.parser.packets
  }

  /**
   * Open `path` and check that it starts like a capture.
   * @throws {RstlabError} RSTLAB_ERR_IO if it cannot be opened, RSTLAB_ERR_BAD_CAPTURE if it is not pcap/pcapng.
   */
  static async open (path: string, opts: ReadOptions = {}): Promise<CaptureFileReader> {
    let fh: FileHandle
    try {
      fh = await open(path, 'r')
    } catch (err) {
      throw ioError(path, err)
    }
    const reader = new CaptureFileReader(path, fh, new CaptureParser(path), opts.chunkSize, opts.onWarning)
    try {
      await reader.readHeader()
    } catch (err) {
      await reader.close()
      throw err
    }
    return reader
  }

  private async readHeader (): Promise<void> {
    while (this.parser.format === undefined) {
      const step = this.parser.step(this.buf, this.pos, this.bufOffset + this.pos, this.eof)
      if (step === Step.NEED) await this.fill(this.parser.need)
      else this.pos += this.parser.consumed
    }
  }

  /**
   * View mode reads ahead: while the caller works through one chunk, the next is already being read
   * into a second buffer, after `HEAD` bytes of room where the unread tail of the current chunk (at
   * most one incomplete record, normally) is copied when the caller gets to it. So the file is read on
   * a thread-pool thread while the packet loop runs, instead of the loop waiting for each read.
   */
  private spare: Buffer | undefined
  /** The read ahead in flight into `spare` at `HEAD`: bytes read, or the error it failed with. */
  private ahead: Promise<number | Error> | undefined
  /** File offset the read ahead started at. */
  private aheadAt = 0

  private startAhead (fileOffset: number): void {
    const chunk = this.chunkSize
    if (this.spare === undefined || this.spare.length < HEAD + chunk) this.spare = Buffer.allocUnsafeSlow(HEAD + chunk)
    this.aheadAt = fileOffset
    this.ahead = this.fh.read(this.spare, HEAD, chunk, fileOffset).then(r => r.bytesRead, (err: unknown) => err instanceof Error ? err : new Error(String(err)))
  }

  /** Wait for the read ahead and forget it; its bytes, or an Error. */
  private async takeAhead (): Promise<number | Error | undefined> {
    const a = this.ahead
    this.ahead = undefined
    return a === undefined ? undefined : await a
  }

  /** Make at least `need` bytes available from `pos` (or hit the end of the file). */
  private async fill (need: number): Promise<void> {
    const left = this.buf.length - this.pos
    const end = this.bufOffset + this.buf.length
    if (this.ahead !== undefined) {
      const usable = this.aheadAt === end && left <= HEAD
      const got = await this.takeAhead()
      if (got instanceof Error) throw ioError(this.path, got)
      if (usable && got !== undefined) {
        // The tail goes just before the bytes read ahead; the two buffers swap roles.
        const next = this.spare!
        this.buf.copy(next, HEAD - left, this.pos)
        this.spare = this.owned
        this.owned = next
        this.bufOffset += this.pos
        this.buf = next.subarray(HEAD - left, HEAD + got)
        this.pos = 0
        if (got === 0) this.eof = true
        if (this.buf.length >= need || this.eof) {
          if (!this.eof) this.startAhead(end + got)
          return
        }
        // A record longer than what is here: read the rest the plain way (which then reads ahead).
        return await this.fill(need)
      }
    }
    const size = Math.max(this.chunkSize, need)
    let next: Buffer
    if (this.reuse && this.owned !== undefined && this.owned.length >= size) {
      // One chunk for the whole file: the unread tail moves to the front.
      next = this.owned
      this.buf.copy(next, 0, this.pos, this.pos + left) // overlapping is fine; buf may start past next[0]
    } else {
      // View mode owns its chunk outright (never a slice of Node's shared pool).
      next = this.reuse ? Buffer.allocUnsafeSlow(size) : Buffer.allocUnsafe(size)
      this.buf.copy(next, 0, this.pos)
      if (this.reuse) this.owned = next
    }
    let filled = left
    while (filled < size) {
      let bytesRead: number
      try {
        ({ bytesRead } = await this.fh.read(next, filled, size - filled, this.bufOffset + this.pos + filled))
      } catch (err) {
        throw ioError(this.path, err)
      }
      if (bytesRead === 0) { this.eof = true; break }
      filled += bytesRead
      if (filled >= need) break
    }
    this.bufOffset += this.pos
    this.buf = next.subarray(0, filled)
    this.pos = 0
    if (this.reuse && !this.eof && !this.closed) this.startAhead(this.bufOffset + filled)
  }

  private warn (w: CaptureWarning): void {
    this.warnings.push(w)
    this.onWarning?.(w)
  }

  /**
   * The next packet as the reader's one reused view, or undefined when the current chunk holds no
   * further complete record: then `await refill()`, which is false once the file has ended (or is
   * damaged: see `warnings`). Allocates nothing per packet.
   */
  nextView (): RecordView | undefined {
    if (!this.reuse) this.startViews()
    const parser = this.parser
    for (;;) {
      const step = parser.step(this.buf, this.pos, this.bufOffset + this.pos, this.eof)
      if (parser.warning !== undefined) this.warn(parser.warning)
      if (step === Step.RECORD) {
        this.pos += parser.consumed
        return parser.view
      } else if (step === Step.SKIP) {
        this.pos += parser.consumed
      } else {
        if (step !== Step.NEED) this.finished = true
        return undefined
      }
    }
  }

  /** Read the next chunk for `nextView`; false (and the file closed) when there is nothing more. */
  async refill (): Promise<boolean> {
    if (!this.reuse) this.startViews()
    if (this.finished || this.closed) { await this.close(); return false }
    try {
      await this.fill(this.parser.need)
    } catch (err) {
      await this.close()
      throw err
    }
    return true
  }

  private startViews (): void {
    if (this.iterated) throw new RstlabError('RSTLAB_ERR_IO', `capture ${this.path} is already being iterated`, 'use either for await or nextView(), not both')
    this.reuse = true
    this.iterated = true
  }

  async * [Symbol.asyncIterator] (): AsyncGenerator<CaptureRecord> {
    if (this.iterated) throw new RstlabError('RSTLAB_ERR_IO', `capture ${this.path} can only be iterated once`, 'open it again')
    this.iterated = true
    try {
      for (;;) {
        const step = this.parser.step(this.buf, this.pos, this.bufOffset + this.pos, this.eof)
        if (this.parser.warning !== undefined) this.warn(this.parser.warning)
        if (step === Step.RECORD) {
          this.pos += this.parser.consumed
          yield this.parser.view.toRecord()
        } else if (step === Step.SKIP) {
          this.pos += this.parser.consumed
        } else if (step === Step.NEED) {
          await this.fill(this.parser.need)
        } else {
          return
        }
      }
    } finally {
      await this.close()
    }
  }

  async close (): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.takeAhead() // never close the file under a read in flight
    await this.fh.close()
  }
}

/** Open a capture file for streaming (see `CaptureFileReader`). */
export async function openCapture (path: string, opts: ReadOptions = {}): Promise<CaptureFileReader> {
  return await CaptureFileReader.open(path, opts)
}

/** Result of reading a whole capture held in memory. */
export interface CaptureContents {
  format: CaptureFormat
  records: CaptureRecord[]
  warnings: CaptureWarning[]
}

/**
 * Iterate the records of a capture held in memory (records' `data` are views into `buf`).
 * Warnings go to `onWarning`.
 * @throws {RstlabError} RSTLAB_ERR_BAD_CAPTURE if `buf` does not start like a capture.
 */
export function * iterateCaptureBuffer (buf: Buffer, onWarning?: (w: CaptureWarning) => void, name = 'capture'): Generator<CaptureRecord> {
  const parser = new CaptureParser(name)
  let pos = 0
  for (;;) {
    const step = parser.step(buf, pos, pos, true)
    if (parser.warning !== undefined) onWarning?.(parser.warning)
    if (step === Step.RECORD) {
      pos += parser.consumed
      yield parser.view.toRecord()
    } else if (step === Step.SKIP) {
      pos += parser.consumed
    } else {
      return
    }
  }
}

/**
 * Read a whole in-memory capture (small files, tests).
 * @throws {RstlabError} RSTLAB_ERR_BAD_CAPTURE if `buf` does not start like a capture.
 */
export function readCaptureBuffer (buf: Buffer, name = 'capture'): CaptureContents {
  const warnings: CaptureWarning[] = []
  const parser = new CaptureParser(name)
  const records: CaptureRecord[] = []
  let pos = 0
  for (;;) {
    const step = parser.step(buf, pos, pos, true)
    if (parser.warning !== undefined) warnings.push(parser.warning)
    if (step === Step.RECORD) records.push(parser.view.toRecord())
    if (step === Step.RECORD || step === Step.SKIP) { pos += parser.consumed; continue }
    break
  }
  return { format: parser.format ?? 'pcap', records, warnings }
}
