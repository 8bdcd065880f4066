/**
 * The package's programmatic entry point resolves by name (package.json "exports" → build/), carries
 * types, and is the same API the CLI uses.
 */
import t from 'tap'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { REPO_ROOT } from '../helpers/shared.js'
import * as direct from '../../src/control/api.js'

t.test("import { connectControl } from 'rstlab'", async t => {
  const pkg = await import('rstlab') as Record<string, unknown>
  for (const name of ['connectControl', 'controlClient', 'RstlabError', 'DEFAULT_CONTROL_PATH', 'RESET_ACTIONS', 'SETTING_KEYS']) {
    t.ok(name in pkg, `exports ${name}`)
  }
  t.equal(pkg.connectControl, direct.connectControl, 'the same function the CLI uses')
  const json = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { exports: { '.': { types: string } }, types: string }
  t.ok(existsSync(path.join(REPO_ROOT, json.exports['.'].types)), 'the types file "exports" names is built')
  t.match(readFileSync(path.join(REPO_ROOT, json.types), 'utf8'), /connectControl/, 'and declares connectControl')
  await t.rejects((pkg.connectControl as typeof direct.connectControl)({ socket: '/nonexistent/rstlab.sock' }), { code: 'RSTLAB_ERR_CONTROL' })
})
