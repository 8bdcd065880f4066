/**
 * `rstlab replay IN --policy P.yaml [--out OUT.pcapng] [--summary text|json] [--trace] [--log FILE]`
 *
 * Runs a capture through the firewall with the capture's timestamps as the clock (see
 * ingress/replay.ts). `--out` gets every emitted frame (pcapng: forged ones carry a comment).
 * stdout: the summary (text table, or one JSON object). Traffic/threat logs: pino JSON lines on
 * stderr or `--log FILE`. `--trace`: per-packet trace lines on stdout (on stderr with
 * `--summary json`, so stdout stays one JSON object). Exit 0, or 2 for bad arguments or files.
 */
import type { Argv, CommandModule } from 'yargs'
import { pino, type Logger } from 'pino'
import { loadPolicyFile } from '../../policy/load.js'
import { PcapngWriter } from '../../pcap/index.js'
import { replayFile, type ReplaySummary } from '../../ingress/replay.js'
import { counterDefs, formatCounterGlobal } from '../../engine/counters.js'
import { formatTimeUs } from '../../wire/format.js'
import type { EngineHooks, TraceEvent } from '../../engine/types.js'
import { traceStage, traceText } from '../../engine/trace-text.js'
import { LineSink } from '../lines.js'
import { RstlabError } from '../../errors.js'

interface ReplayArgs {
  input: string
  policy: string
  out?: string
  summary: 'text' | 'json'
  trace: boolean
  log?: string
}

export function traceLine (ev: TraceEvent): string {
  return `${formatTimeUs(ev.timeUs)} ${ev.sessionId === 0 ? '-' : `#${ev.sessionId}`} ${traceStage(ev)}: ${traceText(ev)}`
}

function cell (v: string | number, w: number): string {
  return String(v).padEnd(w)
}

/** The human summary: frames, sessions table, `show counter global`-style counters. */
export function formatReplaySummary (s: ReplaySummary, input: string): string {
  const lines: string[] = []
  const spanS = Math.max(0, (s.lastUs - s.firstUs) / 1e6)
  lines.push(`Replay of ${input}: ${s.frames.in} frames over ${spanS.toFixed(3)} s of capture time`)
  lines.push(`frames: in ${s.frames.in}, forwarded ${s.frames.forwarded}, dropped ${s.frames.dropped}, forged ${s.frames.forged}`)
  lines.push('')
  lines.push(`Sessions: ${s.sessions.length}`)
  const rows = s.sessions.map(x => [
    String(x.id), x.proto, `${x.src}[${x.sport}]`, `${x.dst}[${x.dport}]`, `${x.from || '-'}/${x.to || '-'}`, x.application,
    x.rule, x.action, x.state + (x.tcpState !== undefined ? `/${x.tcpState}` : ''), x.endReason ?? '-',
    `${x.packets.c2s}/${x.packets.s2c}`, `${x.bytes.c2s}/${x.bytes.s2c}`,
  ])
  const head = ['ID', 'proto', 'source[sport]', 'destination[dport]', 'from/to', 'application', 'rule', 'action', 'state', 'end-reason', 'pkts c2s/s2c', 'bytes c2s/s2c']
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map(r => r[i]!.length)))
  lines.push(head.map((h, i) => cell(h, widths[i]!)).join(' ').trimEnd())
  lines.push(widths.map(w => '-'.repeat(w)).join(' '))
  for (const r of rows) lines.push(r.map((c, i) => cell(c, widths[i]!)).join(' ').trimEnd())
  lines.push('')
  lines.push(formatCounterGlobal(s.counters, counterDefs, { elapsedS: spanS }).trimEnd())
  return lines.join('\n') + '\n'
}

function makeLogger (file: string | undefined, clock: { us: number }): Logger {
  let dest
  try {
    dest = file === undefined ? pino.destination({ fd: 2, sync: true }) : pino.destination({ dest: file, sync: true })
  } catch (err) {
    throw new RstlabError('RSTLAB_ERR_IO', `cannot write log file ${file ?? '(stderr)'}: ${(err as Error).message}`, 'check the directory exists and is writable')
  }
  // Log times are capture times (ms), not the wall clock: a replay's log is reproducible.
  return pino({ base: undefined, timestamp: () => `,"time":${Math.floor(clock.us / 1000)}` }, dest)
}

export async function runReplay (argv: ReplayArgs): Promise<void> {
  const policy = loadPolicyFile(argv.policy)
  const writer = argv.out === undefined ? undefined : await PcapngWriter.open(argv.out)
  const clock = { us: 0 }
  const log = makeLogger(argv.log, clock)
  const traceSink = new LineSink(argv.summary === 'json' ? process.stderr : process.stdout)
  const hooks: EngineHooks = {
    trafficLog: (rec) => { clock.us = rec.startUs + rec.elapsedS * 1e6; log.info(rec, 'traffic') },
    threatLog: (rec) => { clock.us = rec.timeUs; log.info(rec, 'threat') },
  }
  // The engine calls hooks synchronously: trace lines are queued and flushed between frames.
  if (argv.trace) hooks.trace = (ev) => { traceSink.push(traceLine(ev)) }
  let summary: ReplaySummary
  try {
    summary = await replayFile(argv.input, {
      policy,
      hooks,
      out: writer,
      afterFrame: argv.trace ? async () => { await traceSink.drain() } : undefined,
      onWarning: (w) => { process.stderr.write(`rstlab: warning: ${argv.input}: ${w.message}\n`) },
    })
  } finally {
    await writer?.close()
  }
  await traceSink.flush()
  for (const w of summary.warnings.filter(w => !w.startsWith(`${argv.input}: `))) process.stderr.write(`rstlab: warning: ${w}\n`)
  log.flush()
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
    }) + '\n')
  } else {
    process.stdout.write(formatReplaySummary(summary, argv.input))
  }
  process.exitCode = 0
}

export const replayCommand: CommandModule<object, ReplayArgs> = {
  command: 'replay <input>',
  describe: 'run a capture through the firewall (capture timestamps drive the clock)',
  builder: (y: Argv) => y
    .positional('input', { type: 'string', demandOption: true, describe: 'capture to replay (.pcap / .pcapng)' })
    .option('policy', { type: 'string', demandOption: true, describe: 'policy YAML (e.g. policies/allow-all.yaml)' })
    .option('out', { type: 'string', describe: 'write every frame the firewall emits here (pcapng; forged frames carry a comment)' })
    .option('summary', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'summary on stdout: human table or one JSON object' })
    .option('trace', { type: 'boolean', default: false, describe: 'per-packet trace lines (stdout; stderr with --summary json)' })
    .option('log', { type: 'string', describe: 'write traffic/threat log lines (pino JSON) to this file instead of stderr' })
    .example('$0 replay in.pcap --policy policies/block-ftp.yaml --out out.pcapng', 'forged RSTs land in out.pcapng with comments')
    .example('$0 replay in.pcap --policy policies/allow-all.yaml --summary json | jq .frames', 'machine-readable summary') as unknown as Argv<ReplayArgs>,
  handler: async (argv) => { await runReplay(argv) },
}
