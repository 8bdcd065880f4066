/**
 * `rstlab policy check FILE`: load a policy, print every diagnostic as `file:line:col: error|warning: message`
 * and a one-line summary. Exit 2 when there is an error, 0 otherwise (warnings alone are fine).
 */
import type { Argv, CommandModule } from 'yargs'
import { checkPolicyText, formatDiagnostic, readPolicyFile } from '../../policy/load.js'

interface CheckArgs { file: string, json: boolean }

const checkCommand: CommandModule<object, CheckArgs> = {
  command: 'check <file>',
  describe: 'validate a policy file and list every problem with file:line:col',
  builder: (y: Argv) => y.positional('file', { type: 'string', demandOption: true, describe: 'policy YAML file' })
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

export const policyCommand: CommandModule = {
  command: 'policy',
  describe: 'work with policy files (see docs/policy.md)',
  builder: (y: Argv) => y.command(checkCommand as unknown as CommandModule).demandCommand(1, 'name a policy sub-command: check'),
  handler: () => {},
}
