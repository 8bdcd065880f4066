import type { CommandModule } from 'yargs'
import { RstlabError } from '../../errors.js'
import { controlRequest } from '../../control/client.js'
import { DEFAULT_CONTROL_PATH } from '../../control/protocol.js'
import { formatCounters, formatRules, formatSessionDetail, formatSessionTable, type SessionView } from '../../control/format.js'

interface ShowArgs {
  what: string
  id: string | undefined
  control: string
  json: boolean
  delta: boolean
}

function out (json: boolean, data: unknown, text: () => string): void {
  process.stdout.write(json ? JSON.stringify(data, null, 2) + '\n' : text())
}

export const showCommand: CommandModule<object, ShowArgs> = {
  command: 'show <what> [id]',
  describe: 'ask a running bridge: sessions | session ID | counters [--delta] | rules',
  builder: y => y
    .positional('what', { choices: ['sessions', 'session', 'counters', 'rules'], demandOption: true })
    .positional('id', { type: 'string', describe: 'session id (for `show session`)' })
    .option('control', { type: 'string', default: DEFAULT_CONTROL_PATH, describe: 'the bridge\'s control socket' })
    .option('json', { type: 'boolean', default: false, describe: 'machine-readable output' })
    .option('delta', { type: 'boolean', default: false, describe: 'counters: change since the previous --delta call (PAN-OS `filter delta yes`)' })
    .example('$0 show sessions', 'like PAN-OS `show session all`')
    .example('$0 show counters --delta', 'like `show counter global filter delta yes`') as never,
  handler: async (a) => {
    switch (a.what) {
      case 'sessions': {
        const data = await controlRequest(a.control, { cmd: 'sessions' })
        out(a.json, data, () => formatSessionTable(data as SessionView[]))
        return
      }
      case 'session': {
        const sid = Number(a.id)
        if (a.id === undefined || !Number.isInteger(sid) || sid <= 0) {
          throw new RstlabError('RSTLAB_ERR_USAGE', `\`show session\` needs a session id, got ${a.id ?? 'none'}`,
            'list them with: rstlab show sessions')
        }
        const data = await controlRequest(a.control, { cmd: 'session', sid })
        out(a.json, data, () => formatSessionDetail(data as SessionView))
        return
      }
      case 'counters': {
        const data = await controlRequest(a.control, { cmd: 'counters', delta: a.delta })
        out(a.json, data, () => formatCounters(data))
        return
      }
      case 'rules': {
        const data = await controlRequest(a.control, { cmd: 'rules' })
        out(a.json, data, () => formatRules(data))
      }
    }
  },
}

interface ClearArgs { what: string, control: string, json: boolean }

export const clearCommand: CommandModule<object, ClearArgs> = {
  command: 'clear <what>',
  describe: 'on a running bridge: clear sessions (each is logged, end reason unknown) | clear counters',
  builder: y => y
    .positional('what', { choices: ['sessions', 'counters'], demandOption: true })
    .option('control', { type: 'string', default: DEFAULT_CONTROL_PATH, describe: 'the bridge\'s control socket' })
    .option('json', { type: 'boolean', default: false }) as never,
  handler: async (a) => {
    if (a.what === 'sessions') {
      const data = await controlRequest(a.control, { cmd: 'clear-sessions' })
      out(a.json, data, () => `cleared ${data.cleared} session(s)\n`)
    } else {
      const data = await controlRequest(a.control, { cmd: 'clear-counters' })
      out(a.json, data, () => 'counters cleared\n')
    }
  },
}
