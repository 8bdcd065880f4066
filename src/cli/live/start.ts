/**
 * Shared start-up for `rstlab bridge` and `rstlab tap`: pino logger, policy loader, engine factory,
 * runner, and the exit once it stops.
 */
import pino from 'pino'
import { RstlabError } from '../../errors.js'
import type { Policy } from '../../policy/types.js'
import type { PacketEngine } from '../../engine/types.js'
import { LiveRunner, type RunnerOptions } from './runner.js'
import { loadPolicyFile } from '../../policy/load.js'
import { loadPolicyInWorker } from './reload-worker.js'
import { Engine } from '../../engine/engine.js'
import { isLiveChild, superviseLive } from './supervise.js'
import type { LogFormat } from '../../logs/panos-format.js'
import { parseSyslogTarget, type SyslogFormat, type SyslogTarget } from '../../logs/syslog.js'
import { SyslogSink } from '../../egress/syslog.js'
import { hostname } from 'node:os'
import { randomInt } from 'node:crypto'
import { LogBatch, type LogDest } from './log-batch.js'

/**
 * The log destinations' limits (see log-batch.ts): write up to 1 MB at a time, so the file keeps up with
 * a flood of short sessions even when the event loop turns slowly; past 64 MB waiting, drop and count.
 */
const LOG_DEST_LIMITS = { maxWrite: 1024 * 1024, maxLength: 64 * 1024 * 1024, contentMode: 'buffer' as const }

/** A SonicBoom made with contentMode 'buffer' takes Buffers, which its type (string writes) does not say. */
const bufferDest = (d: unknown): LogDest => d as LogDest

export interface StartArgs extends Omit<RunnerOptions, 'checkOffloads' | 'panosFormat' | 'pinoRecords'> {
  logFile?: string | undefined
  allowOffloads: boolean
  /** `--log-format` (default pino). */
  logFormat?: LogFormat
  /** `--syslog HOST:PORT[/udp|/tcp]` and `--syslog-format`. */
  syslog?: string | undefined
  syslogFormat?: SyslogFormat
  /** `--seed`: the engine's seed; a new random one when undefined (PAN-OS draws its own per boot). */
  seed?: number | undefined
}

/** `--syslog` checked before anything starts. @throws {RstlabError} RSTLAB_ERR_USAGE */
export function syslogTarget (spec: string): SyslogTarget {
  const t = parseSyslogTarget(spec)
  if (typeof t === 'string') throw new RstlabError('RSTLAB_ERR_USAGE', t, 'e.g. --syslog 127.0.0.1:514/udp or --syslog 198.18.0.9:6514/tcp')
  return t
}

export async function startLive (args: StartArgs): Promise<never> {
  if (!isLiveChild() && process.env.RSTLAB_NO_SUPERVISOR === undefined) process.exit(await superviseLive(args.interfaces))
  let dest: LogBatch
  try {
    dest = new LogBatch(bufferDest(args.logFile !== undefined
      ? pino.destination({ dest: args.logFile, sync: false, mkdir: true, ...LOG_DEST_LIMITS })
      : pino.destination({ dest: 2, sync: false, ...LOG_DEST_LIMITS })))   // logs go to stderr; stdout holds results (the final counters)
  } catch (e) {
    throw new RstlabError('RSTLAB_ERR_IO', `cannot open the log file ${args.logFile ?? ''}: ${(e as Error).message}`, 'check the path and its permissions')
  }
  const format = args.logFormat ?? 'pino'
  // With json/csv the log file holds only PAN-OS lines; pino's system, forge and trace lines go to stderr.
  const sysDest = format !== 'pino' && args.logFile !== undefined ? new LogBatch(bufferDest(pino.destination({ dest: 2, sync: false, ...LOG_DEST_LIMITS }))) : dest
  const log = pino({ level: args.trace ? 'debug' : 'info', base: { pid: process.pid } }, sysDest)
  const note = (line: string): void => { process.stderr.write(line + '\n') }
  const sink = args.syslog !== undefined
    ? new SyslogSink(syslogTarget(args.syslog), { format: args.syslogFormat ?? 'bsd', hostname: hostname(), warn: note })
    : undefined
  // json/csv: PAN-OS lines on the log stream (instead of pino records); the syslog sink gets the same
  // lines (csv when the log stays pino, as PAN-OS sends its syslog).
  const panosFormat = format !== 'pino' ? format : sink !== undefined ? 'csv' : undefined
  const logLine = panosFormat === undefined
    ? undefined
    : (line: string, severity: number): void => {
        if (format !== 'pino') dest.write(line + '\n')
        sink?.send(line, severity)
      }
  // Each start draws its own seed, as a firewall's SYN-cookie secret is its own per boot: a fixed
  // one made every run's coin flips and cookie keys the same. `--seed` repeats a run.
  const seed = args.seed ?? randomInt(0x100000000)
  log.info({ log: 'system', seed, seedGiven: args.seed !== undefined }, 'engine seed')
  const runner = new LiveRunner({ ...args, checkOffloads: !args.allowOffloads, panosFormat, pinoRecords: format === 'pino' }, {
    loadPolicy: (p: string): Policy => loadPolicyFile(p),
    loadPolicyOffThread: (p, current, ports) => loadPolicyInWorker(p, current, undefined, ports),
    makeEngine: (policy, hooks, portNames): PacketEngine => new Engine({ policy, hooks, portNames, seed }),
    log,
    pinoDest: sysDest,
    logDropped: () => dest.dropped + (sysDest !== dest ? sysDest.dropped : 0),
    note,
    result: text => process.stdout.write(text + '\n'),
    ...(logLine !== undefined ? { logLine } : {}),
  })
  try {
    await runner.start()
  } catch (e) {
    await sink?.close(0)
    throw e
  }
  const code = await runner.done
  if (sink !== undefined) {
    const r = await sink.close()
    note(`rstlab: syslog ${sink.name}: ${r.sent} line(s) sent, ${r.failed} failed`)
    log.info({ log: 'system', syslog: sink.name, sent: r.sent, failed: r.failed }, 'syslog closed')
  }
  // Every line written before the exit, in order (a write in flight included: see LogBatch.end).
  try { await dest.end() } catch { /* nothing left to write */ }
  if (sysDest !== dest) { try { await sysDest.end() } catch { /* nothing left to write */ } }
  process.exit(code)
}
