/**
 * The package's programmatic entry point (`import { connectControl } from 'rstlab'`): drive a running
 * `rstlab bridge` from tests written in JavaScript or TypeScript. See docs/fixture.md.
 *
 *   import { connectControl } from 'rstlab'
 *   const fw = await connectControl({ socket: '/run/rstlab/rstlab.sock' })   // or { url, token }
 *   await fw.advanceClock(3601)                                               // idle sessions age out now
 *   await fw.set('emulator.reset-on-age-out', 'both')
 *   await fw.reset({ match: 'destination-port 5432' }, 'reset-both')
 */
export { connectControl, controlClient, type Control, type ControlOptions } from './control/api.js'
export {
  DEFAULT_CONTROL_PATH, RESET_ACTIONS, CONTROL_COMMANDS,
  type ControlCommand, type ControlReplies, type ClockReply, type ClockAdvanceReply, type SetReply, type ResetReply,
  type ResetAction, type CountersReply, type CounterRow, type RulesReply, type RuleRow, type InfoReply,
} from './control/protocol.js'
export { SETTING_KEYS } from './control/settings.js'
export { FILTER_KEYS } from './control/filter.js'
export type { SessionInfo, SessionState, EndReason } from './engine/types.js'
export { RstlabError, isRstlabError, ERROR_CODES, type ErrorCode } from './errors.js'
