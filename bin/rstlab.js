#!/usr/bin/env node
// Thin launcher: the CLI is compiled TypeScript under build/ (`npm run build`).
import { existsSync } from 'node:fs'
import module from 'node:module'
// Node >= 22: cache compiled code between runs (startup is most of a short command's time).
module.enableCompileCache?.()
import { fileURLToPath } from 'node:url'
const main = new URL('../build/src/cli/main.js', import.meta.url)
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write('rstlab: not built yet: run `npm run build` (or `npm ci`, which builds) first\n')
  process.exit(2)
}
await import(main.href)
