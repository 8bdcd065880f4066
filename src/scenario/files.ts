/**
 * Finding scenario files and running a batch of them: what `rstlab run`, `rstlab lessons run` and the
 * scenario test share. Reading files is the only I/O here (and writing captures when asked).
 */
import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { RstlabError, isRstlabError } from '../errors.js'
import { readInputFile } from '../input-file.js'
import { PACKAGE_ROOT } from '../paths.js'
import { parseScenario } from './parser.js'
import { runScenario, type EngineFactory, type RunResult } from './runner.js'
import { writeHostCaptures } from './capture.js'
import type { Scenario } from './types.js'

export const SCENARIO_EXT = '.scn'

export { PACKAGE_ROOT }

export const LESSONS_DIR = path.join(PACKAGE_ROOT, 'scenarios', 'lessons')
export const POLICIES_DIR = path.join(PACKAGE_ROOT, 'policies')

/**
 * Expand FILE|DIR arguments into scenario files: directories are searched recursively for `*.scn`,
 * sorted by path so runs are reproducible.
 * @throws {RstlabError} RSTLAB_ERR_IO for a path that does not exist or a folder with no scenarios.
 */
export function findScenarios (args: readonly string[]): string[] {
  const out: string[] = []
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name)
      if (e.isDirectory()) walk(p)
      else if (e.name.endsWith(SCENARIO_EXT)) out.push(p)
    }
  }
  for (const a of args) {
    if (!existsSync(a)) throw new RstlabError('RSTLAB_ERR_IO', `${a}: no such file or folder`, 'name scenario files (*.scn) or folders holding them')
    if (statSync(a).isDirectory()) {
      const before = out.length
      walk(a)
      if (out.length === before) throw new RstlabError('RSTLAB_ERR_IO', `${a}: no ${SCENARIO_EXT} files in this folder`)
    } else out.push(a)
  }
  return out
}

/** Read and parse one scenario file. @throws {RstlabError} RSTLAB_ERR_IO / RSTLAB_ERR_SCRIPT_SYNTAX. */
export function loadScenario (file: string): Scenario {
  return parseScenario(readInputFile(file, 'scenario file', MAX_SCENARIO_BYTES), file)
}

/** Largest scenario file read (checked before reading; docs/errors.md). */
export const MAX_SCENARIO_BYTES = 16 << 20

export interface FileOutcome {
  file: string
  /** Set when the file ran (pass or fail). */
  result?: RunResult
  /** Set when the file could not run: syntax error, missing policy, I/O. */
  error?: RstlabError
  captures: string[]
}

/** Parse, run and (optionally) capture one file; script errors are returned, not thrown. */
export function runFile (file: string, engine: EngineFactory, pcapDir?: string): FileOutcome {
  try {
    const sc = loadScenario(file)
    const result = runScenario(sc, { engine, policyDirs: [POLICIES_DIR, path.join(LESSONS_DIR, 'policies')] })
    const captures = pcapDir !== undefined ? writeHostCaptures(result, pcapDir) : []
    return { file, result, captures }
  } catch (e) {
    if (isRstlabError(e)) return { file, error: e, captures: [] }
    throw e
  }
}

/** Exit code for a batch: 2 if any file could not run, else 1 if any expectation failed, else 0. */
export function exitCode (outcomes: readonly FileOutcome[]): number {
  if (outcomes.some(o => o.error !== undefined)) return 2
  if (outcomes.some(o => o.result !== undefined && !o.result.passed)) return 1
  return 0
}
