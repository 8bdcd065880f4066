/**
 * `rstlab replay IN --policy P.yaml [--out OUT.pcapng] [--summary text|json] [--trace] [--log FILE] [--explain]`
 *
 * Runs a capture through the firewall with the capture's timestamps as the clock (see
 * ingress/replay.ts). `--out` gets every emitted frame (pcapng: forged ones carry a comment).
 * stdout: the summary (text table, or one JSON object). Traffic/threat logs (`--log-format pino|json|csv`,
 * docs/logs.md) on stderr or `--log FILE`. `--trace`: per-packet trace lines on stdout (on stderr with
 * `--summary json`, so stdout stays one JSON object). `--explain`: after the summary, `rstlab explain`
 * on what each side of the firewall saw (in the JSON object as `explain`). `--commit TIME=POLICY[:rematch]`
 * (repeatable) changes the policy at a capture time, as the scenario `commit` step does. Exit 0, or 2 for bad
 * arguments or files.
 */
import type { Argv, CommandModule } from 'yargs'
import { pino, type Logger } from 'pino'
import { loadPolicyFile } from '../../policy/load.js'
import { PcapngWriter } from '../../pcap/index.js'
import { replayFile, checkCommitOrder, type ReplayCommit, type ReplaySummary } from '../../ingress/replay.js'
import { counterDefs, formatCounterGlobal } from '../../engine/counters.js'
import { formatTimeUs } from '../../wire/format.js'
import type { EngineHooks, TraceEvent } from '../../engine/types.js'
import { traceStage, traceText } from '../../engine/trace-text.js'
import { LineSink } from '../lines.js'
import { formatSessionTable, type SessionView } from '../../control/format.js'
import type { SessionState } from '../../engine/types.js'
import { RstlabError } from '../../errors.js'
import { statSync } from 'node:fs'
import { LogLines, logFormatOption, panosHooks, pinoFields, type LineDest } from '../log-output.js'
import type { LogFormat } from '../../logs/panos-format.js'
import { SideExplainer } from '../../explain/index.js'
import { explainWiresJson, explainWiresText } from './explain.js'

interface ReplayArgs {
  input: string
  policy: string
  out?: string
  summary: 'text' | 'json'
  trace: boolean
  log?: string
  quiet: boolean
  sessions: string
  'log-format'?: LogFormat
  explain?: boolean
  commit?: string[]
}

/** `2.5` (seconds after the first frame) or `@1700000002.5` (a capture timestamp), to µs. */
const COMMIT_TIME = /^(@?)(\d{1,12})(?:\.(\d{1,6}))?$/

/**
 * One `--commit TIME=POLICY[:rematch]`: the time and the policy, loaded and checked now, before the
 * replay starts (a bad one stops the command before anything is read or written).
 * @throws {RstlabError} RSTLAB_ERR_USAGE for a bad form or time; the loader's code for a bad policy.
 */
export function parseCommit (arg: string, load: (file: string) => ReplayCommit['policy'] = loadPolicyFile): ReplayCommit {
  const form = 'the form is --commit TIME=POLICY[:rematch], TIME in seconds after the first frame (2.5) or an absolute capture time (@1700000002.5)'
  const eq = arg.indexOf('=')
  if (eq < 0) throw new RstlabError('RSTLAB_ERR_USAGE', `--commit ${arg}: no \`=\` between the time and the policy`, form)
  const time = arg.slice(0, eq).trim()
  let file = arg.slice(eq + 1)
  const m = COMMIT_TIME.exec(time)
  if (m === null) {
    throw new RstlabError('RSTLAB_ERR_USAGE', `--commit ${arg}: \`${time}\` is not a time in seconds (at most 6 decimals, not negative)`, form)
  }
  const timeUs = Number(m[2]) * 1e6 + Number((m[3] ?? '').padEnd(6, '0'))
  const rematch = file.endsWith(':rematch')
  if (rematch) file = file.slice(0, -':rematch'.length)
  if (file === '') throw new RstlabError('RSTLAB_ERR_USAGE', `--commit ${arg}: no policy file after \`=\``, form)
  let policy
  try {
    policy = load(file)
  } catch (e) {
    if (e instanceof RstlabError) throw new RstlabError(e.code, `--commit ${arg}: ${e.message}`, e.hint ?? 'the commit was refused whole; nothing was replayed')
    throw e
  }
  return { timeUs, absolute: m[1] === '@', policy, rematch, label: arg }
}

