/**
 * rstlab command line. Each command lives in `commands/<name>.ts` and exports a yargs CommandModule.
 * The CLI owns I/O, clocks and the pino logger; everything below it is pure.
 */
import yargs from 'yargs'
import { hideBin } from 'yargs/helpers'
import { isRstlabError } from '../errors.js'
import type { CommandModule } from 'yargs'

type Commands = Array<CommandModule<any, any>>

/**
 * Every command, by the module that holds it. Each module imports what its command runs (the engine,
 * the policy compiler, the live runner, ...), so loading them all costs a short command like `replay`
 * of a small capture a good part of its time: a command named first on the line loads its own module
 * only; anything else (help, a typo, completion) loads them all.
 */
const COMMAND_MODULES: Array<[names: string[], load: () => Promise<Commands>]> = [
  [['decode'], async () => [(await import('./commands/decode.js')).decodeCommand]],
  [['replay'], async () => [(await import('./commands/replay.js')).replayCommand]],
  [['policy'], async () => [(await import('./commands/policy.js')).policyCommand]],
  [['run'], async () => [(await import('./commands/run.js')).runCommand]],
  [['lessons'], async () => [(await import('./commands/lessons.js')).lessonsCommand]],
  [['bridge'], async () => [(await import('./commands/bridge.js')).bridgeCommand]],
  [['tap'], async () => [(await import('./commands/tap.js')).tapCommand]],
  [['show', 'clear'], async () => { const m = await import('./commands/show.js'); return [m.showCommand, m.clearCommand] }],
  [['clock', 'get', 'set', 'reset'], async () => {
    const m = await import('./commands/control.js'); return [m.clockCommand, m.getCommand, m.setCommand, m.resetCommand]
  }],
  [['explain'], async () => [(await import('./commands/explain.js')).explainCommand]],
]

/** The commands to register for this command line, in the order `--help` lists them. */
async function commandsFor (args: string[]): Promise<Commands> {
  const first = args[0]
  const own = COMMAND_MODULES.find(([names]) => first !== undefined && names.includes(first))
  if (own !== undefined) return await own[1]()
  return (await Promise.all(COMMAND_MODULES.map(async ([, load]) => await load()))).flat()
}

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
  const args = hideBin(process.argv)
  const y = yargs(args)
    .scriptName('rstlab')
    .usage('$0 <command> [options]\n\nA userspace TCP middlebox that resets connections the way a PAN-OS firewall does.')
  for (const c of await commandsFor(args)) y.command(c)
  skipHelpCache(y)
  await y
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

/**
 * yargs renders the whole help text of a command just before its handler continues asynchronously
 * (`cacheHelpMessage`), so that a later failure could print it. rstlab never prints that text for a
 * handler's error (`fail` above rethrows it to `reportError`), and the rendering was 25 ms of every
 * command's start-up (CPU profile of `rstlab replay` on a two-flow capture, Node 20). Usage errors,
 * found before any handler runs, still render their help fresh. Internal yargs API: when it is not
 * there, nothing changes.
 */
function skipHelpCache (y: unknown): void {
  type Usage = { cacheHelpMessage?: () => void }
  const usage = (y as { getInternalMethods?: () => { getUsageInstance?: () => Usage } }).getInternalMethods?.().getUsageInstance?.()
  if (typeof usage?.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => {}
}

/** Thrown after a usage message was printed: exit 2 without printing anything more. */
class UsageReported extends Error {}

main().catch((err: unknown) => { process.exitCode = err instanceof UsageReported ? 2 : reportError(err) })
