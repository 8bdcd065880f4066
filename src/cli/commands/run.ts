/**
 * `rstlab run FILE|DIR… [--pcap-dir DIR] [--json] [--quiet] [--explain] [--log-format pino|json|csv [--log FILE]]`: run scenario files on the virtual clock,
 * print each one's ladder diagram and verdict. Exit 0 when every expectation holds, 1 when one fails,
 * 2 when a file has a syntax error (or cannot be read). Grammar: docs/scenario-syntax.md.
 */
import type { Argv, CommandModule } from 'yargs'
import { isRstlabError } from '../../errors.js'
import { findScenarios, runFile, exitCode, type FileOutcome } from '../../scenario/files.js'
import { reportJson, reportText } from '../../scenario/report.js'
import { loadEngineFactory } from '../../scenario/engine-factory.js'
import { LinkType } from '../../wire/summary.js'
import { explainFrames, explainFramesJson } from './explain.js'
import { LOG_FORMATS, PanosLogFormatter, type LogFormat } from '../../logs/panos-format.js'
import { RstlabError } from '../../errors.js'
import type { ThreatLogRecord, TrafficLogRecord } from '../../engine/types.js'
import { openSync, writeSync, closeSync, existsSync, readFileSync } from 'node:fs'
import { readCaptureBuffer } from '../../pcap/index.js'
import { wrap } from '../../scenario/ladder.js'

interface RunArgs { paths: string[], 'pcap-dir'?: string, json: boolean, quiet: boolean, explain: boolean, 'log-format'?: LogFormat, log?: string }

/** Colour only on a TTY and when NO_COLOR is unset (https://no-color.org). */
export function useColour (stream: NodeJS.WriteStream = process.stdout): boolean {
  return stream.isTTY === true && (process.env.NO_COLOR === undefined || process.env.NO_COLOR === '')
}

export interface BatchOptions {
  pcapDir?: string, json: boolean, quiet: boolean, prose: boolean, explain?: boolean
  /** `--log-format`: each scenario's traffic/threat records as lines to `logLine`. */
  logFormat?: LogFormat
  logLine?: (line: string) => void
}

/**
 * A scenario's log records as lines: PAN-OS csv/json (scenario time 0 is 1970-01-01 00:00:00 UTC, as in
 * its --pcap-dir captures; every scenario numbers its sessions and log sequence from 1), or pino-shaped.
 */
export function scenarioLogLines (records: ReadonlyArray<TrafficLogRecord | ThreatLogRecord>, format: LogFormat): string[] {
  if (format === 'pino') {
    return records.map(r => JSON.stringify({ level: 30, time: Math.floor((r.type === 'TRAFFIC' ? r.endUs : r.timeUs) / 1000), ...r, msg: r.type === 'TRAFFIC' ? 'traffic' : 'threat' }))
  }
  const f = new PanosLogFormatter({ wallMs: us => us / 1000 })
  return records.map(r => f.line(format, r))
}

/**
 * Report a usage / I/O error from a handler once and set exit status 2 (bad input). Errors that are
 * not RstlabErrors are rethrown for the CLI's internal-error path.
 */
export function reportHandlerError (err: unknown): void {
  if (!isRstlabError(err)) throw err
  process.stderr.write(`rstlab: ${err.message}\n`)
  if (err.hint !== undefined) process.stderr.write(`  → ${err.hint}\n`)
  process.exitCode = 2
}

/**
 * A lesson that starts from a capture: `X.pcap` beside `X.scn` is read by `rstlab explain`, and its
 * narrative (wrapped to `width`) is printed after the lesson's title. Undefined when there is none.
 */
export function lessonCapturePreface (scn: string, width: number): string[] | undefined {
  const cap = scn.replace(/\.scn$/, '.pcap')
  if (cap === scn || !existsSync(cap)) return undefined
  const { records } = readCaptureBuffer(readFileSync(cap))
  const out = [`  This lesson starts from a capture. \`rstlab explain ${cap}\` says:`, '']
  for (const l of explainFrames(records, records[0]?.linkType ?? LinkType.ETHERNET)) {
    const lead = l.length - l.trimStart().length + 4
    const parts = wrap(l.trim(), width - lead, 4)
    out.push(...parts.map(p => ' '.repeat(lead) + p))
  }
  return out
}