/** Inputs at least this large get a progress line (when stderr is a terminal). */
export const PROGRESS_MIN_BYTES = 64 * 1024 * 1024

/** `rstlab: replay 12% 32.1/266.0 MiB, 121000 frames, 410000 frames/s, ETA 3 s` (no newline). */
export function progressLine (bytes: number, total: number, frames: number, elapsedS: number): string {
  const rate = elapsedS > 0 ? frames / elapsedS : 0
  const bps = elapsedS > 0 ? bytes / elapsedS : 0
  const eta = bps > 0 ? Math.max(0, (total - bytes) / bps) : 0
  const mib = (n: number): string => (n / 1048576).toFixed(1)
  return `rstlab: replay ${total > 0 ? Math.floor(100 * bytes / total) : 0}% ${mib(bytes)}/${mib(total)} MiB, ${frames} frames, ` +
    `${Math.round(rate)} frames/s, ETA ${Math.ceil(eta)} s`
}

export function traceLine (ev: TraceEvent): string {
  return `${formatTimeUs(ev.timeUs)} ${ev.sessionId === 0 ? '-' : `#${ev.sessionId}`} ${traceStage(ev)}: ${traceText(ev)}`
}

/** Sessions listed by the text summary unless `--sessions` says otherwise. */
export const DEFAULT_SESSIONS = 20

/** The human summary: frames, sessions table (`show session all` layout), `show counter global`-style counters. */
export function formatReplaySummary (s: ReplaySummary, input: string, limit: number | 'all' = DEFAULT_SESSIONS): string {
  const lines: string[] = []
  const spanS = Math.max(0, (s.lastUs - s.firstUs) / 1e6)
  lines.push(`Replay of ${input}: ${s.frames.in} frames over ${spanS.toFixed(3)} s of capture time`)
  lines.push(`frames: in ${s.frames.in}, forwarded ${s.frames.forwarded}, dropped ${s.frames.dropped}, forged ${s.frames.forged}`)
  for (const c of s.commits) {
    lines.push(`commit ${c.label}: applied at ${formatTimeUs(c.atUs)}${c.rematch ? ', open sessions matched again' : ''}, ${c.forged} frame(s) forged`)
  }
  if (s.endOfInput.sessionsEnded > 0) {
    lines.push(`end of input: ${s.endOfInput.sessionsEnded} session(s) still open; the clock ran on ` +
      `${((s.endOfInput.untilUs - s.lastUs) / 1e6).toFixed(3)} s past the last frame until each aged out (logged with its end reason)`)
  }
  lines.push('')
  lines.push(`Sessions: ${s.sessionCount}`)
  // The `show session all` layout of the control socket, first `limit` sessions.
  const shown = limit === 'all' ? s.sessions : s.sessions.slice(0, limit)
  lines.push(formatSessionTable(shown.map(x => ({
    ...x, state: x.state as SessionState, endReason: null, timeoutS: 0, expiresUs: 0,
    startTime: '', ingress: '', egress: '', remainingS: 0,
  } as unknown as SessionView))).trimEnd())
  const rest = s.sessionCount - shown.length
  if (rest > 0) lines.push(`... ${rest} more session(s) not shown (--sessions all lists every one; --summary json has them all)`)
  lines.push('')
  lines.push(formatCounterGlobal(s.counters, counterDefs, { elapsedS: spanS }).trimEnd())
  return lines.join('\n') + '\n'
}

function logDest (file: string | undefined): ReturnType<typeof pino.destination> {
  try {
    return file === undefined ? pino.destination({ fd: 2, sync: true }) : pino.destination({ dest: file, sync: true })
  } catch (err) {
    throw new RstlabError('RSTLAB_ERR_IO', `cannot write log file ${file ?? '(stderr)'}: ${(err as Error).message}`, 'check the directory exists and is writable')
  }
}

function makeLogger (dest: LineDest, clock: { us: number }): Logger {
  // Log times are capture times (ms), not the wall clock: a replay's log is reproducible.
  return pino({ base: undefined, timestamp: () => `,"time":${Math.floor(clock.us / 1000)}` }, dest as pino.DestinationStream)
}

