/**
 * Where rstlab's shipped files are (policies/, scenarios/lessons/, docs/), wherever the package is installed:
 * a checkout, `npm link`, `npx rstlab`, a global install, the container's /opt/rstlab. Hints name these
 * paths so that what they suggest exists where the user runs rstlab.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The package root: the folder holding package.json above this module (build/src/paths.js → two up). */
export const PACKAGE_ROOT = ((): string => {
  let dir = path.dirname(fileURLToPath(import.meta.url))
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir)
  return dir
})()

/**
 * A shipped file or folder (`policies/allow-all.yaml`) as the user should type it from the current folder:
 * relative when it lies under the current folder (a checkout), else absolute.
 */
export function shippedPath (rel: string, cwd: string = process.cwd()): string {
  const abs = path.join(PACKAGE_ROOT, rel)
  const fromCwd = path.relative(cwd, abs)
  return fromCwd !== '' && !fromCwd.startsWith('..') && !path.isAbsolute(fromCwd) ? fromCwd : abs
}
