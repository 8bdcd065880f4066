/**
 * The repository stands on its own: no file cites the reference notes that live outside it, and every
 * relative link in the docs (and every `docs/<page>.md#anchor` a comment or lesson names) points at a
 * file, and a heading, that exists. Reading shared captures through test/helpers/shared.ts is data,
 * not a citation, and is not affected.
 */
import t from 'tap'
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { REPO_ROOT } from '../helpers/shared.js'

const ROOTS = ['src', 'docs', 'scenarios', 'test', 'bench', 'lab', 'policies', 'bin', '.ci', 'README.md', 'package.json']
const TEXT = /\.(ts|js|mjs|cjs|md|scn|ya?ml|json|sh|txt|conf|py|Dockerfile)$|^(Dockerfile|Makefile)$/

// Built from pieces so that this file does not match its own patterns.
const OUTSIDE: Array<[RegExp, string]> = [
  [new RegExp('behaviour' + '\\.md'), 'the behaviour notes'],
  [new RegExp('panos-' + 'facts'), 'the PAN-OS fact notes'],
  [new RegExp('shared/' + 'reference'), 'the shared reference folder'],
  [new RegExp('\\bpeers' + '\\.md'), 'the peer survey'],
  [new RegExp('\\bstyle' + '\\.md'), 'the style notes'],
]

function walk (rel: string, out: string[]): void {
  const abs = path.join(REPO_ROOT, rel)
  if (!existsSync(abs)) return
  const st = statSync(abs)
  if (st.isFile()) {
    const base = path.basename(rel)
    if (TEXT.test(base) || !base.includes('.')) out.push(rel) // extension-less files are scripts (.ci/run)
    return
  }
  for (const e of readdirSync(abs)) {
    if (e === 'node_modules' || e === 'build' || e.startsWith('.')) continue
    walk(path.join(rel, e), out)
  }
}

const files: string[] = []
for (const r of ROOTS) walk(r, files)

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchorsOf (markdown: string): Set<string> {
  const out = new Set<string>()
  const seen = new Map<string, number>()
  let fence = false
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) { fence = !fence; continue }
    if (fence) continue
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)
    if (m === null) continue
    const base = m[1]!.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-')
    const n = seen.get(base) ?? 0
    seen.set(base, n + 1)
    out.add(n === 0 ? base : `${base}-${n}`)
  }
  return out
}

/** Markdown link targets outside code blocks and code spans. */
function linksOf (markdown: string): string[] {
  const out: string[] = []
  let fence = false
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) { fence = !fence; continue }
    if (fence) continue
    const text = line.replace(/`[^`]*`/g, '')
    for (const m of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) out.push(m[1]!)
  }
  return out
}

const anchorCache = new Map<string, Set<string>>()
function anchorsOfFile (abs: string): Set<string> {
  let a = anchorCache.get(abs)
  if (a === undefined) { a = anchorsOf(readFileSync(abs, 'utf8')); anchorCache.set(abs, a) }
  return a
}

/** Problem with a link to `target` (file and optional #anchor) from `fromAbs`, or undefined. */
function checkTarget (fromAbs: string, target: string): string | undefined {
  const hash = target.indexOf('#')
  const file = hash < 0 ? target : target.slice(0, hash)
  const anchor = hash < 0 ? '' : decodeURIComponent(target.slice(hash + 1))
  const abs = file === '' ? fromAbs : path.resolve(path.dirname(fromAbs), decodeURIComponent(file))
  if (!abs.startsWith(REPO_ROOT + path.sep) && abs !== REPO_ROOT) return `${target}: outside the repository`
  if (!existsSync(abs)) return `${target}: no such file`
  if (anchor !== '' && abs.endsWith('.md') && !anchorsOfFile(abs).has(anchor)) return `${target}: no heading with anchor #${anchor}`
  return undefined
}

t.test('the walk finds the tree (guards against a vacuous pass)', async t => {
  t.ok(files.includes('docs/panos-model.md'), 'docs/panos-model.md is scanned')
  t.ok(files.some(f => f.startsWith('src/') && f.endsWith('.ts')), 'sources are scanned')
  t.ok(files.some(f => f.endsWith('.scn')), 'lessons are scanned')
})

t.test('no file cites the reference notes kept outside the repository', async t => {
  const hits: string[] = []
  for (const f of files) {
    const lines = readFileSync(path.join(REPO_ROOT, f), 'utf8').split('\n')
    lines.forEach((line, i) => {
      for (const [re, what] of OUTSIDE) if (re.test(line)) hits.push(`${f}:${i + 1}: cites ${what}: ${line.trim().slice(0, 120)}`)
    })
  }
  t.same(hits, [], 'state the fact with its public source, or point at docs/panos-model.md#<section>')
})

t.test('relative links in README.md and docs/*.md point at existing files and headings', async t => {
  const pages = ['README.md', ...readdirSync(path.join(REPO_ROOT, 'docs')).filter(f => f.endsWith('.md')).map(f => `docs/${f}`)]
  const bad: string[] = []
  let checked = 0
  for (const p of pages) {
    const abs = path.join(REPO_ROOT, p)
    for (const target of linksOf(readFileSync(abs, 'utf8'))) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue // http:, https:, mailto:
      checked++
      const problem = checkTarget(abs, target)
      if (problem !== undefined) bad.push(`${p}: ${problem}`)
    }
  }
  t.ok(checked > 20, `links were found (${checked})`)
  t.same(bad, [], 'every relative link resolves')
})

t.test('docs/<page>.md#anchor named in code, tests and lessons exists', async t => {
  const bad: string[] = []
  let checked = 0
  for (const f of files) {
    if (f.startsWith('docs/') || f === 'README.md') continue // covered by the link check
    const text = readFileSync(path.join(REPO_ROOT, f), 'utf8')
    for (const m of text.matchAll(/\bdocs\/([\w.-]+\.md)(#[\w-]+)?/g)) {
      checked++
      const problem = checkTarget(path.join(REPO_ROOT, 'docs', 'x.md'), m[1]! + (m[2] ?? ''))
      if (problem !== undefined) bad.push(`${f}: docs/${problem}`)
    }
  }
  t.ok(checked > 10, `references were found (${checked})`)
  t.same(bad, [], 'every docs/ reference resolves')
})

t.test('source paths named in docs, comments and lessons exist (a path ending in .ts, found from the root, src, test or bench)', async t => {
  const bad: string[] = []
  let checked = 0
  for (const f of files) {
    const text = readFileSync(path.join(REPO_ROOT, f), 'utf8')
    for (const m of text.matchAll(/(?:\.\.\/)*\b[a-z][a-z0-9-]*(?:\/[a-z0-9-]+)*\/[a-z0-9-]+\.ts\b/g)) {
      const rel = m[0].replace(/^(\.\.\/)+/, '')
      checked++
      if (!['', 'src', 'test', 'bench'].some(b => existsSync(path.join(REPO_ROOT, b, rel)))) bad.push(`${f}: ${m[0]}`)
    }
  }
  t.ok(checked > 50, `paths were found (${checked})`)
  t.same(bad, [], 'every named source file exists (a renamed or moved module leaves no stale pointers)')
})

t.test('anchor rules match GitHub for the headings this repository uses', async t => {
  const a = anchorsOf('# A\n## Time-wait\n## `settings.session`\n### "Send ICMP Unreachable": what\n## Session 2: the fast path (issue #3, still short of 0.5)\n## A\n```\n# not a heading\n```\n')
  t.same([...a], ['a', 'time-wait', 'settingssession', 'send-icmp-unreachable-what', 'session-2-the-fast-path-issue-3-still-short-of-05', 'a-1'])
})
