/**
 * The CLI runs from one bundled file (build/rstlab.cjs, made by `npm run build`): bin/rstlab.js
 * loads it, and not the ~220 separate modules, when it is at least as new as the compiled modules
 * (an older bundle would need a module run; `tsc` alone leaves one behind);
 * the modules (RSTLAB_NO_BUNDLE=1, or a bundle older than them) give exactly the same output.
 */
import t from 'tap'
import { spawnSync } from 'node:child_process'
import { existsSync, statSync, rmSync, writeFileSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { REPO_ROOT } from '../helpers/shared.js'

const BIN = path.join(REPO_ROOT, 'bin', 'rstlab.js')
const BUNDLE = path.join(REPO_ROOT, 'build', 'rstlab.cjs')
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
  t.ok(existsSync(BUNDLE), 'build/rstlab.cjs exists')
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

t.test('the bundle is compiled from a V8 code cache in build/cache, and gives the same output with or without it', async t => {
  // A V8 flag no other test uses gives this test a cache file of its own (the name holds a hash of the flags).
  const run = (env: NodeJS.ProcessEnv = {}): { out: string, err: string, code: number | null, cache: string, file: string } => {
    const r = spawnSync(process.execPath, ['--max-old-space-size=4097', BIN, 'lessons', 'run', '02'], {
      cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '', RSTLAB_DEBUG_ENTRY: '1', ...env }, maxBuffer: 64 << 20,
    })
    const m = /^rstlab: code cache (\S+) (.+)$/m.exec(r.stderr)
    return { out: r.stdout, err: r.stderr.replace(/^rstlab: (entry|code cache) .*\n/gm, ''), code: r.status, cache: m?.[1] ?? '', file: m?.[2] ?? '' }
  }
  const first = run()
  t.match(first.file, /build\/cache\/rstlab-lessons-v\d+\.\d+\.\d+-\w+-[0-9a-f]{8}-\d+-\d+\.v8$/, 'the cache is named by command, Node version, architecture, flags and the bundle')
  rmSync(first.file, { force: true })
  const none = run()
  t.equal(none.cache, 'none', 'no cache file: compiled from source')
  t.ok(existsSync(none.file), 'and the cache is written at exit')
  const used = run()
  t.equal(used.cache, 'used', 'the next run compiles from it')
  writeFileSync(none.file, Buffer.alloc(4096, 0x5a))
  const refused = run()
  t.equal(refused.cache, 'refused', 'a damaged cache is refused by V8')
  t.equal(run().cache, 'used', 'and replaced by a good one')
  const off = run({ RSTLAB_NO_CODE_CACHE: '1' })
  t.equal(off.cache, 'off', 'RSTLAB_NO_CODE_CACHE=1: no cache read')
  const modules = run({ RSTLAB_NO_BUNDLE: '1' })
  for (const [name, r] of [['from source', none], ['from the cache', used], ['after a refused cache', refused], ['without a cache', off]] as const) {
    t.same({ out: r.out, err: r.err, code: r.code }, { out: modules.out, err: modules.err, code: modules.code }, `${name}: the same output as the separate modules`)
  }
  t.ok(modules.out.length > 1000, 'a lesson was run')
})

t.test("bin/rstlab.js's command list (one code cache per command) names every command `rstlab --help` lists", async t => {
  const src = readFileSync(BIN, 'utf8')
  const listed = /const COMMANDS = \[([^\]]*)\]/.exec(src)?.[1]?.match(/'([a-z-]+)'/g)?.map(s => s.slice(1, -1)) ?? []
  const help = cli(['--help']).out
  const commands = [...help.matchAll(/^ {2}rstlab ([a-z-]+)/gm)].map(m => m[1]!)
  t.ok(commands.length >= 10, `--help lists the commands (${commands.join(', ')})`)
  t.same([...listed].sort(), [...commands].sort(), 'the same names')
})
