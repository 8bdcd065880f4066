/**
 * Turning run outcomes into text (ladder, intro/after, PASS/FAIL lines) or JSON. Pure: callers
 * decide colour and width and where the text goes.
 */
import { renderLadder, wrap } from './ladder.js'
import type { FileOutcome } from './files.js'
import type { ErrorCode } from '../errors.js'

export interface ReportOptions {
  colour: boolean
  width: number
  quiet: boolean
  /** Print the scenario's intro before and its after text after the ladder (lessons always do). */
  prose: boolean
  /** Lines printed after the title, before the intro (a lesson's capture read by `rstlab explain`). */
  preface?: readonly string[]
}

const paint = (on: boolean, code: string, s: string): string => on ? `\x1b[${code}m${s}\x1b[0m` : s

function prose (text: string, width: number): string[] {
  const out: string[] = []
  for (const para of text.split(/\n\s*\n/)) {
    const lines = para.split('\n')
    // keep indented / list-like lines as they are; re-wrap plain paragraphs
    if (lines.some(l => /^\s|^[-*] |^\d+\. /.test(l))) out.push(...lines.map(l => '  ' + l))
    else out.push(...wrap(lines.join(' '), width - 4, 0).map(l => '  ' + l))
    out.push('')
  }
  if (out.length > 0) out.pop()
  return out
}

/** The one-line verdict: `PASS file (n checks)` / `FAIL file:14: message` / `ERROR message`. */
export function verdictLine (o: FileOutcome, colour: boolean): string {
  if (o.error !== undefined) return `${paint(colour, '1;31', 'ERROR')} ${o.error.message}${o.error.hint !== undefined ? `\n  → ${o.error.hint}` : ''}`
  const r = o.result!
  if (r.passed) return `${paint(colour, '1;32', 'PASS')} ${o.file} (${r.checked} check${r.checked === 1 ? '' : 's'})`
  const f = r.failure!
  return `${paint(colour, '1;31', 'FAIL')} ${o.file}:${f.line}: ${f.message}`
}

/** Text for one file. */
export function reportText (o: FileOutcome, opts: ReportOptions): string[] {
  if (opts.quiet || o.result === undefined) return [verdictLine(o, opts.colour)]
  const r = o.result
  const sc = r.scenario
  const out: string[] = []
  const title = sc.title !== undefined ? `${sc.title}  (${o.file})` : o.file
  out.push(paint(opts.colour, '1', `━━ ${title}`))
  if (opts.preface !== undefined && opts.preface.length > 0) out.push('', ...opts.preface)
  if (opts.prose && sc.intro !== undefined) out.push('', ...prose(sc.intro, opts.width), '')
  out.push(...renderLadder(r.ladder, { width: opts.width, colour: opts.colour, hostNames: r.multiHost }))
  if (opts.prose && sc.after !== undefined) out.push('', ...prose(sc.after, opts.width))
  for (const c of o.captures) out.push(`  capture: ${c}`)
  out.push(verdictLine(o, opts.colour), '')
  return out
}

/**
 * JSON for a batch (`--json`). A file that could not run has `error: { code, message }`; a failed
 * expectation has `failure: { code: 'RSTLAB_ERR_SCRIPT_EXPECT', line, col, message }`, so a program
 * tells the two apart by code as it does for every other error.
 */
export function reportJson (outcomes: readonly FileOutcome[]): unknown {
  return {
    passed: outcomes.every(o => o.result?.passed === true),
    files: outcomes.map(o => o.result === undefined
      ? { file: o.file, error: { code: o.error?.code, message: o.error?.message } }
      : {
          file: o.file,
          title: o.result.scenario.title ?? null,
          passed: o.result.passed,
          checks: o.result.checked,
          failure: o.result.failure === undefined ? null : { code: 'RSTLAB_ERR_SCRIPT_EXPECT' satisfies ErrorCode, ...o.result.failure },
          endUs: o.result.endUs,
          ladder: o.result.ladder,
          trafficLog: o.result.trafficLog,
          captures: o.captures,
        }),
  }
}
