/**
 * Every scenario under scenarios/ is a test: each file must parse, run and have all its
 * expectations hold. The lessons are included, so `npm test` fails when a lesson breaks.
 */
import t from 'tap'
import path from 'node:path'
import { REPO_ROOT } from '../helpers/shared.js'
import { findScenarios, runFile } from '../../src/scenario/files.js'
import { engineFactory } from '../../src/scenario/engine-factory.js'

const files = findScenarios([path.join(REPO_ROOT, 'scenarios')])

t.ok(files.length >= 11, `found ${files.length} scenario files`)

for (const f of files) {
  t.test(path.relative(REPO_ROOT, f), async t => {
    const o = runFile(f, engineFactory)
    t.equal(o.error, undefined, o.error?.message ?? 'no script error')
    const r = o.result
    if (r === undefined) return
    t.ok(r.passed, r.failure !== undefined ? `${f}:${r.failure.line}: ${r.failure.message}` : 'all expectations hold')
    t.ok(r.checked > 0, `${r.checked} expectations checked`)
  })
}