/** `--sessions N|all`. @throws {RstlabError} RSTLAB_ERR_USAGE for anything else. */
function sessionLimit (v: string): number | 'all' {
  if (v === 'all') return 'all'
  if (/^\d+$/.test(v)) return Number(v)
  throw new RstlabError('RSTLAB_ERR_USAGE', `--sessions takes a number or \`all\`, not \`${v}\``, 'e.g. --sessions 50 or --sessions all')
}

export async function runReplay (argv: ReplayArgs): Promise<void> {
  const limit = sessionLimit(argv.sessions)
  const policy = loadPolicyFile(argv.policy)
  // Every commit is loaded and checked before the capture is opened or --out created.
  const commits = (argv.commit ?? []).map(a => parseCommit(a))
  checkCommitOrder(commits)
  const writer = argv.out === undefined ? undefined : await PcapngWriter.open(argv.out)
  const clock = { us: 0 }
  const format = argv['log-format'] ?? 'pino'
  const dest = logDest(argv.log)
  // Log lines reach the destination 64 KiB at a time (one write per line was 7 % of a large replay);
  // they are flushed before any other stderr write and at the end, so nothing is lost or reordered.
  const logLines = new LogLines(dest)
  // json/csv: the log stream holds only PAN-OS lines; other pino lines (policy commits) go to stderr.
  const log = makeLogger(format === 'pino' ? logLines : argv.log === undefined ? dest : logDest(undefined), clock)
  const traceSink = new LineSink(argv.summary === 'json' ? process.stderr : process.stdout)
  let hooks: EngineHooks
  if (format === 'pino') {
    // The line pino would write for `log.info(rec, msg)` on this logger (no base, capture-ms time),
    // built in one string: pino's own call was the largest allocation of a replay.
    const info = (rec: object, msg: string): void => {
      const f = pinoFields(rec)
      if (f === undefined) log.info(rec, msg); else logLines.write(`{"level":30,"time":${Math.floor(clock.us / 1000)}${f},"msg":"${msg}"}\n`)
    }
    hooks = {
      trafficLog: (rec) => { clock.us = rec.startUs + rec.elapsedS * 1e6; info(rec, 'traffic') },
      threatLog: (rec) => { clock.us = rec.timeUs; info(rec, 'threat') },
    }
  } else {
    // PAN-OS shapes; times are the capture's (engine µs are capture µs since the epoch).
    const h = panosHooks(format, { wallMs: us => us / 1000 }, logLines)
    hooks = { trafficLog: h.trafficLog, threatLog: h.threatLog }
  }
  // The engine calls hooks synchronously: trace lines are queued and flushed between frames.
  if (argv.trace) hooks.trace = (ev) => { traceSink.push(traceLine(ev)) }
  const onCommit = (c: ReplayCommit, atUs: number, forged: number): void => {
    const line = `${formatTimeUs(atUs)} - policy: commit ${c.label}${c.rematch ? ' (open sessions matched again)' : ''}, ${forged} frame(s) forged`
    if (argv.trace) traceSink.push(line)
    else log.info({ commit: c.label, rematch: c.rematch, forged, timeUs: atUs }, 'commit')
  }
  let summary: ReplaySummary
  const sides = argv.explain === true ? new SideExplainer() : undefined
  // Progress on a terminal only, for large inputs (a pipe or file gets nothing), off with --quiet.
  let size = 0
  try { size = statSync(argv.input).size } catch { /* replayFile reports it */ }
  const minBytes = Number(process.env.RSTLAB_PROGRESS_MIN_BYTES ?? PROGRESS_MIN_BYTES)
  const progress = !argv.quiet && process.stderr.isTTY === true && size >= minBytes
  const t0 = process.hrtime.bigint()
  let lastShown = -1
  let shown = false
  const onProgress = progress
    ? (p: { frames: number, bytes: number }): void => {
        const el = Number(process.hrtime.bigint() - t0) / 1e9
        if (lastShown >= 0 && el - lastShown < 0.25) return
        lastShown = el
        shown = true
        process.stderr.write(`\r${progressLine(p.bytes, size, p.frames, el)}\x1b[K`)
      }
    : undefined
  try {
    summary = await replayFile(argv.input, {
      onProgress,
      policy,
      commits,
      onCommit,
      hooks,
      out: writer,
      wire: sides,
      // The text summary lists the first `limit`; the JSON one every session.
      keepSessions: argv.summary === 'json' ? 'all' : limit,
      afterFrame: argv.trace ? async () => { await traceSink.drain() } : undefined,
      onWarning: (w) => { logLines.flush(); process.stderr.write(`rstlab: warning: ${argv.input}: ${w.message}\n`) },
    })
  } finally {
    // Lines logged before a failure are still written.
    logLines.flush()
    await writer?.close()
    if (shown) process.stderr.write('\r\x1b[K')
  }
  await traceSink.flush()
  for (const w of summary.warnings.filter(w => !w.startsWith(`${argv.input}: `))) process.stderr.write(`rstlab: warning: ${w}\n`)
  logLines.flush()
  dest.flushSync()
  if (argv.summary === 'json') {
    const { counters, sessions, frames } = summary
    process.stdout.write(JSON.stringify({
      counters,
      sessions: sessions.map(s => ({
        id: s.id, proto: s.proto, src: s.src, sport: s.sport, dst: s.dst, dport: s.dport, from: s.from, to: s.to,
        application: s.application, rule: s.rule, action: s.action, state: s.state, endReason: s.endReason,
        packets: s.packets, bytes: s.bytes, tcpState: s.tcpState, startUs: s.startUs, lastUs: s.lastUs,
      })),
      frames,
      endOfInput: summary.endOfInput,
      ...(commits.length > 0 ? { commits: summary.commits } : {}),
      ...(sides === undefined ? {} : { explain: explainWiresJson(sides.finish()) }),
    }) + '\n')
  } else {
    process.stdout.write(formatReplaySummary(summary, argv.input, limit))
    if (sides !== undefined) process.stdout.write(explainWiresText(sides.finish()))
  }
  process.exitCode = 0
}

