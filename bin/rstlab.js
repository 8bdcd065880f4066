#!/usr/bin/env node
// Thin launcher: the CLI is compiled TypeScript under build/ (`npm run build`), bundled into one
// file (build/rstlab.cjs, tools/bundle.mjs) because loading its ~220 modules one by one was a third
// of a short command's time. The separate modules are used when there is no bundle, when it is
// older than them (a `tsc` run without the bundle step), or with RSTLAB_NO_BUNDLE=1.
//
// The bundle is compiled with V8's code cache (docs/architecture.md#start-up): the bytecode of every
// function a run compiled is kept in build/cache/, one file per command, Node version, architecture
// and V8 flags, written when there is none or V8 refused the one there (another build, another Node), and
// read by the next run, which then parses and compiles almost nothing. No cache is kept when
// build/ is not writable; RSTLAB_NO_CODE_CACHE=1 neither reads nor writes one.
import { existsSync, statSync, readFileSync, writeFileSync, renameSync, mkdirSync, rmSync } from 'node:fs'
import module from 'node:module'
import vm from 'node:vm'
import path from 'node:path'
// Node >= 22: cache compiled code of the separate modules between runs.
module.enableCompileCache?.()
import { fileURLToPath } from 'node:url'
const main = new URL('../build/src/cli/main.js', import.meta.url)
const bundle = fileURLToPath(new URL('../build/rstlab.cjs', import.meta.url))
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write('rstlab: not built yet: run `npm run build` (or `npm ci`, which builds) first\n')
  process.exit(2)
}
let bundleStat
try { bundleStat = statSync(bundle) } catch { /* not bundled */ }
const fresh = process.env.RSTLAB_NO_BUNDLE !== '1' && bundleStat !== undefined && bundleStat.mtimeMs >= statSync(fileURLToPath(main)).mtimeMs

/** The commands of src/cli/main.ts (test/cli/bundle.test.ts checks the list against `rstlab --help`). */
const COMMANDS = ['decode', 'replay', 'policy', 'run', 'lessons', 'bridge', 'tap', 'show', 'clear', 'clock', 'get', 'set', 'reset', 'explain', 'completion']

/** A short hash of the V8 flags this process runs with (V8 refuses a cache made under other flags). */
function flagsHash () {
  const s = `${process.execArgv.join(' ')}|${process.env.NODE_OPTIONS ?? ''}`
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193)
  return (h >>> 0).toString(16).padStart(8, '0')
}

/**
 * Run the bundle as a CommonJS module, compiled from the code cache when there is a usable one. The
 * cache's name holds the bundle's size and modification time: V8 checks a cache against the source's
 * length only, so a rebuilt bundle must never find the cache of another.
 */
function runBundle (file, stat) {
  const source = readFileSync(file, 'utf8')
  const useCache = process.env.RSTLAB_NO_CODE_CACHE !== '1'
  // One cache per command: each holds the functions its command compiles (a cache made by `--help`
  // would leave `replay` compiling its own every time).
  const command = COMMANDS.includes(process.argv[2] ?? '') ? process.argv[2] : 'none'
  const cacheFile = path.join(path.dirname(file), 'cache', `rstlab-${command}-${process.version}-${process.arch}-${flagsHash()}-${stat.size}-${Math.floor(stat.mtimeMs)}.v8`)
  let cached
  if (useCache) { try { cached = readFileSync(cacheFile) } catch { /* none yet */ } }
  const script = new vm.Script(module.wrap(source), { filename: file, cachedData: cached })
  if (process.env.RSTLAB_DEBUG_ENTRY === '1') {
    process.stderr.write(`rstlab: code cache ${!useCache ? 'off' : cached === undefined ? 'none' : script.cachedDataRejected ? 'refused' : 'used'} ${cacheFile}\n`)
  }
  if (useCache && (cached === undefined || script.cachedDataRejected === true)) {
    // At exit (however the command ends), so that it holds every function this run compiled.
    process.once('exit', () => {
      const tmp = `${cacheFile}.${process.pid}.tmp`
      try {
        mkdirSync(path.dirname(cacheFile), { recursive: true })
        writeFileSync(tmp, script.createCachedData())
        renameSync(tmp, cacheFile)
      } catch {
        try { rmSync(tmp, { force: true }) } catch { /* not writable: no cache */ }
      }
    })
  }
  const m = { exports: {} }
  script.runInThisContext()(m.exports, module.createRequire(file), m, file, path.dirname(file))
}

// For tests and bug reports: which of the two runs.
if (process.env.RSTLAB_DEBUG_ENTRY === '1') process.stderr.write(`rstlab: entry ${fresh ? bundle : fileURLToPath(main)}\n`)
if (fresh) runBundle(bundle, bundleStat)
else await import(main.href)
