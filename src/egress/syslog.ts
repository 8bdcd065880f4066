/**
 * The syslog sink of `rstlab bridge --syslog HOST:PORT[/udp|/tcp]`: sends each log line, framed by
 * logs/syslog.ts, to one collector. Nothing is lost silently:
 *
 * - every line is counted as `sent` (handed to the kernel) or `failed` (an error said it could not
 *   be sent, or it was still queued when the sink closed, or the queue was full);
 * - the first failure after a good period is reported through `warn`, with the reason and what to do;
 *   `close()` reports the totals.
 *
 * UDP: one datagram per message on a connected socket, so the kernel's "port unreachable" surfaces as
 * an error (ECONNREFUSED) and is counted; UDP cannot confirm delivery beyond that. TCP: lines queue
 * (up to `maxQueue`) while connecting or reconnecting (one attempt per `retryMs`), then are written in
 * order; a write that fails is counted as failed.
 */
import dgram from 'node:dgram'
import net from 'node:net'
import { isIP } from 'node:net'
import { syslogMessage, tcpFrame, type SyslogFormat, type SyslogTarget } from '../logs/syslog.js'

export interface SyslogSinkOptions {
  format: SyslogFormat
  /** HOSTNAME field (os.hostname() in the CLI). */
  hostname: string
  /** A human warning (stderr in the CLI). */
  warn: (line: string) => void
  /** Wall clock in ms (tests pass a fixed one). */
  nowMs?: () => number
  maxQueue?: number
  retryMs?: number
}

export class SyslogSink {
  sent = 0
  failed = 0
  private readonly nowMs: () => number
  private readonly maxQueue: number
  private readonly retryMs: number
  private udp: dgram.Socket | undefined
  private tcp: net.Socket | undefined
  private connected = false
  /** The last connection attempt failed (queued lines wait for the next one). */
  private down = false
  private closing = false
  /** Messages (already framed for TCP) waiting for the connection. */
  private queue: string[] = []
  /** Sends handed to the socket whose callback has not come yet. */
  private inFlight = 0
  private healthy = true
  private retry: NodeJS.Timeout | undefined
  private idle: Array<() => void> = []
  /** Set by close(): late callbacks no longer count (their lines were counted as failed). */
  private done = false

  constructor (readonly target: SyslogTarget, private readonly opts: SyslogSinkOptions) {
    this.nowMs = opts.nowMs ?? Date.now
    this.maxQueue = opts.maxQueue ?? 10_000
    this.retryMs = opts.retryMs ?? 1000
    if (target.transport === 'udp') this.openUdp(); else this.openTcp()
  }

  /** `HOST:PORT/udp` as given. */
  get name (): string {
    const h = this.target.host.includes(':') ? `[${this.target.host}]` : this.target.host
    return `${h}:${this.target.port}/${this.target.transport}`
  }

  private fail (n: number, why: string): void {
    this.failed += n
    if (!this.healthy) return
    this.healthy = false
    this.opts.warn(`rstlab: warning: syslog collector ${this.name}: ${why}; log lines that cannot be sent are counted ` +
      '(the final summary says how many) and still written to the log file/stderr')
  }

  private ok (): void {
    this.sent++
    // A UDP send "succeeds" even toward a closed port (the refusal comes later): only TCP proves recovery.
    if (!this.healthy && this.tcp !== undefined) { this.healthy = true; this.opts.warn(`rstlab: syslog collector ${this.name} reachable again`) }
  }

  private openUdp (): void {
    const fam = isIP(this.target.host) === 6 ? 'udp6' : 'udp4'
    const s = dgram.createSocket(fam)
    this.udp = s
    s.on('error', (e: NodeJS.ErrnoException) => {
      if (!this.connected) this.down = true
      // ECONNREFUSED: the kernel got "port unreachable" for a datagram already counted as sent.
      const refused = e.code === 'ECONNREFUSED' && this.sent > 0 && !this.done
      if (refused) this.sent--
      this.fail(refused ? 1 : 0, e.code ?? e.message)
      this.settle()
    })
    s.connect(this.target.port, this.target.host, () => {
      this.up()
    })
  }

