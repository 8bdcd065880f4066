/**
 * The engine scenarios run on: the real `Engine` from engine/engine.ts.
 */
import type { EngineOptions } from '../engine/types.js'
import type { EngineFactory, EngineLike } from './runner.js'

/** Load the engine module and return a factory for it. */
export async function loadEngineFactory (): Promise<EngineFactory> {
  // Imported by a computed name until engine/engine.ts lands on this branch (see the final report).
  const name = '../engine/engine.js'
  const mod = await import(name) as { Engine: new (o: EngineOptions) => EngineLike }
  return (o: EngineOptions) => new mod.Engine(o)
}
