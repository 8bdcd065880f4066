/**
 * `rstlab explain FILE [--json] [--out ANNOTATED.pcapng] [--connection FILTER]`: who reset each
 * connection of a capture, and why (src/explain). Text: a narrative per connection with a reset or
 * a pattern, then a summary. `--json`: one object per line — `reset` events, `pattern`s, then one
 * `summary`. `--out`: the capture written back as pcapng with a comment on every reset frame and on
 * the frames of every pattern. Exit 0 whatever is found; 2 when the file cannot be read.
 */
import type { Argv, CommandModule } from 'yargs'
import { openCapture, PcapngWriter } from '../../pcap/index.js'
import {
  Explainer, connectionNarrative, parseConnectionFilter, patternComment, patternJson, resetComment, resetJson,
  summaryJson, summaryText, wireJson, wireNarrative, type WireReport, type ConnectionFilter, type ConnectionReport, type ExplainSummary,
} from '../../explain/index.js'
import { LineSink } from '../lines.js'

interface ExplainArgs {
  file: string
  json: boolean
  out?: string
  connection?: string
}

export interface ExplainRunOptions {
  json: boolean
  out?: string
  filter?: ConnectionFilter
  warn: (text: string) => void
}

/**
 * Analyse `file`, print to `sink`, optionally write the annotated copy.
 * @throws {RstlabError} RSTLAB_ERR_IO / RSTLAB_ERR_BAD_CAPTURE when the file cannot be read as a capture.
 */
export async function explainFile (file: string, sink: LineSink, opts: ExplainRunOptions): Promise<ExplainSummary> {
  const reports: ConnectionReport[] = []
  const comments = opts.out === undefined ? undefined : new Map<number, string[]>()
  const note = (frame: number, text: string): void => {
    const l = comments!.get(frame)
    if (l === undefined) comments!.set(frame, [text]); else if (!l.includes(text)) l.push(text)
  }
  const ex = new Explainer({
    onReport: (r) => {
      if (opts.filter !== undefined && !opts.filter(r.connection)) return
      reports.push(r)
      if (comments !== undefined) {
        for (const e of r.resets) note(e.frame, resetComment(e))
        for (const p of r.patterns) for (const fr of p.frames) note(fr, patternComment(p))
      }
    },
  })
  const reader = await openCapture(file, { onWarning: w => { opts.warn(`${file}: ${w.message}`) } })
  // The reader's fast path: one reused view per frame, read where it lies in the chunk: no record
  // object, Buffer or promise per frame.
  do {
    for (let v = reader.nextView(); v !== undefined; v = reader.nextView()) ex.pushView(v)
  } while (await reader.refill())
  const summary = ex.finish()
  const first = ex.firstUs < 0 ? 0 : ex.firstUs
  reports.sort((a, b) => a.connection.index - b.connection.index)
  for (const r of reports) {
    if (opts.json) {
      for (const e of r.resets) await sink.line(resetJson(e, first))
      for (const p of r.patterns) await sink.line(patternJson(p))
    } else {
      for (const l of connectionNarrative(r, first)) await sink.line(l)
      await sink.line('')
    }
    if (sink.closed) break
  }
  if (opts.json) await sink.line(summaryJson(summary))
  else for (const l of summaryText(summary)) await sink.line(l)
  await sink.flush()
  if (opts.out !== undefined && comments !== undefined) await annotate(file, opts.out, comments)
  return summary
}

/**
 * The narrative for frames held in memory (a scenario host's capture: `rstlab run --explain`).
 * Returns text lines: one block per connection with a reset or a pattern, then the summary.
 */