export const replayCommand: CommandModule<object, ReplayArgs> = {
  command: 'replay <input>',
  describe: 'run a capture through the firewall (capture timestamps drive the clock)',
  builder: (y: Argv) => logFormatOption(y)
    .positional('input', { type: 'string', demandOption: true, describe: 'capture to replay (.pcap / .pcapng)' })
    .option('policy', { type: 'string', demandOption: true, describe: 'policy YAML (e.g. policies/allow-all.yaml), or a PAN-OS .xml/.set/.conf (imported)' })
    .option('out', { type: 'string', describe: 'write every frame the firewall emits here (pcapng; forged frames carry a comment)' })
    .option('summary', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'summary on stdout: human table or one JSON object' })
    .option('trace', { type: 'boolean', default: false, describe: 'per-packet trace lines (stdout; stderr with --summary json)' })
    .option('log', { type: 'string', describe: 'write traffic/threat log lines (--log-format) to this file instead of stderr' })
    .option('sessions', { type: 'string', default: String(DEFAULT_SESSIONS), describe: 'sessions listed in the text summary: a number or `all`' })
    .option('commit', {
      type: 'string', array: true,
      describe: 'TIME=POLICY[:rematch]: change the policy at TIME (seconds after the first frame, or @ABSOLUTE capture time); repeatable, in time order',
    })
    .option('quiet', { type: 'boolean', default: false, describe: 'no progress line (shown only on a terminal, for inputs of 64 MiB or more)' })
    .option('explain', { type: 'boolean', default: false, describe: 'then run `rstlab explain` on what each side of the firewall saw' })
    .example('$0 replay in.pcap --policy policies/block-ftp.yaml --out out.pcapng', 'forged RSTs land in out.pcapng with comments')
    .example('$0 replay in.pcap --policy policies/allow-all.yaml --summary json | jq .frames', 'machine-readable summary')
    .example('$0 replay in.pcap --policy policies/allow-all.yaml --commit 2.5=policies/block-ftp.yaml:rematch', 'block FTP 2.5 s into the capture, resetting open FTP sessions') as unknown as Argv<ReplayArgs>,
  handler: async (argv) => { await runReplay(argv) },
}
