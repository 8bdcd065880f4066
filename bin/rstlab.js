#!/usr/bin/env node
// Thin launcher: the CLI is compiled TypeScript under build/ (`npm run build`), bundled into one
// file (build/rstlab.mjs, tools/bundle.mjs) because loading its ~220 modules one by one was a third
// of a short command's time. The separate modules are used when there is no bundle, when it is
// older than them (a `tsc` run without the bundle step), or with RSTLAB_NO_BUNDLE=1.
import { existsSync, statSync } from 'node:fs'
import module from 'node:module'
// Node >= 22: cache compiled code between runs (startup is most of a short command's time).
module.enableCompileCache?.()
import { fileURLToPath } from 'node:url'
const main = new URL('../build/src/cli/main.js', import.meta.url)
const bundle = new URL('../build/rstlab.mjs', import.meta.url)
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write('rstlab: not built yet: run `npm run build` (or `npm ci`, which builds) first\n')
  process.exit(2)
}
const fresh = (() => {
  if (process.env.RSTLAB_NO_BUNDLE === '1') return false
  try { return statSync(bundle).mtimeMs >= statSync(main).mtimeMs } catch { return false }
})()
const entry = fresh ? bundle : main
// For tests and bug reports: which of the two runs.
if (process.env.RSTLAB_DEBUG_ENTRY === '1') process.stderr.write(`rstlab: entry ${fileURLToPath(entry)}\n`)
await import(entry.href)
