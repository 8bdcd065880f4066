/**
 * The layering rules of docs/architecture.md, read from the doc itself: the "folder | holds | may import"
 * table, and every import in src/ checked against it. Used by test/docs/layering.test.ts and `npm run lint`.
 *
 * How a row is read (the doc says the same under the table):
 * - the first cell names one or more folders (`src/<name>/`); a file belongs to the deepest row whose folder
 *   holds it, so a nested folder without a row of its own (cli/live, policy/import) is part of its parent;
 * - the "may import" cell is prose; text in parentheses is commentary and ignored; every remaining word that
 *   names a row's folder (`wire`, `policy`) or a shared top-level file (`errors`, `input-file`, `paths`)
 *   is allowed; "everything" allows every folder and shared file, "all of the above" every row above;
 * - a folder always may import itself.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'

export const SHARED_FILES = ['errors', 'input-file', 'paths'] as const

export interface Row { folders: string[], allows: Set<string>, line: number }
export interface ImportSite { file: string, line: number, spec: string, target: string }
export interface Violation extends ImportSite { from: string, to: string }

/** The rows of the first table whose header is `folder | holds | may import`. */
export function parseTable (markdown: string): Row[] {
  const lines = markdown.split('\n')
  const head = lines.findIndex(l => /^\|\s*folder\s*\|\s*holds\s*\|\s*may import\s*\|\s*$/.test(l))
  if (head < 0) throw new Error('architecture.md: no "folder | holds | may import" table')
  const rows: Row[] = []
  for (let i = head + 2; i < lines.length && lines[i]!.startsWith('|'); i++) {
    const cells = splitRow(lines[i]!)
    if (cells.length !== 3) throw new Error(`architecture.md:${i + 1}: expected 3 cells, got ${cells.length}`)
    const folders = [...cells[0]!.matchAll(/`src\/([a-z0-9/-]+?)\/?`/g)].map(m => m[1]!)
    if (folders.length === 0) throw new Error(`architecture.md:${i + 1}: no \`src/<folder>/\` in the first cell`)
    rows.push({ folders, allows: new Set(), line: i + 1 })
  }
  const known = new Set(rows.flatMap(r => r.folders))
  for (let r = 0; r < rows.length; r++) {
    const cells = splitRow(lines[rows[r]!.line - 1]!)
    const text = stripParens(cells[2]!).replace(/`/g, '')
    const allows = rows[r]!.allows
    if (/\beverything\b/.test(text)) { for (const k of known) allows.add(k); for (const s of SHARED_FILES) allows.add(s) }
    if (/\ball of the above\b/.test(text)) for (const above of rows.slice(0, r)) for (const f of above.folders) allows.add(f)
    for (const m of text.matchAll(/[a-z][a-z0-9-]*(?:\/[a-z0-9-]+)*(?:\.ts)?/g)) {
      const w = m[0].replace(/\.ts$/, '')
      if (known.has(w) || (SHARED_FILES as readonly string[]).includes(w)) allows.add(w)
    }
    for (const f of rows[r]!.folders) allows.add(f)
  }
  return rows
}

function splitRow (line: string): string[] {
  // Cells are separated by `|` outside code spans.
  const out: string[] = []
  let cur = ''; let code = false
  for (const ch of line.trim().replace(/^\||\|$/g, '')) {
    if (ch === '`') code = !code
    if (ch === '|' && !code) { out.push(cur.trim()); cur = ''; continue }
    cur += ch
  }
  out.push(cur.trim())
  return out
}

function stripParens (s: string): string {
  let prev = ''
  while (prev !== s) { prev = s; s = s.replace(/\([^()]*\)/g, '') }
  return s
}

/** Every relative import, `export … from`, `import type` and `import()` in a TypeScript source. */
export function importsOf (file: string, text: string): ImportSite[] {
  const out: ImportSite[] = []
  const lines = text.split('\n')
  const re = /(?:^|[^\w.])(?:import|export)\b[^'"`;]*?\bfrom\s*(['"])([^'"]+)\1|(?:^|[^\w.])import\s*(?:type\s*)?(['"])([^'"]+)\3|\bimport\s*\(\s*(['"])([^'"]+)\5\s*\)/g
  let inBlock = false
  // Statements can span lines (`import {\n a,\n b\n} from './x.js'`): match over the whole text, then map
  // offsets back to lines; comments are blanked first so that examples in doc comments do not count.
  const blanked = lines.map(l => {
    let s = l
    if (inBlock) { const e = s.indexOf('*/'); if (e < 0) return ' '.repeat(s.length); s = ' '.repeat(e + 2) + s.slice(e + 2); inBlock = false }
    s = s.replace(/\/\*.*?\*\//g, m => ' '.repeat(m.length))
    const b = s.indexOf('/*')
    if (b >= 0) { inBlock = true; s = s.slice(0, b) + ' '.repeat(s.length - b) }
    const c = s.search(/(^|\s)\/\//)
    if (c >= 0) s = s.slice(0, c) + ' '.repeat(s.length - c)
    return s
  }).join('\n')
  for (const m of blanked.matchAll(re)) {
    const spec = m[2] ?? m[4] ?? m[6]!
    if (!spec.startsWith('.')) continue
    const at = m.index + m[0].length - spec.length
    const line = blanked.slice(0, at).split('\n').length
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)).replace(/\.js$/, '.ts')
    out.push({ file, line, spec, target })
  }
  return out
}

/** The row key (its first folder) of a src-relative file, a shared file's name, or `index` for src/index.ts. */
export function ownerOf (rows: Row[], srcRel: string): string | undefined {
  const dir = path.posix.dirname(srcRel)
  if (dir === '.') return srcRel.replace(/\.ts$/, '')
  let best: { f: string, len: number } | undefined
  for (const r of rows) for (const f of r.folders) {
    if ((dir === f || dir.startsWith(f + '/')) && (best === undefined || f.length > best.len)) best = { f, len: f.length }
  }
  return best?.f
}

export function rowOf (rows: Row[], folder: string): Row | undefined {
  return rows.find(r => r.folders.includes(folder))
}

/** All .ts files under `srcDir`, relative to it, with forward slashes. */
export function sourceFiles (srcDir: string, rel = ''): string[] {
  const out: string[] = []
  for (const e of readdirSync(path.join(srcDir, rel)).sort()) {
    const r = rel === '' ? e : `${rel}/${e}`
    if (statSync(path.join(srcDir, r)).isDirectory()) out.push(...sourceFiles(srcDir, r))
    else if (e.endsWith('.ts')) out.push(r)
  }
  return out
}

/**
 * Check imports against the rows. Top-level files: `index` (the package entry point) may import anything;
 * the shared files may import only each other.
 */
export function violations (rows: Row[], sites: ImportSite[]): Violation[] {
  const out: Violation[] = []
  for (const s of sites) {
    const from = ownerOf(rows, s.file)
    const to = ownerOf(rows, s.target)
    if (from === undefined || to === undefined) { out.push({ ...s, from: from ?? '?', to: to ?? '?' }); continue }
    if (from === to || from === 'index') continue
    if ((SHARED_FILES as readonly string[]).includes(from)) {
      if (!(SHARED_FILES as readonly string[]).includes(to)) out.push({ ...s, from, to })
      continue
    }
    const row = rowOf(rows, from)
    if (row === undefined || !row.allows.has(to)) out.push({ ...s, from, to })
  }
  return out
}

/** Strongly connected components with more than one node (or a self-loop) of a directed graph. */
export function cycles (edges: Map<string, Set<string>>): string[][] {
  let index = 0
  const idx = new Map<string, number>(); const low = new Map<string, number>()
  const stack: string[] = []; const on = new Set<string>(); const out: string[][] = []
  const nodes = new Set<string>([...edges.keys(), ...[...edges.values()].flatMap(s => [...s])])
  const visit = (v: string): void => {
    idx.set(v, index); low.set(v, index); index++; stack.push(v); on.add(v)
    for (const w of edges.get(v) ?? []) {
      if (!idx.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)) } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!))
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = []
      let w: string
      do { w = stack.pop()!; on.delete(w); comp.push(w) } while (w !== v)
      if (comp.length > 1 || edges.get(v)?.has(v) === true) out.push(comp.sort())
    }
  }
  for (const v of [...nodes].sort()) if (!idx.has(v)) visit(v)
  return out
}

export function readSources (srcDir: string): ImportSite[] {
  return sourceFiles(srcDir).flatMap(f => importsOf(f, readFileSync(path.join(srcDir, f), 'utf8')))
}

export function format (v: Violation): string {
  return `src/${v.file}:${v.line}: imports '${v.spec}' (${v.to}), which the ${v.from} row of docs/architecture.md does not allow`
}
