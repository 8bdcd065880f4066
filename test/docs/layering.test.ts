/**
 * Layering lint: every import under src/ is allowed by the "folder | holds | may import" table of
 * docs/architecture.md (parsed from the doc, so the doc and the code cannot drift apart), and there are no
 * import cycles, neither between folders nor between modules. `npm run lint` runs this file alone.
 */
import t from 'tap'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { REPO_ROOT } from '../helpers/shared.js'
import { cycles, format, importsOf, ownerOf, parseTable, readSources, violations } from '../helpers/layering.js'

const doc = readFileSync(path.join(REPO_ROOT, 'docs', 'architecture.md'), 'utf8')
const rows = parseTable(doc)
const sites = readSources(path.join(REPO_ROOT, 'src'))

t.test('the table is read', async t => {
  const wire = rows.find(r => r.folders.includes('wire'))!
  t.same([...wire.allows].sort(), ['errors', 'wire'], 'wire: itself and errors.ts only')
  const cli = rows.find(r => r.folders.includes('cli'))!
  t.ok(cli.allows.has('engine') && cli.allows.has('control') && cli.allows.has('paths'), 'cli: everything')
  t.ok(sites.length > 200, `${sites.length} imports found under src/`)
  t.ok(sites.some(s => s.file === 'cli/live/runner.ts'), 'nested folders are read')
})

t.test('every import is allowed by docs/architecture.md', async t => {
  const bad = violations(rows, sites)
  t.same(bad.map(format), [], 'no import outside its row')
})

t.test('no import cycles between folders', async t => {
  const edges = new Map<string, Set<string>>()
  for (const s of sites) {
    const a = ownerOf(rows, s.file)!; const b = ownerOf(rows, s.target)!
    if (a === b) continue
    if (!edges.has(a)) edges.set(a, new Set())
    edges.get(a)!.add(b)
  }
  t.same(cycles(edges), [], 'folders form a DAG')
})

t.test('no import cycles between modules', async t => {
  const edges = new Map<string, Set<string>>()
  for (const s of sites) {
    if (!edges.has(s.file)) edges.set(s.file, new Set())
    edges.get(s.file)!.add(s.target)
  }
  t.same(cycles(edges), [], 'modules form a DAG')
})

t.test('the checks can fail', async t => {
  const synthetic = importsOf('wire/x', [
    "import { a } from '../errors.js'",
    '/* import { no } from "../engine/engine.js" */',
    "// import { no } from '../engine/engine.js'",
    "import type { Engine } from '../engine/engine.js'",
    "export { b } from '../policy/types.js'",
    'const m = await import(\'../cli/main.js\')',
    'import {',
    '  c,',
    "} from '../session/table.js'",
  ].join('\n'))
  t.same(synthetic.map(s => [s.line, s.spec]), [
    [1, '../errors.js'], [4, '../engine/engine.js'], [5, '../policy/types.js'], [6, '../cli/main.js'], [9, '../session/table.js'],
  ], 'import, import type, export from, import() and multi-line imports are found; comments are not')
  t.same(violations(rows, synthetic).map(format), [
    "src/wire/x:4: imports '../engine/engine.js' (engine), which the wire row of docs/architecture.md does not allow",
    "src/wire/x:5: imports '../policy/types.js' (policy), which the wire row of docs/architecture.md does not allow",
    "src/wire/x:6: imports '../cli/main.js' (cli), which the wire row of docs/architecture.md does not allow",
    "src/wire/x:9: imports '../session/table.js' (session), which the wire row of docs/architecture.md does not allow",
  ], 'a violation names file, line and import')
  t.same(violations(rows, importsOf('errors', "import { x } from './wire/addr.js'")).length, 1, 'shared files import only each other')
  t.same(cycles(new Map([['a', new Set(['b'])], ['b', new Set(['c'])], ['c', new Set(['a'])], ['d', new Set(['a'])]])), [['a', 'b', 'c']], 'a cycle is found')
  const tiny = parseTable('| folder | holds | may import |\n|---|---|---|\n| `src/a/` | x | errors |\n| `src/b/` | y | a (not `c`) |\n| `src/c/` | z | all of the above |\n')
  t.same(tiny.map(r => [...r.allows].sort()), [['a', 'errors'], ['a', 'b'], ['a', 'b', 'c']], 'parentheses are commentary; "all of the above"')
})