/** Run files and print; returns the exit code. Shared with `rstlab lessons run`. */
export async function runBatch (files: string[], o: BatchOptions, out: (s: string) => void = s => { process.stdout.write(s) }): Promise<number> {
  const engine = await loadEngineFactory()
  const colour = !o.json && useColour()
  const width = Math.max(60, Math.min(process.stdout.columns ?? 80, 100))
  const outcomes: FileOutcome[] = []
  for (const f of files) {
    const oc = runFile(f, engine, o.pcapDir)
    outcomes.push(oc)
    if (o.logFormat !== undefined && o.logLine !== undefined && oc.result !== undefined) {
      for (const l of scenarioLogLines(oc.result.logRecords, o.logFormat)) o.logLine(l)
    }
    const preface = o.prose && !o.quiet && !o.json ? lessonCapturePreface(f, width) : undefined
    if (!o.json) out(reportText(oc, { colour, width, quiet: o.quiet, prose: o.prose, preface }).join('\n') + '\n')
    if (o.explain === true && !o.json && oc.result !== undefined) {
      // The forensics view: `rstlab explain` on what each host saw on its wire.
      for (const h of oc.result.hosts) {
        out(`\nrstlab explain, as seen by ${h.decl.name}:\n` + explainFrames(h.capture, LinkType.ETHERNET).map(l => `  ${l}`).join('\n') + '\n')
      }
    }
  }
  if (o.json) {
    const doc = reportJson(outcomes) as { files: Array<Record<string, unknown>> }
    if (o.explain === true) {
      // The forensics view as data: the explain contract's objects for what each host saw.
      outcomes.forEach((oc, i) => {
        if (oc.result !== undefined) doc.files[i]!.explain = Object.fromEntries(oc.result.hosts.map(h => [h.decl.name, explainFramesJson(h.capture, LinkType.ETHERNET)]))
      })
    }
    out(JSON.stringify(doc, null, 2) + '\n')
  }
  else if (files.length > 1) {
    const pass = outcomes.filter(x => x.result?.passed === true).length
    out(`${pass} of ${files.length} scenarios passed\n`)
  }
  return exitCode(outcomes)
}

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run <paths..>',
  describe: 'run scenario files (*.scn) on a virtual clock and draw their ladder diagrams',
  builder: (y: Argv) => y
    .positional('paths', { type: 'string', array: true, demandOption: true, describe: 'scenario files or folders (searched for *.scn)' })
    .option('pcap-dir', { type: 'string', describe: 'write one pcapng per host (what it sent and received) into DIR' })
    .option('json', { type: 'boolean', default: false, describe: 'print results as JSON instead of ladders' })
    .option('quiet', { type: 'boolean', default: false, describe: 'print only PASS / FAIL lines' })
    .option('explain', { type: 'boolean', default: false, describe: 'after each scenario, run `rstlab explain` on what each host saw (with --json: an `explain` object per file, by host)' })
    .option('log-format', { choices: LOG_FORMATS as LogFormat[], describe: 'write each scenario\'s traffic/threat log: pino, json (PAN-OS field names) or csv (PAN-OS syslog order); docs/logs.md' })
    .option('log', { type: 'string', describe: 'the --log-format lines go to this file instead of stderr' })
    .epilog([
      'A scenario names hosts, a policy, and timed steps, e.g.:',
      '',
      '  host client 198.18.0.1 side client',
      '  host server 198.18.0.2 ttl 54 side server',
      '  policy lessons.yaml            # file next to the scenario, in policies/ or scenarios/lessons/policies/',
      '  set tcp.allow-challenge-ack yes',
      '  0     client:40000 > server:80  S seq 0 win 64240 <mss 1460>',
      '        server gets S seq 0',
      '  +0.01 server > client  S. seq 0 ack 1 win 65160',
      '        client gets S. seq 0 ack 1 ttl 54',
      '  +3601 client > server  . seq 1 ack 1',
      '        firewall drops flow_tcp_non_syn_drop',
      '        server gets nothing',
      '        session gone end aged-out',
      '        counter flow_tcp_non_syn_drop 1',
      '',
      'Exit status: 0 all expectations hold, 1 one failed, 2 syntax error.',
      'Full grammar: docs/scenario-syntax.md',
    ].join('\n')) as unknown as Argv<RunArgs>,
  handler: async (argv) => {
    try {
      const files = findScenarios(argv.paths)
      const fmt = argv['log-format']
      if (argv.log !== undefined && fmt === undefined) {
        throw new RstlabError('RSTLAB_ERR_USAGE', '--log FILE needs --log-format (pino, json or csv)', 'e.g. rstlab run scenarios/lessons --log-format csv --log traffic.csv')
      }
      let fd = 2
      if (argv.log !== undefined) {
        try { fd = openSync(argv.log, 'w') } catch (e) {
          throw new RstlabError('RSTLAB_ERR_IO', `cannot write log file ${argv.log}: ${(e as Error).message}`, 'check the directory exists and is writable')
        }
      }
      try {
        process.exitCode = await runBatch(files, {
          pcapDir: argv['pcap-dir'], json: argv.json, quiet: argv.quiet, prose: false, explain: argv.explain,
          ...(fmt !== undefined ? { logFormat: fmt, logLine: (l: string) => { writeSync(fd, l + '\n') } } : {}),
        })
      } finally { if (fd !== 2) closeSync(fd) }
    } catch (e) { reportHandlerError(e) }
  },
}
