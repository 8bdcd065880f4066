/**
 * `rstlab policy check FILE`: load a policy, print every diagnostic as `file:line:col: error|warning: message`
 * and a one-line summary. Exit 2 when there is an error, 0 otherwise (warnings alone are fine).
 */
import { writeFileSync, renameSync } from 'node:fs'
import type { Argv, CommandModule } from 'yargs'
import { stringify } from 'yaml'
import { checkPolicyText, formatDiagnostic, loadPolicyFile, readPolicyFile } from '../../policy/load.js'
import { importPolicyFile, isPanosPath, type ImportResult } from '../../policy/import/index.js'
import { exportSet, exportXml } from '../../policy/import/export.js'
import { fmtPos } from '../../policy/import/tree.js'
import { RstlabError } from '../../errors.js'

interface CheckArgs { file: string, json: boolean }

const checkCommand: CommandModule<object, CheckArgs> = {
  command: 'check <file>',
  describe: 'validate a policy file and list every problem with file:line:col',
  builder: (y: Argv) => y.positional('file', { type: 'string', demandOption: true, describe: 'policy YAML file, or a PAN-OS .xml/.set/.conf (imported first)' })
    .option('json', { type: 'boolean', default: false, describe: 'one JSON object on stdout: {file, ok, errors, warnings, diagnostics, counts}' })
    .example('$0 policy check policies/block-ftp.yaml', 'file:line:col: severity: message, then a summary')
    .example('$0 policy check p.yaml --json | jq .diagnostics', 'machine-readable') as Argv<CheckArgs>,
  handler: (argv) => {
    const out = (s: string): void => { process.stdout.write(s) }
    process.exitCode = argv.json ? runPolicyCheckJson(argv.file, out) : runPolicyCheck(argv.file, out, s => process.stderr.write(s))
  },
}

/** The check itself, with output sinks, so tests can run it in-process. Returns the exit code. */
export function runPolicyCheck (file: string, out: (s: string) => void, err: (s: string) => void): number {
  if (isPanosPath(file)) return checkImported(file, out)
  const text = readPolicyFile(file)
  const { policy, diagnostics } = checkPolicyText(text, file)
  for (const d of diagnostics) out(formatDiagnostic(file, d) + '\n')
  const errors = diagnostics.filter(d => d.severity === 'error').length
  const warnings = diagnostics.length - errors
  if (policy === undefined) {
    err(`${file}: ${errors} error${errors === 1 ? '' : 's'}${warnings > 0 ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}; policy not loaded\n`)
    return 2
  }
  const n = (k: number, what: string): string => `${k} ${what}${k === 1 ? '' : 's'}`
  out(`${file}: ok: ${n(policy.zones.length, 'zone')}, ${n(policy.rules.length, 'rule')}, ` +
    `${n(policy.threats.signatures.length, 'signature')}${warnings > 0 ? `, ${n(warnings, 'warning')}` : ''}\n`)
  return 0
}

/** The result of `policy check --json` (also what a failed read reports, with `error`). */
export interface PolicyCheckJson {
  file: string
  ok: boolean
  errors: number
  warnings: number
  diagnostics: Array<{ severity: 'error' | 'warning', line: number, col: number, path: string, message: string }>
  /** Present when the policy loaded. */
  counts?: { zones: number, rules: number, signatures: number }
}

/** `policy check --json`: one JSON object and a newline on `out`. Returns the exit code (2 on errors). */
export function runPolicyCheckJson (file: string, out: (s: string) => void): number {
  if (isPanosPath(file)) {
    const r = importPolicyFile(file)
    const result: PolicyCheckJson = {
      file, ok: true, errors: 0, warnings: r.warnings.length,
      diagnostics: r.warnings.map(w => ({ severity: w.severity, line: w.pos?.line ?? 0, col: w.pos?.col ?? 0, path: w.path, message: w.message })),
      counts: { zones: r.policy.zones.length, rules: r.policy.rules.length, signatures: r.policy.threats.signatures.length },
    }
    out(JSON.stringify(result) + '\n')
    return 0
  }
  const text = readPolicyFile(file)
  const { policy, diagnostics } = checkPolicyText(text, file)
  const errors = diagnostics.filter(d => d.severity === 'error').length
  const result: PolicyCheckJson = {
    file,
    ok: policy !== undefined,
    errors,
    warnings: diagnostics.length - errors,
    diagnostics: diagnostics.map(d => ({ severity: d.severity, line: d.line, col: d.col, path: d.path, message: d.message })),
    ...(policy !== undefined ? { counts: { zones: policy.zones.length, rules: policy.rules.length, signatures: policy.threats.signatures.length } } : {}),
  }
  out(JSON.stringify(result) + '\n')
  return policy === undefined ? 2 : 0
}

/** `policy check` on a PAN-OS file: import it, then report what the compiler says about the result. */
function checkImported (file: string, out: (s: string) => void): number {
  const r = importPolicyFile(file)
  for (const w of r.warnings) out(`${w.pos === undefined ? `${file}:${w.path}` : fmtPos(w.pos)}: ${w.severity}: ${w.message}\n`)
  const n = (k: number, what: string): string => `${k} ${what}${k === 1 ? '' : 's'}`
  out(`${file}: ok: ${n(r.policy.zones.length, 'zone')}, ${n(r.policy.rules.length, 'rule')}, ` +
    `${n(r.policy.threats.signatures.length, 'signature')}${r.warnings.length > 0 ? `, ${n(r.warnings.length, 'warning')}` : ''}; ` +
    `${r.report.length} item${r.report.length === 1 ? '' : 's'} not imported (\`rstlab policy import ${file}\` lists them)\n`)
  return 0
}

