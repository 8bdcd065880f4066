/**
 * `rstlab policy check FILE`: load a policy, print every diagnostic as `file:line:col: error|warning: message`
 * and a one-line summary. Exit 2 when there is an error, 0 otherwise (warnings alone are fine).
 */
import type { Argv, CommandModule } from 'yargs'
import { checkPolicyText, formatDiagnostic, readPolicyFile } from '../../policy/load.js'

interface CheckArgs { file: string }

const checkCommand: CommandModule<object, CheckArgs> = {
  command: 'check <file>',
  describe: 'validate a policy file and list every problem with file:line:col',
  builder: (y: Argv) => y.positional('file', { type: 'string', demandOption: true, describe: 'policy YAML file' }) as Argv<CheckArgs>,
  handler: (argv) => {
    process.exitCode = runPolicyCheck(argv.file, s => process.stdout.write(s), s => process.stderr.write(s))
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

export const policyCommand: CommandModule = {
  command: 'policy',
  describe: 'work with policy files (see docs/policy.md)',
  builder: (y: Argv) => y.command(checkCommand as unknown as CommandModule).demandCommand(1, 'name a policy sub-command: check'),
  handler: () => {},
}
