/**
 * The package as a user gets it: `npm pack`, installed into an empty folder, runs its lessons and a replay
 * from there, with the shipped policies and lessons found where the package was installed (not in a
 * checkout). Before: `build/` was not in the tarball (the CLI said "not built yet"), tests and snapshots were.
 */
import t from 'tap'
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { PCAP_DIR, REPO_ROOT } from '../helpers/shared.js'

const run = promisify(execFile)
const env: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '' }
for (const k of Object.keys(env)) if (k.startsWith('TAP') || k.startsWith('_TAPJS')) delete env[k]

t.test('npm pack → npm install → rstlab lessons run and replay', async t => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rstlab-pack-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  // `npm test` has just built build/; --ignore-scripts packs that build instead of compiling again.
  const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: REPO_ROOT, env, maxBuffer: 64 << 20 })
  const [info] = JSON.parse(stdout) as Array<{ filename: string, files: Array<{ path: string }> }>
  const shipped = info!.files.map(f => f.path)
  t.ok(shipped.includes('build/src/cli/main.js'), 'the compiled CLI ships')
  t.ok(shipped.includes('build/rstlab.cjs'), 'and its one-file bundle')
  t.ok(shipped.includes('bin/rstlab.js'))
  t.ok(shipped.includes('policies/block-ftp.yaml'), 'shipped policies')
  t.ok(shipped.some(f => f.startsWith('scenarios/lessons/') && f.endsWith('.scn')), 'lessons')
  t.ok(shipped.includes('README.md'))
  t.same(shipped.filter(f => /^(test|tap-snapshots|bench|build\/test|build\/bench|\.ci)\//.test(f)), [], 'no tests, snapshots, benchmarks or CI scripts')

  const app = path.join(dir, 'app')
  await run('mkdir', ['-p', app])
  writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'uses-rstlab', version: '1.0.0', private: true }))
  // Optional native packages (live capture) are left out: the offline commands must work without them.
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--omit=optional', path.join(dir, info!.filename)],
    { cwd: app, env, maxBuffer: 64 << 20 })
  const bin = path.join(app, 'node_modules', '.bin', 'rstlab')
  t.ok(existsSync(bin), 'node_modules/.bin/rstlab is installed')

  // From an unrelated folder, as `npx rstlab` would run it.
  const elsewhere = path.join(dir, 'elsewhere')
  await run('mkdir', ['-p', elsewhere])
  const lessons = await run(bin, ['lessons', 'run'], { cwd: elsewhere, env, maxBuffer: 64 << 20 })
  t.match(lessons.stdout, /\b(\d+) of \1 scenarios passed/, 'every lesson passes from the installed package')

  const installed = path.join(app, 'node_modules', 'rstlab')
  const capture = path.join(PCAP_DIR, readdirSync(PCAP_DIR).find(f => f.includes('tcp_handshake'))!)
  const replay = await run(bin, ['replay', capture, '--policy', path.join(installed, 'policies', 'block-ftp.yaml'), '--summary', 'json'],
    { cwd: elsewhere, env, maxBuffer: 64 << 20 })
  const summary = JSON.parse(replay.stdout) as { counters: unknown }
  t.ok(summary.counters !== undefined, 'replay runs against a shipped policy')

  // A hint names a path that exists where rstlab is installed.
  const bad = await run(bin, ['replay', capture, '--policy', 'policies/nope.yaml'], { cwd: elsewhere, env }).then(() => undefined, (e: { code: number, stderr: string }) => e)
  t.equal(bad?.code, 2)
  const named = /shipped policies live in (\S+) \(e\.g\. (\S+)\)/.exec(bad?.stderr ?? '')
  t.ok(named !== null, `the hint names the shipped policies: ${bad?.stderr ?? ''}`)
  t.ok(existsSync(path.resolve(elsewhere, named![2]!)), `${named![2]!} exists from where the user is`)
})