interface ImportArgs { file: string, o?: string, vsys?: string, json?: boolean }

const importCommand: CommandModule<object, ImportArgs> = {
  command: 'import <file>',
  describe: 'import a PAN-OS configuration (XML export or set commands) as an rstlab policy, listing what was not imported',
  builder: (y: Argv) => y
    .positional('file', { type: 'string', demandOption: true, describe: 'running-config.xml / candidate-config XML, or a file of set commands (.set, .conf)' })
    .option('o', { type: 'string', describe: 'write the policy YAML here (default: standard output)' })
    .option('vsys', { type: 'string', describe: 'virtual system to import (default: vsys1, or the only one)' })
    .option('json', { type: 'boolean', describe: 'print the report (and the policy) as JSON' }) as Argv<ImportArgs>,
  handler: (argv) => {
    process.exitCode = runPolicyImport(argv, s => process.stdout.write(s), s => process.stderr.write(s))
  },
}

/** Import, write the YAML (atomically, only on success), print the not-imported report. Returns the exit code. */
export function runPolicyImport (a: ImportArgs, out: (s: string) => void, err: (s: string) => void): number {
  const opts: { vsys?: string } = {}
  if (a.vsys !== undefined) opts.vsys = a.vsys
  const r = importPolicyFile(a.file, opts)
  const yaml = importedYaml(a.file, r)
  if (a.o !== undefined) writeAtomic(a.o, yaml)
  if (a.json === true) {
    out(JSON.stringify({
      file: a.file, format: r.format, vsys: r.vsys,
      summary: { zones: r.policy.zones.length, rules: r.policy.rules.length, notImported: r.report.length },
      policy: r.doc,
      notImported: r.report.map(x => ({ file: x.pos.file, line: x.pos.line, col: x.pos.col, what: x.what, why: x.why })),
      warnings: r.warnings.map(w => ({ ...(w.pos === undefined ? {} : { file: w.pos.file, line: w.pos.line, col: w.pos.col }), message: w.message })),
    }, null, 2) + '\n')
    return 0
  }
  if (a.o === undefined) out(yaml)
  const log = a.o === undefined ? err : out
  for (const w of r.warnings) log(`${w.pos === undefined ? `${a.file}:${w.path}` : fmtPos(w.pos)}: ${w.severity}: ${w.message}\n`)
  for (const x of r.report) log(`${fmtPos(x.pos)}: not imported: ${x.what}: ${x.why}\n`)
  log(`${a.file}: imported ${r.format === 'xml' ? 'XML' : 'set commands'} (vsys ${r.vsys}): ${r.policy.zones.length} zones, ` +
    `${r.policy.rules.length} rules; ${r.report.length} not imported${a.o !== undefined ? `; wrote ${a.o}` : ''}\n`)
  return 0
}

/** The YAML an import writes: a header naming the source, then the policy document. */
export function importedYaml (file: string, r: ImportResult): string {
  return `# imported by rstlab policy import from ${file} (${r.format === 'xml' ? 'XML' : 'set commands'}, vsys ${r.vsys})\n` +
    `# ${r.report.length} item${r.report.length === 1 ? '' : 's'} not imported: run \`rstlab policy import ${file}\` to list them\n` +
    stringify(r.doc, { lineWidth: 0 })
}

function writeAtomic (path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`
  try {
    writeFileSync(tmp, text)
    renameSync(tmp, path)
  } catch (e) {
    throw new RstlabError('RSTLAB_ERR_IO', `cannot write ${path}: ${(e as Error).message}`, 'check the directory exists and is writable')
  }
}

interface ExportArgs { file: string, format: string, o?: string }

const exportCommand: CommandModule<object, ExportArgs> = {
  command: 'export <file>',
  describe: 'write a policy as PAN-OS set commands or XML (rstlab-only parts travel in one rstlab-extensions comment)',
  builder: (y: Argv) => y
    .positional('file', { type: 'string', demandOption: true, describe: 'policy YAML (or a PAN-OS file, re-exported)' })
    .option('format', { type: 'string', choices: ['set', 'xml'], default: 'set', describe: 'output form' })
    .option('o', { type: 'string', describe: 'write here (default: standard output)' }) as Argv<ExportArgs>,
  handler: (argv) => {
    const text = argv.format === 'xml' ? exportXml(loadPolicyFile(argv.file)) : exportSet(loadPolicyFile(argv.file))
    if (argv.o !== undefined) writeAtomic(argv.o, text); else process.stdout.write(text)
  },
}

export const policyCommand: CommandModule = {
  command: 'policy',
  describe: 'work with policy files (see docs/policy.md)',
  builder: (y: Argv) => y.command(checkCommand as unknown as CommandModule)
    .command(importCommand as unknown as CommandModule)
    .command(exportCommand as unknown as CommandModule)
    .demandCommand(1, 'name a policy sub-command: check, import, export'),
  handler: () => {},
}
