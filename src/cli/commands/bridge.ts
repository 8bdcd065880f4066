import type { CommandModule } from 'yargs'
import { DEFAULT_CONTROL_PATH } from '../../control/protocol.js'
import { RstlabError } from '../../errors.js'
import { readFileSync, statSync } from 'node:fs'
import { parseHttpAddress } from '../../control/http.js'
import { logFormatOption } from '../log-output.js'
import type { LogFormat } from '../../logs/panos-format.js'
import { SYSLOG_FORMATS, parseSyslogTarget, type SyslogFormat } from '../../logs/syslog.js'

/** `--syslog` checked in the parent before the live child starts. @throws {RstlabError} RSTLAB_ERR_USAGE */
function checkSyslog (spec: string | undefined): void {
  if (spec === undefined) return
  const t = parseSyslogTarget(spec)
  if (typeof t === 'string') throw new RstlabError('RSTLAB_ERR_USAGE', t, 'e.g. --syslog 127.0.0.1:514/udp or --syslog 198.18.0.9:6514/tcp')
}

function ringBytes (mb: number): number {
  if (!Number.isFinite(mb) || mb < 1 || mb > 1024) {
    throw new RstlabError('RSTLAB_ERR_USAGE', `--ring-mb must be between 1 and 1024, got ${mb}`, 'the default, 8, suits most labs')
  }
  return Math.round(mb * 1024 * 1024)
}

/**
 * `--seed N`: the engine's seed (Random Early Drop's coin, the SYN-cookie key), an integer
 * 0..4294967295. Undefined when not given: the live runner then draws one.
 * @throws {RstlabError} RSTLAB_ERR_USAGE for anything else.
 */
export function seedOption (v: string | undefined): number | undefined {
  if (v === undefined) return undefined
  if (!/^\d{1,10}$/.test(v) || Number(v) > 0xffffffff) {
    throw new RstlabError('RSTLAB_ERR_USAGE', `--seed takes an integer from 0 to 4294967295, not \`${v}\``, 'leave it out for a new random seed per start; the one used is logged (`engine seed`)')
  }
  return Number(v)
}

/** `--http` and its token: --http-token-file, else RSTLAB_HTTP_TOKEN, else the runner makes one. */
export function httpOptions (http: string | undefined, tokenFile: string | undefined): { http?: string, httpToken?: string } {
  if (http === undefined) {
    if (tokenFile !== undefined) throw new RstlabError('RSTLAB_ERR_USAGE', '--http-token-file needs --http HOST:PORT', 'e.g. --http 127.0.0.1:9180')
    return {}
  }
  parseHttpAddress(http)
  if (tokenFile !== undefined) {
    let text: string
    try {
      if ((statSync(tokenFile).mode & 0o077) !== 0) {
        throw new RstlabError('RSTLAB_ERR_USAGE', `the token file ${tokenFile} is readable by others`, `chmod 600 ${tokenFile}`)
      }
      text = readFileSync(tokenFile, 'utf8').trim()
    } catch (e) {
      if (e instanceof RstlabError) throw e
      throw new RstlabError('RSTLAB_ERR_IO', `cannot read the token file ${tokenFile}: ${(e as Error).message}`, 'check the path')
    }
    return { http, httpToken: text }
  }
  const env = process.env.RSTLAB_HTTP_TOKEN
  return env !== undefined && env !== '' ? { http, httpToken: env } : { http }
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
  http: string | undefined
  'http-token-file': string | undefined
  'log-format': LogFormat
  syslog: string | undefined
  'syslog-format': SyslogFormat
  seed: string | undefined
}

export const bridgeCommand: CommandModule<object, BridgeArgs> = {
  command: 'bridge <ifA> <ifB>',
  describe: 'bridge two interfaces through the firewall engine (a virtual wire)',
  builder: y => logFormatOption(y)
    .positional('ifA', { type: 'string', demandOption: true, describe: 'first interface (port 0)' })
    .positional('ifB', { type: 'string', demandOption: true, describe: 'second interface (port 1)' })
    .option('policy', { type: 'string', demandOption: true, describe: 'policy YAML; zones.*.interfaces name IF_A / IF_B' })
    .option('control', { type: 'string', default: DEFAULT_CONTROL_PATH, describe: 'control socket for `rstlab show|clear` (mode 0600)' })
    .option('log', { type: 'string', describe: 'traffic/threat log (--log-format) and system lines to this file instead of stderr' })
    .option('syslog', { type: 'string', describe: 'also send the traffic/threat lines to a syslog collector HOST:PORT[/udp|/tcp] (csv unless --log-format json; docs/logs.md)' })
    .option('syslog-format', { choices: SYSLOG_FORMATS as SyslogFormat[], default: 'bsd' as SyslogFormat, describe: 'syslog message format: bsd (RFC 3164; TCP: LF framing) or ietf (RFC 5424; TCP: octet counting)' })
    .option('inject', { choices: ['l2', 'l3'] as const, default: 'l2' as const, describe: 'forged packets: l2 = Ethernet frames sent on the bridge port (default); l3 = raw IP socket bound to the port, IP header kept (the kernel resolves the neighbour, so the port sends ARP/ND)' })
    .option('trace', { type: 'boolean', default: false, describe: 'log a trace line per packet decision (slow)' })
    .option('rematch', { type: 'boolean', default: false, describe: 'on SIGHUP reload, re-evaluate existing sessions against the new rules' })
    .option('ring-mb', { type: 'number', default: 8, describe: 'kernel capture ring per port in MB (pcap buffer size)' })
    .option('http', { type: 'string', describe: 'also serve the control commands as HTTP/JSON on this loopback HOST:PORT (token required; docs/fixture.md)' })
    .option('http-token-file', { type: 'string', describe: 'the --http token (else RSTLAB_HTTP_TOKEN, else one is made and written to CONTROL.http-token)' })
    .option('seed', { type: 'string', describe: 'seed of the engine\'s randomness (Random Early Drop, the SYN-cookie key), 0-4294967295, to repeat a run; default: a new random one per start, logged' })
    .option('allow-offloads', { type: 'boolean', default: false, describe: 'start even when GRO/LRO is on (oversized frames are then counted and dropped)' })
    .epilog('Signals: SIGINT/SIGTERM stop (open sessions are logged, final counters printed); SIGHUP reloads the policy ' +
      'atomically (a bad file is refused and the running policy stays).\n' +
      'Needs root (or CAP_NET_RAW + CAP_NET_ADMIN), the optional packages cap and raw-socket, and receive offloads off ' +
      'on both ports (ethtool -K IF gro off lro off). See docs/lab.md.') as never,
  handler: async (a) => {
    // Loaded on use: the live stack (native capture, control server) is not needed by other commands.
    checkSyslog(a.syslog)
    const seed = seedOption(a.seed)
    const { startLive } = await import('../live/start.js')
    await startLive({
      logFormat: a['log-format'], syslog: a.syslog, syslogFormat: a['syslog-format'],
      mode: 'bridge', interfaces: [a.ifA, a.ifB], policyPath: a.policy, controlPath: a.control, logFile: a.log,
      inject: a.inject, trace: a.trace, rematch: a.rematch, allowOffloads: a['allow-offloads'],
      ringBytes: ringBytes(a['ring-mb']), seed,
      ...httpOptions(a.http, a['http-token-file']),
    })
  },
}
