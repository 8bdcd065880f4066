/**
 * The Node API for driving a running bridge from tests (`import { connectControl } from 'rstlab'`): one
 * method per control command, over the unix control socket (default) or the optional HTTP/JSON listener.
 * No connection is held between calls: every call is one request and one answer. Errors are RstlabErrors
 * with the bridge's own code (RSTLAB_ERR_USAGE for a bad value, RSTLAB_ERR_POLICY for a setting the
 * policy loader refuses, RSTLAB_ERR_CONTROL when nothing answers or the token is wrong).
 */
import { controlRequest } from './client.js'
import { httpRequest } from './http.js'
import {
  DEFAULT_CONTROL_PATH, type ClockAdvanceReply, type ClockReply, type ControlCommand, type ControlReplies,
  type CountersReply, type InfoReply, type ResetAction, type ResetReply, type RulesReply, type SetReply,
} from './protocol.js'
import type { SessionInfo } from '../engine/types.js'

export interface ControlOptions {
  /** The bridge's unix control socket (default /run/rstlab/rstlab.sock). Ignored when `url` is given. */
  socket?: string
  /** The bridge's HTTP listener, e.g. 'http://127.0.0.1:9180' (`rstlab bridge ... --http 127.0.0.1:9180`). */
  url?: string
  /** The HTTP listener's token (required with `url`). */
  token?: string
  /** Per-request timeout (default 3000 ms). */
  timeoutMs?: number
}

export interface Control {
  /** Send any control command; the typed methods below are shorthands. */
  request<C extends ControlCommand> (cmd: C): Promise<ControlReplies[C['cmd']]>
  info (): Promise<InfoReply>
  sessions (): Promise<SessionInfo[]>
  session (id: number): Promise<SessionInfo>
  counters (opts?: { delta?: boolean }): Promise<CountersReply>
  /** One global counter's value (0 when it has not counted anything). */
  counter (name: string): Promise<number>
  rules (): Promise<RulesReply>
  clearSessions (): Promise<{ cleared: number }>
  clearCounters (): Promise<{ cleared: true }>
  clock (): Promise<ClockReply>
  /**
   * Move the engine clock forward `seconds`: sessions idle long enough age out at once. With `steps` > 1
   * the advance is made in equal steps `pauseMs` real milliseconds apart (default 1000), so the endpoints'
   * own timers (TCP keepalive, retransmissions) get to run in between; the reply sums the steps.
   */
  advanceClock (seconds: number, opts?: { steps?: number, pauseMs?: number }): Promise<ClockAdvanceReply>
  /** Settings by SECTION.KEY (`session.timeout-tcp`); all of them without `key`. */
  get (key?: string): Promise<Record<string, unknown>>
  /** Change one setting (validated like the policy file; a text value is read as YAML: '30', 'yes'). */
  set (key: string, value: unknown): Promise<SetReply>
  /** Apply a firewall action now to one session (by id) or to every session a filter matches. */
  reset (target: number | { match: string }, action: ResetAction): Promise<ResetReply>
}

const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

/** A client for the bridge `opts` names (no request is sent until a method is called). */
export function controlClient (opts: ControlOptions = {}): Control {
  const timeoutMs = opts.timeoutMs ?? 3000
  const request = <C extends ControlCommand>(cmd: C): Promise<ControlReplies[C['cmd']]> =>
    opts.url !== undefined
      ? httpRequest(opts.url, opts.token ?? '', cmd, timeoutMs)
      : controlRequest(opts.socket ?? DEFAULT_CONTROL_PATH, cmd, timeoutMs)
  const c: Control = {
    request,
    info: () => request({ cmd: 'info' }),
    sessions: () => request({ cmd: 'sessions' }),
    session: id => request({ cmd: 'session', sid: id }),
    counters: o => request({ cmd: 'counters', delta: o?.delta === true }),
    counter: async name => (await request({ cmd: 'counters' })).counters.find(x => x.name === name)?.value ?? 0,
    rules: () => request({ cmd: 'rules' }),
    clearSessions: () => request({ cmd: 'clear-sessions' }),
    clearCounters: () => request({ cmd: 'clear-counters' }),
    clock: () => request({ cmd: 'clock' }),
    advanceClock: async (seconds, o) => {
      const steps = Math.max(1, Math.floor(o?.steps ?? 1))
      if (steps === 1) return await request({ cmd: 'clock-advance', seconds })
      let sum: ClockAdvanceReply | undefined
      for (let i = 0; i < steps; i++) {
        if (i > 0) await sleep(o?.pauseMs ?? 1000)
        const r = await request({ cmd: 'clock-advance', seconds: seconds / steps })
        sum = sum === undefined ? r : { ...r, advancedS: sum.advancedS + r.advancedS, agedOut: sum.agedOut + r.agedOut, forged: sum.forged + r.forged }
      }
      return sum!
    },
    get: key => request(key === undefined ? { cmd: 'get' } : { cmd: 'get', key }),
    set: (key, value) => request({ cmd: 'set', key, value }),
    reset: (target, action) => request(typeof target === 'number'
      ? { cmd: 'reset', sid: target, action }
      : { cmd: 'reset', match: target.match, action }),
  }
  return c
}

/**
 * Connect to a running bridge and check that it answers (one `info` request), e.g.
 *
 *   const fw = await connectControl({ socket: '/run/rstlab/rstlab.sock' })
 *   await fw.advanceClock(3601)
 *
 * @throws RstlabError RSTLAB_ERR_CONTROL when nothing answers there (or the HTTP token is refused)
 */
export async function connectControl (opts: ControlOptions = {}): Promise<Control> {
  const c = controlClient(opts)
  await c.info()
  return c
}
