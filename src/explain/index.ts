/**
 * `rstlab explain`: who reset each connection of a capture, and why. `Explainer` is the pure
 * analysis (frames in, reports out); `render.ts` turns its data into English and JSON lines.
 */
export { Explainer, initialTtl, hopsFrom, icmpName, isAdminProhibited } from './analyzer.js'
export type { ExplainOptions } from './analyzer.js'
export { parseConnectionFilter } from './filter.js'
export type { ConnectionFilter } from './filter.js'
export { SideExplainer } from './sides.js'
export type { WireSide, WireReport } from './sides.js'
export * from './types.js'
export {
  connectionNarrative, summaryText, resetJson, resetObject, patternObject, wireJson, wireNarrative, patternJson, summaryJson, evidenceText, patternExplanation,
  resetComment, patternComment, PATTERN_INFO, connectionText,
} from './render.js'
