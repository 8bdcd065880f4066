/**
 * Inputs too big or not files: refused quickly with a clear error, before anything is read or compiled.
 */
import t from 'tap'
import { mkdtempSync, rmSync, symlinkSync, writeFileSync, truncateSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { checkPolicyText, loadPolicyFile, readPolicyFile, MAX_POLICY_BYTES } from '../../src/policy/load.js'
import { MAX_CONFIG_BYTES } from '../../src/policy/import/index.js'
import { MAX_RULES, MAX_ZONES } from '../../src/policy/compile.js'
import { loadScenario, runFile, MAX_SCENARIO_BYTES } from '../../src/scenario/files.js'
import { engineFactory } from '../../src/scenario/engine-factory.js'
import { MAX_STEPS, parseScenario } from '../../src/scenario/parser.js'

function dir (t: { teardown: (f: () => void) => void }): string {
  const d = mkdtempSync(path.join(tmpdir(), 'rstlab-limits-'))
  t.teardown(() => rmSync(d, { recursive: true, force: true }))
  return d
}

t.test('policy and scenario loaders refuse what is not a regular file, naming it', async t => {
  const d = dir(t)
  t.throws(() => readPolicyFile('/dev/zero'), { code: 'RSTLAB_ERR_IO', message: 'policy file /dev/zero is a character device, not a regular file' })
  t.throws(() => readPolicyFile(d), { code: 'RSTLAB_ERR_IO', message: `policy file ${d} is a directory, not a regular file` })
  t.throws(() => loadScenario('/dev/zero'), { code: 'RSTLAB_ERR_IO', message: /scenario file \/dev\/zero is a character device/ })
  t.throws(() => readPolicyFile(path.join(d, 'none.yaml')), { code: 'RSTLAB_ERR_IO', message: /no such file/ })
  // A scenario whose policy line names /dev/zero ends with that error instead of reading forever.
  const scn = path.join(d, 'z.scn')
  writeFileSync(scn, 'host c 198.18.0.1 side client\nhost s 198.18.0.2 side server\npolicy /dev/zero\n0 wait\n')
  const out = runFile(scn, engineFactory)
  t.match(out.error, { code: 'RSTLAB_ERR_IO', message: /\/dev\/zero is a character device/ })
})

t.test('files over the size limits are refused before reading', async t => {
  const d = dir(t)
  const big = path.join(d, 'big.yaml')
  writeFileSync(big, '')
  truncateSync(big, MAX_POLICY_BYTES + 1) // sparse: costs no disk
  t.throws(() => readPolicyFile(big), { code: 'RSTLAB_ERR_LIMIT', message: /is 32\.0 MB; rstlab reads policy files of at most 32\.0 MB/ })
  const bigScn = path.join(d, 'big.scn')
  writeFileSync(bigScn, '')
  truncateSync(bigScn, MAX_SCENARIO_BYTES + 1)
  t.throws(() => loadScenario(bigScn), { code: 'RSTLAB_ERR_LIMIT' })
})

t.test('rule and zone counts over the limits: an error at the key, file:line:col', async t => {
  const zones = ['# many zones', 'zones:', ...Array.from({ length: MAX_ZONES + 1 }, (_, i) => `  z${i}: { interfaces: [e${i}] }`), 'rules: []', ''].join('\n')
  const z = checkPolicyText(zones, 'z.yaml')
  t.equal(z.policy, undefined)
  t.match(z.diagnostics[0], { severity: 'error', line: 2, col: 1, message: `${MAX_ZONES + 1} zones is more than rstlab accepts (at most ${MAX_ZONES})` })
  const rules = ['rules:', ...Array.from({ length: MAX_RULES + 1 }, (_, i) => `  - { name: r${i}, action: allow }`), ''].join('\n')
  const r = checkPolicyText(rules, 'r.yaml')
  t.equal(r.policy, undefined)
  t.match(r.diagnostics[0], { severity: 'error', line: 1, col: 1, message: new RegExp(`^${MAX_RULES + 1} rules is more than rstlab accepts`) })
})

t.test('scenario step count: an error at the first step over the limit', async t => {
  const lines = ['host c 198.18.0.1 side client', 'host s 198.18.0.2 side server']
  for (let i = 0; i <= MAX_STEPS; i++) lines.push(`+1ms note "n${i}"`)
  t.throws(() => parseScenario(lines.join('\n') + '\n', 'many.scn'), {
    code: 'RSTLAB_ERR_SCRIPT_SYNTAX', message: new RegExp(`^many\\.scn:${MAX_STEPS + 3}:6: more than ${MAX_STEPS} steps`),
  })
})

t.test('a PAN-OS configuration named as the policy is held to the same rules: a regular file, at most 32 MB', async t => {
  const d = dir(t)
  // Before it went through input-file.ts, the importer read /dev/zero until memory ran out.
  const zero = path.join(d, 'zero.xml')
  symlinkSync('/dev/zero', zero)
  t.throws(() => loadPolicyFile(zero), { code: 'RSTLAB_ERR_IO', message: `configuration file ${zero} is a character device, not a regular file` })
  const big = path.join(d, 'big.set')
  writeFileSync(big, '')
  truncateSync(big, MAX_CONFIG_BYTES + 1)
  t.throws(() => loadPolicyFile(big), { code: 'RSTLAB_ERR_LIMIT', message: /configuration file .* is 32\.0 MB; rstlab reads configuration files of at most 32\.0 MB/ })
  t.throws(() => loadPolicyFile(path.join(d, 'none.xml')), { code: 'RSTLAB_ERR_IO', message: /cannot read configuration file .*none\.xml: no such file/ })
})
