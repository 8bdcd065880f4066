// Bundles the compiled CLI (build/src/cli/main.js and everything it imports, yargs, yaml and pino
// included) into one file, build/rstlab.cjs, which bin/rstlab.js runs. `rstlab replay` loaded 221
// modules (76 of ours, 72 of yaml, 21 of yargs, ...), each resolved, read and compiled by Node's
// ES module loader: as one file a command starts about 90 ms sooner (docs/architecture.md#start-up).
// It is a CommonJS file so that bin/rstlab.js can compile it with V8's code cache (vm.Script
// cachedData), which an ES module cannot use on Node 20; everything in it still runs in strict mode,
// as it did as an ES module. The native addons stay outside (they are loaded with require from
// node_modules), and so does the policy-reload worker, which runs from its own compiled module.
// Run by `npm run build` after tsc.
import { build } from 'esbuild'
import { rmSync } from 'node:fs'

await build({
  entryPoints: ['build/src/cli/main.js'],
  outfile: 'build/rstlab.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['cap', 'raw-socket'],
  // The modules' `import.meta.url` is the bundle's own file URL (as it was in an ES-module bundle).
  define: { 'import.meta.url': 'rstlabImportMetaUrl' },
  banner: { js: "'use strict'; const rstlabImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
  legalComments: 'eof',
})
// Code caches of an older bundle (bin/rstlab.js names them by the bundle size and time) are of no use now.
rmSync('build/cache', { recursive: true, force: true })
// The ES-module bundle of earlier builds (bin/rstlab.js no longer runs it).
rmSync('build/rstlab.mjs', { force: true })
