/**
 * Line output for commands that print one line per packet: batches lines into chunks, waits for
 * 'drain' when stdout is backed up (a 1 GB capture must not pile up in memory), and stops quietly
 * when the reader goes away (`rstlab decode big.pcap | head`): `closed` turns true and producers stop.
 */
import type { Writable } from 'node:stream'

const CHUNK = 64 * 1024

/**
 * Resolves on the stream's next 'drain' or 'close', whichever comes first, and removes both listeners
 * then (a race of two `once()` promises left the loser's listener behind on every wait, so a slow
 * reader piled up listeners until Node warned MaxListenersExceeded). Also settles on 'error' (EPIPE).
 */
export function drainOrClose (out: Writable): Promise<void> {
  return new Promise(resolve => {
    const done = (): void => {
      out.off('drain', done)
      out.off('close', done)
      out.off('error', done)
      resolve()
    }
    out.on('drain', done)
    out.on('close', done)
    out.on('error', done)
  })
}

export class LineSink {
  private buf = ''
  /** Set once the other end closed the pipe: callers may stop producing. */
  closed = false

  constructor (private readonly out: Writable = process.stdout) {
    out.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') { this.closed = true; return }
      throw err
    })
  }

  /** Queue one line (without its newline). Resolves at once unless output must drain. */
  async line (text: string): Promise<void> {
    this.buf += text + '\n'
    if (this.buf.length >= CHUNK) await this.flush()
  }

  /** Queue one line synchronously (for hooks called inside synchronous code); pair with `drain()`. */
  push (text: string): void {
    this.buf += text + '\n'
  }

  /** Characters queued and not yet written. */
  get pending (): number {
    return this.buf.length
  }

  /** Flush if enough has been queued; cheap to call per packet. */
  async drain (): Promise<void> {
    if (this.buf.length >= CHUNK) await this.flush()
  }

  /** Write a chunk of ready lines (bytes, each line ending in a newline) after what is queued. */
  async bytes (chunk: Uint8Array): Promise<void> {
    await this.flush()
    if (this.closed || this.out.destroyed) return
    if (!this.out.write(chunk)) await drainOrClose(this.out)
  }

  async flush (): Promise<void> {
    if (this.buf.length === 0 || this.closed || this.out.destroyed) { this.buf = ''; return }
    const chunk = this.buf
    this.buf = ''
    if (!this.out.write(chunk)) await drainOrClose(this.out)
  }
}
