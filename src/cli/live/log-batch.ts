/**
 * The live runner's log stream: lines are gathered into chunks and handed to the asynchronous file
 * destination (a SonicBoom, from pino.destination) once a chunk is full or, at the latest, when the
 * current turn of the event loop ends; what the destination has not written yet is bounded.
 *
 * Why (issue #20, a SYN flood): line by line, the destination wrote at most one 16 KB piece per
 * event-loop turn, and under a flood a turn is a full capture burst (tens of ms), so a 10 s flood of
 * short sessions left over 200 MB of traffic-log lines waiting in the V8 heap, written only after the
 * flood; and lines waiting a few turns as strings outlived the young generation, so the old
 * generation filled with them (200 MB of garbage that no collection reclaimed once the flood was
 * over and nothing allocated any more: RSS 130 MB → 330 MB and not back). Now lines are encoded into
 * a byte chunk as they come (the strings die young; the bytes wait outside the V8 heap), each turn
 * hands over what it gathered (the destination writes up to `maxWrite` bytes at a time), and past
 * `maxLength` bytes waiting the destination drops a chunk whole; `dropped` counts the lines so lost
 * (`rstlab_log_drop`), as PAN-OS drops logs it cannot keep up with.
 */

import { ByteLines } from '../byte-lines.js'
import { trafficRecordBytes } from '../log-output.js'
import type { TrafficLogRecord } from '../../engine/types.js'

/** What the runner needs of the destination: SonicBoom (contentMode 'buffer') write, its 'drop' event (with maxLength), flushSync. */
export interface LogDest {
  write (chunk: Buffer): unknown
  on? (ev: 'drop', fn: (data: Buffer) => void): unknown
  flushSync? (): void
  end? (): void
  once? (ev: 'close', fn: () => void): unknown
}

/** Bytes gathered in one chunk (a record may run up to ROOM past it). */
const CHUNK = 256 * 1024
const ROOM = 16 * 1024
/** A chunk handed over with less than this in it is copied out, and the chunk buffer kept for the next lines. */
const COPY_BELOW = 16 * 1024

export class LogBatch {
  private readonly out = new ByteLines(CHUNK, ROOM)
  private scheduled = false
  /** Lines the destination refused because too much was waiting (its maxLength). */
  dropped = 0

  /** @param dest the destination, created with contentMode 'buffer', `maxLength` (the bound on bytes waiting) and a `maxWrite` of at least CHUNK */
  constructor (private readonly dest: LogDest) {
    dest.on?.('drop', data => { this.dropped += countLines(data) })
  }

  /**
   * A line that already ends in a newline (pino's destination interface). It is encoded into the
   * chunk at once, so the string dies young; the bytes wait outside the V8 heap.
   */
  write (line: string): boolean {
    const o = this.out
    const most = line.length * 3 // UTF-8 bytes of a UTF-16 string, at most
    if (o.pos + most > CHUNK) {
      this.flush()
      if (most > CHUNK) { this.dest.write(Buffer.from(line)); return true }
    }
    o.pos += o.buf.write(line, o.pos)
    this.schedule()
    return true
  }

  /**
   * A traffic-log record of the engine's (its keys in TRAFFIC_KEYS order) as the line pino would write
   * for it (trafficRecordBytes), encoded straight into the chunk. False, with nothing written, when it
   * cannot (the caller then writes pinoRecordLine's line).
   */
  traffic (level: number, timeMs: number, pid: number, rec: TrafficLogRecord, log: string, msg: string): boolean {
    const o = this.out
    if (o.pos >= CHUNK) this.flush()
    if (!trafficRecordBytes(o, level, timeMs, pid, rec, log, msg)) return false
    if (o.pos >= CHUNK) this.flush()
    this.schedule()
    return true
  }

  private schedule (): void {
    if (!this.scheduled) { this.scheduled = true; setImmediate(() => { this.scheduled = false; this.flush() }) }
  }

  /** Hand what is gathered to the destination. */
  flush (): void {
    const o = this.out
    if (o.pos === 0) return
    if (o.pos < COPY_BELOW) {
      this.dest.write(Buffer.from(o.buf.subarray(0, o.pos)))
      o.pos = 0
    } else {
      this.dest.write(o.take())
    }
  }

  /** Everything to the file now, synchronously (a last resort: a write in flight finishes after it). */
  flushSync (): void {
    this.flush()
    this.dest.flushSync?.()
  }

  /**
   * Everything written and the file closed (on exit). SonicBoom's flushSync writes what waits at once,
   * but not the write it has in flight on the thread pool, which then lands after it (lines out of
   * order) or not at all (the process exits first): end() waits for that write, then for the rest.
   * After `timeoutMs` without 'close' it falls back to flushSync.
   */
  async end (timeoutMs = 5000): Promise<void> {
    this.flush()
    const d = this.dest
    if (d.end === undefined || d.once === undefined) { d.flushSync?.(); return }
    await new Promise<void>(resolve => {
      const timer = setTimeout(() => { try { d.flushSync?.() } catch { /* closed meanwhile */ } resolve() }, timeoutMs)
      d.once!('close', () => { clearTimeout(timer); resolve() })
      d.end!()
    })
  }
}

function countLines (b: Buffer): number {
  let n = 0
  for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) n++
  return n
}
