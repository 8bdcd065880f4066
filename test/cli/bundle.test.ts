/**
 * The CLI runs from one bundled file (build/rstlab.mjs, made by `npm run build`): bin/rstlab.js
 * loads it, and not the ~220 separate modules, when it is at least as new as the compiled modules
 * (an older bundle would need a module run; `tsc` alone leaves one behind);
 * the modules (RSTLAB_NO_BUNDLE=1, or a bundle older than them) give exactly the same output.
 */
import t from 'tap'
import { spawnSync } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import path from 'node:path'
import { REPO_ROOT } from '../helpers/shared.js'

const BIN = path.join(REPO_ROOT, 'bin', 'rstlab.js')
const BUNDLE = path.join(REPO_ROOT, 'build', 'rstlab.mjs')
const MAIN = path.join(REPO_ROOT, 'build', 'src', 'cli', 'main.js')

function cli (args: string[], env: NodeJS.ProcessEnv = {}): { out: string, err: string, code: number | null } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '', ...env }, maxBuffer: 64 << 20,
  })
  return { out: r.stdout, err: r.stderr, code: r.status }
}

/** The file bin/rstlab.js runs (it names it on stderr with RSTLAB_DEBUG_ENTRY=1). */
function entry (env: NodeJS.ProcessEnv): string | undefined {
  const r = cli(['--version'], { RSTLAB_DEBUG_ENTRY: '1', ...env })
  return /^rstlab: entry (.+)$/m.exec(r.err)?.[1]
}

t.test('the build makes the bundle and bin/rstlab.js runs it', async t => {
  t.ok(existsSync(BUNDLE), 'build/rstlab.mjs exists')
  t.ok(statSync(BUNDLE).mtimeMs >= statSync(MAIN).mtimeMs, 'and is not older than the compiled modules')
  t.equal(entry({}), BUNDLE, 'bin/rstlab.js runs the bundle')
  t.equal(entry({ RSTLAB_NO_BUNDLE: '1' }), MAIN, 'RSTLAB_NO_BUNDLE=1: the separate modules')
  t.equal(cli(['--version']).err, '', 'nothing on stderr otherwise')
})

t.test('the bundle and the separate modules give the same output', async t => {
  const cases: string[][] = [
    ['--help'], ['replay', '--help'], ['lessons', 'list'], ['lessons', 'run', '02'],
    ['policy', 'check', 'policies/block-ftp.yaml'], ['policy', 'check', 'no-such-policy.yaml'],
    ['run', 'scenarios/lessons/01-actions-at-syn.scn', '--json'], ['bogus-command'], ['replay'],
  ]
  for (const args of cases) {
    const a = cli(args)
    const b = cli(args, { RSTLAB_NO_BUNDLE: '1' })
    t.same(a, b, `rstlab ${args.join(' ')}: same stdout, stderr and exit code (${a.code})`)
  }
})
