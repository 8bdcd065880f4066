/**
 * Shared start-up for `rstlab bridge` and `rstlab tap`: pino logger, policy loader, engine factory,
 * runner, and the exit once it stops.
 */
import pino from 'pino'
import { RstlabError } from '../../errors.js'
import type { Policy } from '../../policy/types.js'
import type { PacketEngine } from '../../engine/types.js'
import { LiveRunner, type RunnerOptions } from './runner.js'
import { loadPolicyFile } from '../../policy/load.js'
import { loadPolicyInWorker } from '../../policy/reload-worker.js'
import { Engine } from '../../engine/engine.js'
import { isLiveChild, superviseLive } from './supervise.js'

export interface StartArgs extends Omit<RunnerOptions, 'checkOffloads'> {
  logFile?: string | undefined
  allowOffloads: boolean
}

export async function startLive (args: StartArgs): Promise<never> {
  if (!isLiveChild() && process.env.RSTLAB_NO_SUPERVISOR === undefined) process.exit(await superviseLive(args.interfaces))
  let dest: pino.DestinationStream & { flushSync?: () => void }
  try {
    dest = args.logFile !== undefined
      ? pino.destination({ dest: args.logFile, sync: false, mkdir: true })
      : pino.destination({ dest: 2, sync: false })   // logs go to stderr; stdout holds results (the final counters)
  } catch (e) {
    throw new RstlabError('RSTLAB_ERR_IO', `cannot open the log file ${args.logFile ?? ''}: ${(e as Error).message}`, 'check the path and its permissions')
  }
  const log = pino({ level: args.trace ? 'debug' : 'info', base: { pid: process.pid } }, dest)
  const runner = new LiveRunner({ ...args, checkOffloads: !args.allowOffloads }, {
    loadPolicy: (p: string): Policy => loadPolicyFile(p),
    loadPolicyOffThread: (p, current) => loadPolicyInWorker(p, current),
    makeEngine: (policy, hooks, portNames): PacketEngine => new Engine({ policy, hooks, portNames }),
    log,
    note: line => process.stderr.write(line + '\n'),
    result: text => process.stdout.write(text + '\n'),
  })
  await runner.start()
  const code = await runner.done
  try { dest.flushSync?.() } catch { /* nothing left to write */ }
  process.exit(code)
}
