/**
 * Everyday command-line use: a mistyped command gets a suggestion, `rstlab completion` prints a shell
 * completion script, `policy check --json` gives one machine-readable object (errors with positions).
 */
import t from 'tap'
import { execFile } from 'node:child_process'
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { REPO_ROOT } from '../helpers/shared.js'

const BIN = path.join(REPO_ROOT, 'bin', 'rstlab.js')
const rstlab = (...args: string[]): Promise<{ code: number, out: string, err: string }> => new Promise(resolve => {
  execFile(process.execPath, [BIN, ...args], { env: { ...process.env, NODE_OPTIONS: '' }, cwd: REPO_ROOT },
    (err, out, errOut) => resolve({ code: err === null ? 0 : Number(err.code), out, err: errOut }))
})

t.test('a mistyped command is named, with the command it probably meant', async t => {
  const r = await rstlab('replya', 'x.pcap')
  t.equal(r.code, 2)
  t.match(r.err, /rstlab: unknown command `replya`\. Did you mean replay\?/)
})

t.test('rstlab completion prints a bash completion script for rstlab', async t => {
  const r = await rstlab('completion')
  t.equal(r.code, 0)
  t.match(r.out, /rstlab --get-yargs-completions/)
  t.match(r.out, /complete -o bashdefault -o default -F _rstlab_yargs_completions rstlab/)
  const words = await rstlab('--get-yargs-completions', 'rstlab', 're')
  t.match(words.out, /^replay$/m, 'completes command names')
})

t.test('policy check --json', async t => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rstlab-usage-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const good = await rstlab('policy', 'check', 'policies/block-ftp.yaml', '--json')
  t.equal(good.code, 0)
  t.same(JSON.parse(good.out), { file: 'policies/block-ftp.yaml', ok: true, errors: 0, warnings: 0, diagnostics: [], counts: { zones: 2, rules: 2, signatures: 0 } })
  const bad = path.join(dir, 'bad.yaml')
  writeFileSync(bad, 'rules:\n  - { name: x, action: foo }\n')
  const r = await rstlab('policy', 'check', bad, '--json')
  t.equal(r.code, 2)
  t.equal(r.out.trim().split('\n').length, 1, 'one object on one line')
  const j = JSON.parse(r.out) as { ok: boolean, errors: number, diagnostics: Array<{ line: number, col: number, severity: string, path: string }> }
  t.equal(j.ok, false)
  t.equal(j.errors, 1)
  t.match(j.diagnostics[0], { line: 2, severity: 'error', path: 'rules[0].action' })
  t.ok(j.diagnostics[0]!.col > 1, 'with its column')
  t.equal(r.err, '', 'nothing on stderr in --json mode')
})

t.test('--seed: an integer 0-4294967295, refused otherwise before anything starts (bridge and tap)', async t => {
  const { seedOption } = await import('../../src/cli/commands/bridge.js')
  t.equal(seedOption(undefined), undefined, 'none given: the bridge draws one')
  t.equal(seedOption('0'), 0)
  t.equal(seedOption('4294967295'), 4294967295)
  for (const bad of ['4294967296', '-1', '1.5', 'x', '', '1e3']) t.throws(() => seedOption(bad), { code: 'RSTLAB_ERR_USAGE' }, `refused: ${JSON.stringify(bad)}`)
  for (const cmd of [['bridge', 'a0', 'b0'], ['tap', 'a0']]) {
    const r = await rstlab(...cmd, '--policy', 'policies/allow-all.yaml', '--seed', 'abc')
    t.equal(r.code, 2, `${cmd[0]}: exit 2`)
    t.match(r.err, /--seed takes an integer from 0 to 4294967295, not `abc`/)
  }
})
