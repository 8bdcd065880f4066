import type { CommandModule } from 'yargs'
import { DEFAULT_CONTROL_PATH } from '../../control/protocol.js'
import { seedOption } from './bridge.js'

interface TapArgs {
  if: string
  policy: string
  control: string
  log: string | undefined
  trace: boolean
  rematch: boolean
  seed: string | undefined
}

export const tapCommand: CommandModule<object, TapArgs> = {
  command: 'tap <if>',
  describe: 'observe a mirror/tap interface and inject forged resets at L3 (IDS style)',
  builder: y => y
    .positional('if', { type: 'string', demandOption: true, describe: 'mirror / tap interface to observe' })
    .option('policy', { type: 'string', demandOption: true, describe: 'policy YAML; zones come from networks (a tap has no sides)' })
    .option('control', { type: 'string', default: DEFAULT_CONTROL_PATH, describe: 'control socket for `rstlab show|clear` (mode 0600)' })
    .option('log', { type: 'string', describe: 'traffic log (pino JSON lines) to this file instead of stderr' })
    .option('trace', { type: 'boolean', default: false, describe: 'log a trace line per packet decision (slow)' })
    .option('rematch', { type: 'boolean', default: false, describe: 'on SIGHUP reload, re-evaluate existing sessions' })
    .option('seed', { type: 'string', describe: 'seed of the engine\'s randomness, 0-4294967295, to repeat a run; default: a new random one per start, logged' })
    .epilog('A tap sees copies of the traffic and cannot stop it: every packet has already reached its destination. ' +
      'Forged RSTs/ICMP are sent through a raw IP socket and RACE the real traffic — the endpoint may act on the real ' +
      'packets first, and a RST whose sequence number is no longer acceptable is ignored. This is the classic IDS reset, ' +
      'not a firewall. The host needs a route to the endpoints. Needs root (or CAP_NET_RAW).') as never,
  handler: async (a) => {
    // Loaded on use: the live stack (native capture, control server) is not needed by other commands.
    const seed = seedOption(a.seed)
    const { startLive } = await import('../live/start.js')
    await startLive({
      seed,
      mode: 'tap', interfaces: [a.if], policyPath: a.policy, controlPath: a.control, logFile: a.log,
      inject: 'l3', trace: a.trace, rematch: a.rematch, allowOffloads: true,
    })
  },
}
