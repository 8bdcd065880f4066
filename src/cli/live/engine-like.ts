/**
 * What the live runner uses of the engine: the real `Engine`'s own signatures, narrowed to the calls the
 * runner makes, so the runner's I/O can be exercised with a stand-in that has the same shape.
 */
import type { Engine } from '../../engine/engine.js'

export type EngineLike = Pick<Engine,
  'process' | 'advance' | 'nextDeadline' | 'sessions' | 'session' | 'counters' | 'clearSessions' | 'clearCounters' | 'setPolicy' | 'applyAction'>
