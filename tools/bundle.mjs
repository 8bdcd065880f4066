// Bundles the compiled CLI (build/src/cli/main.js and everything it imports, yargs, yaml and pino
// included) into one file, build/rstlab.mjs, which bin/rstlab.js runs. `rstlab replay` loaded 221
// modules (76 of ours, 72 of yaml, 21 of yargs, ...), each resolved, read and compiled by Node's
// ES module loader: as one file a command starts about 90 ms sooner (docs/architecture.md#start-up). The native addons stay outside (they are loaded with
// require from node_modules), and so does the policy-reload worker, which runs from its own
// compiled module. Run by `npm run build` after tsc.
import { build } from 'esbuild'

await build({
  entryPoints: ['build/src/cli/main.js'],
  outfile: 'build/rstlab.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['cap', 'raw-socket'],
  // The CommonJS packages inside (pino, yaml's dependencies) call require(); in an ES module it
  // has to be made.
  banner: { js: "import { createRequire as rstlabCreateRequire } from 'node:module'; const require = rstlabCreateRequire(import.meta.url);" },
  logLevel: 'warning',
  legalComments: 'eof',
})