export function explainFrames (frames: ReadonlyArray<{ tsUs: number, data: Buffer }>, linkType: number): string[] {
  const reports: ConnectionReport[] = []
  const ex = new Explainer({ onReport: r => reports.push(r) })
  frames.forEach((f, i) => { ex.push(f.data, linkType, f.tsUs, i + 1) })
  const summary = ex.finish()
  const first = ex.firstUs < 0 ? 0 : ex.firstUs
  reports.sort((a, b) => a.connection.index - b.connection.index)
  const out: string[] = []
  for (const r of reports) out.push(...connectionNarrative(r, first))
  out.push(...summaryText(summary))
  return out
}

/** `explainFrames` as the contract's objects: `{resets, patterns, summary}` (`rstlab run --explain --json`). */
export function explainFramesJson (frames: ReadonlyArray<{ tsUs: number, data: Buffer }>, linkType: number): Record<string, unknown> {
  const reports: ConnectionReport[] = []
  const ex = new Explainer({ onReport: r => reports.push(r) })
  frames.forEach((f, i) => { ex.push(f.data, linkType, f.tsUs, i + 1) })
  const summary = ex.finish()
  reports.sort((a, b) => a.connection.index - b.connection.index)
  return wireJson({ reports, summary, firstUs: ex.firstUs < 0 ? 0 : ex.firstUs })
}

/**
 * `rstlab replay --explain`: the narrative of each side's wire, indented under a heading, as
 * `rstlab run --explain` prints each host's.
 */
export function explainWiresText (wires: readonly WireReport[]): string {
  return wires.map(w => `\nrstlab explain, as seen on the ${w.side} side of the firewall:\n` + wireNarrative(w).map(l => `  ${l}`).join('\n') + '\n').join('')
}

/** `rstlab replay --explain --summary json`: `{client: {resets, patterns, summary}, server: {...}}`. */
export function explainWiresJson (wires: readonly WireReport[]): Record<string, unknown> {
  return Object.fromEntries(wires.map(w => [w.side, wireJson(w)]))
}

/** Copy `file` to pcapng `out`, adding `comments` (by frame number) to the frames' own. */
async function annotate (file: string, out: string, comments: Map<number, string[]>): Promise<void> {
  const writer = await PcapngWriter.open(out)
  try {
    const reader = await openCapture(file)
    for await (const rec of reader) {
      const ours = comments.get(rec.n)
      const comment = ours === undefined ? rec.comment : [...(rec.comment === undefined ? [] : [rec.comment]), ...ours].join('\n')
      await writer.write({ tsUs: rec.tsUs, linkType: rec.linkType, data: rec.data, origLen: rec.origLen, comment })
    }
  } finally {
    await writer.close()
  }
}

export const explainCommand: CommandModule<object, ExplainArgs> = {
  command: 'explain <file>',
  describe: 'who reset each connection of a capture, and why (TTL, IP ID, sequence, timing and ICMP evidence)',
  builder: (y: Argv) => y
    .positional('file', { type: 'string', demandOption: true, describe: 'capture file (.pcap or .pcapng)' })
    .option('json', { type: 'boolean', default: false, describe: 'one JSON object per line: reset events, patterns, then a summary' })
    .option('out', { type: 'string', describe: 'write the capture back as pcapng with a comment on every reset frame and pattern' })
    .option('connection', { type: 'string', describe: 'only these connections: #N, ADDR, PORT, ADDR:PORT or [V6ADDR]:PORT' })
    .example('$0 explain failing-app.pcapng', 'a narrative per reset connection, then a summary')
    .example('$0 explain in.pcap --json --connection 443', 'machine-readable, only connections on port 443')
    .example('$0 explain in.pcap --out annotated.pcapng', 'open annotated.pcapng in Wireshark: the reasons are frame comments') as unknown as Argv<ExplainArgs>,
  handler: async (argv) => {
    const filter = argv.connection === undefined ? undefined : parseConnectionFilter(argv.connection)
    await explainFile(argv.file, new LineSink(), {
      json: argv.json, out: argv.out, filter, warn: (text) => { process.stderr.write(`rstlab: warning: ${text}\n`) },
    })
    process.exitCode = 0
  },
}