  /** The collector is reachable: send what was queued while it was not. */
  private up (): void {
    this.connected = true
    this.down = false
    const q = this.queue
    this.queue = []
    for (const m of q) this.transmit(m)
    this.settle()
  }

  private transmit (m: string): void {
    this.inFlight++
    if (this.udp !== undefined) this.udp.send(m, this.afterSend); else this.tcp!.write(m, this.afterSend)
  }

  /** One line's send finished (either transport). */
  private readonly afterSend = (err?: Error | null): void => {
    if (this.done) return
    this.inFlight--
    if (err !== null && err !== undefined) this.fail(1, (err as NodeJS.ErrnoException).code ?? err.message)
    else this.ok()
    this.settle()
  }

  private openTcp (): void {
    this.retry = undefined
    const s = net.createConnection({ host: this.target.host, port: this.target.port })
    this.tcp = s
    s.setNoDelay(true)
    s.on('connect', () => {
      this.up()
    })
    s.on('error', (e: NodeJS.ErrnoException) => { this.fail(0, `${e.code ?? e.message} (lines are queued while it is down, up to ${this.maxQueue})`) })
    s.on('close', () => {
      this.connected = false
      this.down = true
      this.tcp = undefined
      if (this.closing) { this.dropQueue('the bridge stopped before the collector took them'); this.settle(); return }
      if (this.retry === undefined) this.retry = setTimeout(() => this.openTcp(), this.retryMs)
      this.settle()
    })
  }

  private dropQueue (why: string): void {
    if (this.queue.length === 0) return
    const n = this.queue.length
    this.queue = []
    this.fail(n, why)
  }

  /** Send one PAN-OS log line with its syslog severity. */
  send (line: string, severity: number): void {
    const msg = syslogMessage(this.opts.format, line, { timeMs: this.nowMs(), host: this.opts.hostname, severity })
    const framed = this.target.transport === 'tcp' ? tcpFrame(this.opts.format, msg) : msg
    if (this.connected && !this.closing) {
      this.transmit(framed)
      return
    }
    if (this.queue.length >= this.maxQueue) { this.fail(1, `queue full (${this.maxQueue} lines) while the collector is unreachable`); return }
    this.queue.push(framed)
  }

  /** Nothing more will happen without a new connection: no send pending, and the queue empty or the collector down. */
  private get quiet (): boolean {
    return this.inFlight === 0 && (this.queue.length === 0 || this.down)
  }

  private settle (): void {
    if (!this.quiet) return
    const w = this.idle
    this.idle = []
    for (const f of w) f()
  }

  /** Wait (up to `timeoutMs`) for queued and in-flight lines, then close; what is left counts as failed. */
  async close (timeoutMs = 2000): Promise<{ sent: number, failed: number }> {
    const waitIdle = new Promise<void>(resolve => {
      if (this.quiet) resolve(); else this.idle.push(resolve)
    })
    let timer: NodeJS.Timeout | undefined
    await Promise.race([waitIdle, new Promise<void>(resolve => { timer = setTimeout(resolve, timeoutMs) })])
    clearTimeout(timer)
    this.closing = true
    if (this.retry !== undefined) clearTimeout(this.retry)
    this.dropQueue('the collector was unreachable when the bridge stopped')
    if (this.inFlight > 0) { this.failed += this.inFlight; this.inFlight = 0 }
    this.done = true
    if (this.udp !== undefined) { try { this.udp.close() } catch { /* closed */ } }
    if (this.tcp !== undefined) {
      const s = this.tcp
      await new Promise<void>(resolve => {
        const t = setTimeout(() => { s.destroy(); resolve() }, 500)
        s.once('close', () => { clearTimeout(t); resolve() })
        s.end()
      })
    }
    return { sent: this.sent, failed: this.failed }
  }
}
