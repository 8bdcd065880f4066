import t from 'tap'
import { readFileSync } from 'node:fs'
import { ERROR_CODES, RstlabError } from '../src/errors.js'

t.test('every error code is documented in docs/errors.md', async t => {
  const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8')
  for (const code of Object.keys(ERROR_CODES)) t.match(doc, code, `${code} documented`)
})

t.test('RstlabError carries its code and hint', async t => {
  const e = new RstlabError('RSTLAB_ERR_USAGE', 'bad', 'do this')
  t.equal(e.code, 'RSTLAB_ERR_USAGE')
  t.equal(e.hint, 'do this')
  t.ok(e instanceof Error)
})
