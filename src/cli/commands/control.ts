/**
 * The bridge as a test fixture: `rstlab clock [advance SECONDS]`, `rstlab get [KEY]`, `rstlab set KEY VALUE`,
 * `rstlab reset [ID] [--match FILTER] --action ACTION`, all over the control socket (docs/fixture.md).
 */
import type { CommandModule } from 'yargs'
import { RstlabError } from '../../errors.js'
import { controlClient } from '../../control/api.js'
import { DEFAULT_CONTROL_PATH, RESET_ACTIONS, type ClockReply, type ResetAction } from '../../control/protocol.js'

function out (json: boolean, data: unknown, text: () => string): void {
  process.stdout.write(json ? JSON.stringify(data, null, 2) + '\n' : text())
}

function clockText (c: ClockReply): string {
  return c.offsetS === 0
    ? `engine clock: real time (no offset); engine time ${c.engineTime}\n`
    : `engine clock: +${c.offsetS} s ahead of real time; engine time ${c.engineTime}\n`
}

function show (v: unknown): string {
  return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)
}

interface ClockArgs { action: string | undefined, seconds: number | undefined, steps: number, pause: number, control: string, json: boolean }

export const clockCommand: CommandModule<object, ClockArgs> = {
  command: 'clock [action] [seconds]',
  describe: 'a running bridge\'s engine clock: show its offset, or `advance SECONDS` (idle sessions age out at once)',
  builder: y => y
    .positional('action', { choices: ['advance'], describe: 'advance: move the engine clock forward' })
    .positional('seconds', { type: 'number', describe: 'how far (seconds, > 0)' })
    .option('steps', { type: 'number', default: 1, describe: 'advance in N equal steps, --pause real seconds apart (endpoint timers such as TCP keepalive run in between)' })
    .option('pause', { type: 'number', default: 1, describe: 'real seconds between steps' })
    .option('control', { type: 'string', default: DEFAULT_CONTROL_PATH, describe: 'the bridge\'s control socket' })
    .option('json', { type: 'boolean', default: false, describe: 'machine-readable output' })
    .example('$0 clock advance 3601', 'age out every TCP session idle for the default timeout-tcp (3600 s)')
    .example('$0 clock advance 3601 --steps 6 --pause 1.5', 'the same hour in six jumps, letting keepalives through between them') as never,
  handler: async (a) => {
    const ctl = controlClient({ socket: a.control })
    if (a.action === undefined) {
      const c = await ctl.clock()
      out(a.json, c, () => clockText(c))
      return
    }
    if (a.seconds === undefined) {
      throw new RstlabError('RSTLAB_ERR_USAGE', '`clock advance` needs a number of seconds', 'e.g. rstlab clock advance 3601')
    }
    const r = await ctl.advanceClock(a.seconds, { steps: a.steps, pauseMs: a.pause * 1000 })
    out(a.json, r, () => `clock advanced ${r.advancedS} s: ${r.agedOut} session(s) aged out, ${r.forged} packet(s) forged\n` + clockText(r))
  },
}

interface GetArgs { key: string | undefined, control: string, json: boolean }

export const getCommand: CommandModule<object, GetArgs> = {
  command: 'get [key]',
  describe: 'a running bridge\'s settings (SECTION.KEY as in the policy file, e.g. session.timeout-tcp); all without KEY',
  builder: y => y
    .positional('key', { type: 'string', describe: 'e.g. session.timeout-tcp, tcp.allow-challenge-ack' })
    .option('control', { type: 'string', default: DEFAULT_CONTROL_PATH, describe: 'the bridge\'s control socket' })
    .option('json', { type: 'boolean', default: false }) as never,
  handler: async (a) => {
    const data = await controlClient({ socket: a.control }).get(a.key)
    out(a.json, data, () => Object.entries(data).map(([k, v]) => `${k}: ${show(v)}\n`).join(''))
  },
}

interface SetArgs { key: string, value: string, control: string, json: boolean }

export const setCommand: CommandModule<object, SetArgs> = {
  command: 'set <key> <value>',
  describe: 'change one setting of a running bridge, validated like the policy file and applied atomically (like a SIGHUP reload)',
  builder: y => y
    .positional('key', { type: 'string', demandOption: true, describe: 'SECTION.KEY, e.g. session.timeout-tcp' })
    .positional('value', { type: 'string', demandOption: true, describe: 'as in the policy file: 30, yes, both, ...' })
    .option('control', { type: 'string', default: DEFAULT_CONTROL_PATH, describe: 'the bridge\'s control socket' })
    .option('json', { type: 'boolean', default: false })
    .example('$0 set session.timeout-tcp 30', '')
    .example('$0 set tcp.allow-challenge-ack yes', '')
    .epilog('A SIGHUP reload reads the policy file again, so values set here last until the next reload.') as never,
  handler: async (a) => {
    const r = await controlClient({ socket: a.control }).set(a.key, String(a.value))
    out(a.json, r, () => `${r.key}: ${show(r.previous)} -> ${show(r.value)}${r.rematch ? ` (existing sessions re-matched, ${r.forged} packet(s) forged)` : ''}\n`)
  },
}

interface ResetArgs { id: number | undefined, match: string | undefined, action: ResetAction, control: string, json: boolean }

export const resetCommand: CommandModule<object, ResetArgs> = {
  command: 'reset [id]',
  describe: 'apply a firewall action to live sessions now: one session id, or every session matching --match',
  builder: y => y
    .positional('id', { type: 'number', describe: 'session id (rstlab show sessions)' })
    .option('match', { type: 'string', describe: 'session filter, e.g. \'destination-port 80 protocol tcp\' (docs/fixture.md)' })
    .option('action', { choices: RESET_ACTIONS, demandOption: true, describe: 'what the firewall does, as a rule action would' })
    .option('control', { type: 'string', default: DEFAULT_CONTROL_PATH, describe: 'the bridge\'s control socket' })
    .option('json', { type: 'boolean', default: false })
    .example('$0 reset 7 --action reset-both', '')
    .example('$0 reset --match \'destination 198.18.0.2 destination-port 5432\' --action drop', '') as never,
  handler: async (a) => {
    if ((a.id === undefined) === (a.match === undefined)) {
      throw new RstlabError('RSTLAB_ERR_USAGE', 'reset needs a session id or --match FILTER (one of them)', 'e.g. rstlab reset 7 --action reset-both')
    }
    const ctl = controlClient({ socket: a.control })
    const r = a.id !== undefined ? await ctl.reset(a.id, a.action) : await ctl.reset({ match: a.match! }, a.action)
    out(a.json, r, () => `${r.action}: ${r.sessions.length === 0 ? 'no session' : `session(s) ${r.sessions.join(', ')}`}` +
      `, ${r.forged} packet(s) forged` +
      (r.skipped.length > 0 ? `; left alone (not ACTIVE): ${r.skipped.map(s => `${s.id} (${s.state})`).join(', ')}` : '') + '\n')
  },
}
