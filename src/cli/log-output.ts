/**
 * `--log-format pino|json|csv` for replay, run and bridge: where traffic/threat records become lines.
 * `pino` is the historical shape (pino JSON lines with the engine's field names, mixed with system
 * lines); `json` and `csv` are PAN-OS's shapes (logs/panos-format.ts), one record per line and nothing
 * else on that stream. See docs/logs.md.
 */
import type { Argv } from 'yargs'
import type { ThreatLogRecord, TrafficLogRecord } from '../engine/types.js'
import { LOG_FORMATS, PanosLogFormatter, type LogContext, type LogFormat } from '../logs/panos-format.js'
import { ascii, type Ascii, type ByteLines } from './byte-lines.js'

/** The yargs option, shared by the commands that write logs. */
export function logFormatOption<T> (y: Argv<T>): Argv<T> {
  return y.option('log-format', {
    choices: LOG_FORMATS as LogFormat[], default: 'pino' as LogFormat,
    describe: 'traffic/threat log lines: pino (JSON with rstlab field names, the default), json (PAN-OS field names) ' +
      'or csv (PAN-OS syslog field order); docs/logs.md',
  }) as unknown as Argv<T>
}

/** Something lines can be written to (a SonicBoom / pino destination, a stream). */
export interface LineDest { write (chunk: string): unknown }

/**
 * Buffers lines and hands them to `dest` in chunks of at least `chunk` characters (0: every line at
 * once, for the bridge). `flush()` writes what is left.
 */
export class LogLines {
  private buf = ''
  /** Lines written (for summaries and tests). */
  count = 0
  constructor (private readonly dest: LineDest, private readonly chunk = 64 * 1024, private readonly also?: (line: string) => void) {}
  line (text: string): void {
    this.also?.(text)
    this.write(text + '\n')
  }

  /**
   * Text that already ends in a newline (a pino destination's `write`: hand `new LogLines(dest)` to
   * `pino()` and its lines are written a chunk at a time; a pino line counts as one).
   */
  write (text: string): boolean {
    this.count++
    this.buf += text
    if (this.buf.length >= this.chunk) this.flush()
    return true
  }

  flush (): void {
    if (this.buf.length === 0) return
    const b = this.buf
    this.buf = ''
    this.dest.write(b)
  }
}

/** Engine hooks that render records as `format` lines into `out`. */
export function panosHooks (format: 'json' | 'csv', ctx: LogContext, out: LogLines): {
  trafficLog: (rec: TrafficLogRecord) => void
  threatLog: (rec: ThreatLogRecord) => void
  formatter: PanosLogFormatter
} {
  const f = new PanosLogFormatter(ctx)
  return {
    formatter: f,
    trafficLog: format === 'csv' ? rec => { out.line(f.trafficCsv(rec)) } : rec => { out.line(f.trafficJson(rec)) },
    threatLog: format === 'csv' ? rec => { out.line(f.threatCsv(rec)) } : rec => { out.line(f.threatJson(rec)) },
  }
}

/**
 * The line pino writes for `logger[level]({ ...rec, log }, msg)` on the live runner's logger (`base:
 * { pid }`, pino's default epoch-ms `time`), built directly: one string, no copy of the record, none of
 * pino's per-call machinery. Under a flood of short sessions the pino call was most of the bridge's
 * time per session. Values must be strings, finite or non-finite numbers, booleans, null or undefined
 * (what the engine's log records hold); for anything else this returns undefined and the caller goes
 * through pino. test/cli/pino-line.test.ts checks it against pino's own output.
 */
export function pinoRecordLine (level: number, timeMs: number, pid: number, rec: object, log: string, msg: string): string | undefined {
  const fields = pinoFields(rec)
  return fields === undefined ? undefined : `{"level":${level},"time":${timeMs},"pid":${pid}${fields},"log":${JSON.stringify(log)},"msg":${JSON.stringify(msg)}}\n`
}

const NODE_MAJOR = Number(process.versions.node.split('.')[0])

/**
 * A string value as pino writes it: pino (before Node 25) escapes only quotes and backslashes in a
 * string of at most 100 characters without control characters, and leaves everything else, lone
 * surrogates included, to the UTF-8 encoder; other strings, and all of them from Node 25, go through
 * JSON.stringify. Quoting a plain string here is cheaper than JSON.stringify, and most log values
 * (names, addresses) are plain.
 */
function pinoString (v: string): string {
  if (NODE_MAJOR >= 25 || v.length > 100) return JSON.stringify(v)
  let quoteOrBackslash = false
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i)
    if (c < 32) return JSON.stringify(v)
    if (c === 34 || c === 92) quoteOrBackslash = true
  }
  return quoteOrBackslash ? `"${v.replace(/["\\]/g, '\\$&')}"` : `"${v}"`
}

/** `{"level":N,"time":` by level, `,"pid":`, and `,"log":"L","msg":"M"}` + newline by (log, msg). */
const LEVEL_LITS = new Map<number, Ascii>()
const PID_LIT = ascii(',"pid":')
const TAIL_LITS = new Map<string, Ascii>()
/** A log or msg name written raw as bytes must be printable ASCII without quote or backslash. */
const PLAIN = /^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/

/** A string value as pinoString writes it, into `o`: plain printable ASCII byte by byte, anything else through pinoString. */
function pinoStringBytes (o: ByteLines, v: string): void {
  if (NODE_MAJOR < 25 && v.length <= 100) {
    o.reserve(v.length + 2)
    const b = o.buf
    let p = o.pos
    b[p++] = 34
    let i = 0
    for (; i < v.length; i++) {
      const c = v.charCodeAt(i)
      if (c < 32 || c > 126 || c === 34 || c === 92) break
      b[p++] = c
    }
    if (i === v.length) { b[p++] = 34; o.pos = p; return }
  }
  o.text(pinoString(v))
  // `text` leaves only the chunk's own room after it: make the record's room again.
  o.reserve(TRAFFIC_ROOM)
}

