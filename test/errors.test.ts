import t from 'tap'
import { readdirSync, readFileSync } from 'node:fs'
import { ERROR_CODES, RstlabError } from '../src/errors.js'

const repo = (p: string): URL => new URL(`../../${p}`, import.meta.url)

/** Every `RSTLAB_ERR_…` in the TypeScript under src/ other than errors.ts, where the list lives. */
function codesUsedInSrc (): Set<string> {
  const used = new Set<string>()
  const walk = (dir: string): void => {
    for (const e of readdirSync(repo(dir), { withFileTypes: true })) {
      const p = `${dir}/${e.name}`
      if (e.isDirectory()) walk(p)
      else if (e.name.endsWith('.ts') && p !== 'src/errors.ts') {
        for (const m of readFileSync(repo(p), 'utf8').matchAll(/RSTLAB_ERR_[A-Z0-9_]+/g)) used.add(m[0])
      }
    }
  }
  walk('src')
  return used
}

t.test('the error registry, its documentation and its use agree in both directions', async t => {
  const doc = readFileSync(repo('docs/errors.md'), 'utf8')
  const documented = new Set([...doc.matchAll(/^\| *`?(RSTLAB_ERR_[A-Z0-9_]+)`? *\|/gm)].map(m => m[1]!))
  const defined = new Set(Object.keys(ERROR_CODES))
  const used = codesUsedInSrc()
  for (const code of defined) {
    t.ok(documented.has(code), `${code} is documented in docs/errors.md`)
    t.ok(used.has(code), `${code} is used somewhere in src/ (or remove it)`)
  }
  for (const code of documented) t.ok(defined.has(code), `${code} in docs/errors.md is defined in src/errors.ts`)
  for (const code of used) t.ok(defined.has(code), `${code} used in src/ is defined in src/errors.ts`)
})

t.test('RstlabError carries its code and hint', async t => {
  const e = new RstlabError('RSTLAB_ERR_USAGE', 'bad', 'do this')
  t.equal(e.code, 'RSTLAB_ERR_USAGE')
  t.equal(e.hint, 'do this')
  t.ok(e instanceof Error)
})
