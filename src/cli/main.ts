/**
 * rstlab command line. Each command lives in `commands/<name>.ts` and exports a yargs CommandModule.
 * The CLI owns I/O, clocks and the pino logger; everything below it is pure.
 */
import yargs from 'yargs'
import { hideBin } from 'yargs/helpers'
import { isRstlabError } from '../errors.js'
import { decodeCommand } from './commands/decode.js'
import { replayCommand } from './commands/replay.js'
import { policyCommand } from './commands/policy.js'
import { runCommand } from './commands/run.js'
import { lessonsCommand } from './commands/lessons.js'
import { bridgeCommand } from './commands/bridge.js'
import { tapCommand } from './commands/tap.js'
import { showCommand, clearCommand } from './commands/show.js'
import { clockCommand, getCommand, resetCommand, setCommand } from './commands/control.js'
import { explainCommand } from './commands/explain.js'

/** Print an error the way every rstlab command does, and pick the exit code (2: bad input). */
export function reportError (err: unknown): number {
  if (isRstlabError(err)) {
    process.stderr.write(`rstlab: ${err.message}\n`)
    if (err.hint !== undefined) process.stderr.write(`  → ${err.hint}\n`)
    return 2
  }
  process.stderr.write(`rstlab: internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`)
  return 70
}

/**
 * The reader of stdout went away (`rstlab decode big.pcap | head`): end quietly with exit 0, as a
 * Unix filter killed by SIGPIPE would, instead of an EPIPE stack trace. Commands that stream through a
 * LineSink notice first and stop producing; this catches every other writer.
 */
export function quietOnEpipe (stream: NodeJS.WriteStream = process.stdout): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0)
    throw err
  })
}

async function main (): Promise<void> {
  quietOnEpipe()
  await yargs(hideBin(process.argv))
    .scriptName('rstlab')
    .usage('$0 <command> [options]\n\nA userspace TCP middlebox that resets connections the way a PAN-OS firewall does.')
    .command(decodeCommand)
    .command(replayCommand)
    .command(policyCommand)
    .command(runCommand)
    .command(lessonsCommand)
    .command(bridgeCommand)
    .command(tapCommand)
    .command(showCommand)
    .command(clearCommand)
    .command(clockCommand)
    .command(getCommand)
    .command(setCommand)
    .command(resetCommand)
    .command(explainCommand)
    .completion('completion', 'print a bash/zsh completion script: rstlab completion >> ~/.bashrc')
    .demandCommand(1, 'name a command; `rstlab --help` lists them')
    .recommendCommands()
    .strict()
    .wrap(Math.min(100, process.stdout.columns ?? 80))
    .fail((msg, err, y) => {
      // A command's own error: rethrow so `main().catch` reports it exactly once (yargs' parseAsync
      // also rejects with it, so reporting here as well printed every error twice).
      if (err !== undefined && err !== null) throw err
      // A usage error: print help once, then stop (returning would let yargs run the handler).
      process.stderr.write(`${y.help() as unknown as string ?? ''}`)
      const typo = /^Did you mean/.test(msg ?? '') ? `unknown command \`${hideBin(process.argv)[0] ?? ''}\`. ` : ''
      process.stderr.write(`\nrstlab: ${typo}${msg}\n`)
      throw new UsageReported()
    })
    .parseAsync()
}

/** Thrown after a usage message was printed: exit 2 without printing anything more. */
class UsageReported extends Error {}

main().catch((err: unknown) => { process.exitCode = err instanceof UsageReported ? 2 : reportError(err) })