/** `,"key":` of every traffic-log record field, in the order the engine's records hold them. */
const T = {
  type: ascii(',"type":'), subtype: ascii(',"subtype":'), sessionId: ascii(',"sessionId":'), rule: ascii(',"rule":'),
  action: ascii(',"action":'), application: ascii(',"application":'), fromZone: ascii(',"fromZone":'), toZone: ascii(',"toZone":'),
  src: ascii(',"src":'), sport: ascii(',"sport":'), dst: ascii(',"dst":'), dport: ascii(',"dport":'), proto: ascii(',"proto":'),
  bytesC2s: ascii(',"bytesC2s":'), bytesS2c: ascii(',"bytesS2c":'), packetsC2s: ascii(',"packetsC2s":'), packetsS2c: ascii(',"packetsS2c":'),
  startUs: ascii(',"startUs":'), elapsedS: ascii(',"elapsedS":'), endUs: ascii(',"endUs":'), endReason: ascii(',"endReason":'),
}
/** The keys of a traffic-log record, in that order (what `for…in` gives for the engine's records). */
export const TRAFFIC_KEYS = Object.keys(T) as Array<keyof TrafficLogRecord>

/**
 * Room trafficRecordBytes reserves once: its literals (under 400 bytes), 21 values of at most 102
 * bytes each on the paths that do not check for themselves (plain strings of at most 100 characters,
 * numbers of at most 17 digits).
 */
const TRAFFIC_ROOM = 400 + 21 * 102
function kstr (o: ByteLines, key: Ascii, v: string | undefined): void {
  if (v === undefined) return
  o.lit(key)
  pinoStringBytes(o, v)
}
function knum (o: ByteLines, key: Ascii, v: number | undefined): void {
  if (v === undefined) return
  o.lit(key)
  o.num(v)
  // A number that is not a safe integer went through `text` (see pinoStringBytes).
  if (!Number.isSafeInteger(v)) o.reserve(TRAFFIC_ROOM)
}

/**
 * pinoRecordLine's bytes for an engine traffic-log record, written straight into `o` (the live
 * runner's log chunk), field by field: no string per line for the UTF-8 encoder to flatten and copy
 * (under a flood of short sessions that was the largest single cost of a session), and no walk over
 * the record's keys. The same bytes when the record holds exactly TRAFFIC_KEYS in that order, as the
 * engine's records do: test/cli/pino-line.test.ts checks both on every record of the shared captures
 * and on awkward values. False, with nothing written, when `log` or `msg` is not plain ASCII.
 */
export function trafficRecordBytes (o: ByteLines, level: number, timeMs: number, pid: number, r: TrafficLogRecord, log: string, msg: string): boolean {
  const start = o.pos
  o.reserve(TRAFFIC_ROOM)
  let head = LEVEL_LITS.get(level)
  if (head === undefined) LEVEL_LITS.set(level, head = ascii(`{"level":${level},"time":`))
  o.lit(head); o.num(timeMs); o.lit(PID_LIT); o.num(pid)
  kstr(o, T.type, r.type); kstr(o, T.subtype, r.subtype); knum(o, T.sessionId, r.sessionId); kstr(o, T.rule, r.rule)
  kstr(o, T.action, r.action); kstr(o, T.application, r.application); kstr(o, T.fromZone, r.fromZone); kstr(o, T.toZone, r.toZone)
  kstr(o, T.src, r.src); knum(o, T.sport, r.sport); kstr(o, T.dst, r.dst); knum(o, T.dport, r.dport); kstr(o, T.proto, r.proto)
  knum(o, T.bytesC2s, r.bytesC2s); knum(o, T.bytesS2c, r.bytesS2c); knum(o, T.packetsC2s, r.packetsC2s); knum(o, T.packetsS2c, r.packetsS2c)
  knum(o, T.startUs, r.startUs); knum(o, T.elapsedS, r.elapsedS); knum(o, T.endUs, r.endUs); kstr(o, T.endReason, r.endReason)
  const tailKey = `${log}\u0000${msg}`
  let tail = TAIL_LITS.get(tailKey)
  if (tail === undefined) {
    if (!PLAIN.test(log) || !PLAIN.test(msg)) { o.pos = start; return false }
    TAIL_LITS.set(tailKey, tail = ascii(`,"log":"${log}","msg":"${msg}"}\n`))
  }
  o.reserve(tail.length)
  o.lit(tail)
  return true
}

/** Whether `rec` holds exactly the traffic-log keys, in their order (trafficRecordBytes then writes pino's bytes for it). */
export function trafficKeysInOrder (rec: object): boolean {
  const k = Object.keys(rec)
  return k.length === TRAFFIC_KEYS.length && k.every((x, i) => x === TRAFFIC_KEYS[i])
}

/**
 * The record's members as pino serialises them inside its line (`,"key":value` each, in order, keys
 * as they are: the engine's keys need no escaping), or undefined when a value is not a string,
 * number, boolean, null or undefined.
 */
export function pinoFields (rec: object): string | undefined {
  let s = ''
  const r = rec as Record<string, unknown>
  for (const k in r) {
    const v = r[k]
    switch (typeof v) {
      case 'string': s += `,"${k}":${pinoString(v)}`; break
      case 'number': s += `,"${k}":${Number.isFinite(v) ? String(v) : 'null'}`; break
      case 'boolean': s += `,"${k}":${String(v)}`; break
      case 'undefined': break
      default:
        if (v !== null) return undefined
        s += `,"${k}":null`
    }
  }
  return s
}
