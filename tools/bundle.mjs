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
import { readFile } from 'node:fs/promises'

/**
 * string-width (yargs measures help text with it; two versions are bundled) builds an
 * `Intl.Segmenter` and an `RGI_Emoji` regular expression when its module loads: about 8 and 12 ms
 * of every command's start (ICU data), though only help and usage text ever use them. Here both
 * are made on first use instead. The build fails if the source no longer has the line to change.
 * test/cli/bundle.test.ts compares `--help` output of the bundle with that of the separate modules.
 */
const lazyStringWidth = {
  name: 'lazy-string-width',
  setup (b) {
    b.onLoad({ filter: /[\\/]string-width[\\/]index\.js$/ }, async (args) => {
      let src = await readFile(args.path, 'utf8')
      const swap = (from, to, required) => {
        if (src.includes(from)) src = src.replace(from, to)
        else if (required) throw new Error(`tools/bundle.mjs: ${args.path} no longer has \`${from}\` to make lazy`)
      }
      swap('const segmenter = new Intl.Segmenter();',
        'let rstlabSegmenter; const segmenter = { segment: (s) => (rstlabSegmenter ??= new Intl.Segmenter()).segment(s) };', true)
      swap('const rgiEmojiRegex = /^\\p{RGI_Emoji}$/v;',
        'let rstlabRgiEmoji; const rgiEmojiRegex = { test: (s) => (rstlabRgiEmoji ??= /^\\p{RGI_Emoji}$/v).test(s) };', false)
      return { contents: src, loader: 'js' }
    })
  },
}

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
  plugins: [lazyStringWidth],
})
// Code caches of an older bundle (bin/rstlab.js names them by the bundle size and time) are of no use now.
rmSync('build/cache', { recursive: true, force: true })
// The ES-module bundle of earlier builds (bin/rstlab.js no longer runs it).
rmSync('build/rstlab.mjs', { force: true })
