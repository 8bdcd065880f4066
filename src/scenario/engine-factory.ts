/**
 * The engine scenarios run on: the real `Engine` (engine/engine.ts), with tracing on so the ladder
 * can narrate its decisions.
 */
import { Engine } from '../engine/engine.js'
import type { EngineOptions } from '../engine/types.js'
import type { EngineFactory } from './runner.js'

export const engineFactory: EngineFactory = (o: EngineOptions) => new Engine(o)

/** Kept async so a future engine that loads lazily does not change callers. */
export async function loadEngineFactory (): Promise<EngineFactory> {
  return engineFactory
}
