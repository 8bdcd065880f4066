import type { CommandModule } from 'yargs'
import { DEFAULT_CONTROL_PATH } from '../../control/protocol.js'
import { startLive } from '../live/start.js'
import { RstlabError } from '../../errors.js'

function ringBytes (mb: number): number {
  if (!Number.isFinite(mb) || mb < 1 || mb > 1024) {
    throw new RstlabError('RSTLAB_ERR_USAGE', `--ring-mb must be between 1 and 1024, got ${mb}`, 'the default, 8, suits most labs')
  }
  return Math.round(mb * 1024 * 1024)
}

interface BridgeArgs {
  ifA: string
  ifB: string
  policy: string
  control: string
  log: string | undefined
  inject: 'l2' | 'l3'
  trace: boolean
  rematch: boolean
  'allow-offloads': boolean
  'ring-mb': number
}

export const bridgeCommand: CommandModule<object, BridgeArgs> = {
  command: 'bridge <ifA> <ifB>',
  describe: 'bridge two interfaces through the firewall engine (a virtual wire)',
  builder: y => y
    .positional('ifA', { type: 'string', demandOption: true, describe: 'first interface (port 0)' })
    .positional('ifB', { type: 'string', demandOption: true, describe: 'second interface (port 1)' })
    .option('policy', { type: 'string', demandOption: true, describe: 'policy YAML; zones.*.interfaces name IF_A / IF_B' })
    .option('control', { type: 'string', default: DEFAULT_CONTROL_PATH, describe: 'control socket for `rstlab show|clear` (mode 0600)' })
    .option('log', { type: 'string', describe: 'traffic log (pino JSON lines) to this file instead of stderr' })
    .option('inject', { choices: ['l2', 'l3'] as const, default: 'l2' as const, describe: 'forged packets: l2 = Ethernet frames sent on the bridge port (default); l3 = raw IP socket bound to the port, IP header kept (the kernel resolves the neighbour, so the port sends ARP/ND)' })
    .option('trace', { type: 'boolean', default: false, describe: 'log a trace line per packet decision (slow)' })
    .option('rematch', { type: 'boolean', default: false, describe: 'on SIGHUP reload, re-evaluate existing sessions against the new rules' })
    .option('ring-mb', { type: 'number', default: 8, describe: 'kernel capture ring per port in MB (pcap buffer size)' })
    .option('allow-offloads', { type: 'boolean', default: false, describe: 'start even when GRO/LRO is on (oversized frames are then counted and dropped)' })
    .epilog('Signals: SIGINT/SIGTERM stop (open sessions are logged, final counters printed); SIGHUP reloads the policy ' +
      'atomically (a bad file is refused and the running policy stays).\n' +
      'Needs root (or CAP_NET_RAW + CAP_NET_ADMIN), the optional packages cap and raw-socket, and receive offloads off ' +
      'on both ports (ethtool -K IF gro off lro off). See docs/lab.md.') as never,
  handler: async (a) => {
    await startLive({
      mode: 'bridge', interfaces: [a.ifA, a.ifB], policyPath: a.policy, controlPath: a.control, logFile: a.log,
      inject: a.inject, trace: a.trace, rematch: a.rematch, allowOffloads: a['allow-offloads'],
      ringBytes: ringBytes(a['ring-mb']),
    })
  },
}
