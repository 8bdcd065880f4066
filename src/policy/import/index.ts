/**
 * Importing a PAN-OS configuration: read it (XML export or `set` commands), map it once to an rstlab policy
 * document, and compile that with the ordinary policy compiler, so an imported policy is exactly what the
 * same YAML would load. `loadPanosPolicyFile` is what `--policy FILE.xml|.set|.conf` uses.
 */
import { Document } from 'yaml'
import { readInputFile } from '../../input-file.js'
import type { Policy, PolicyDiagnostic } from '../types.js'
import { Ctx } from '../yamlctx.js'
import { compileDocument } from '../compile.js'
import { parseXml } from './xml.js'
import { parseSetCommands } from './setcmd.js'
import { mapConfig, type NotImported } from './map.js'
import { ImportSyntaxError, fmtPos, type PanNode, type Pos } from './tree.js'

export type { NotImported } from './map.js'
export { ImportSyntaxError } from './tree.js'

/** File names the loaders treat as PAN-OS configurations rather than rstlab YAML. */
export function isPanosPath (path: string): boolean {
  return /\.(xml|set|conf)$/i.test(path)
}

export interface ImportResult {
  policy: Policy
  /** The policy document (YAML shape, kebab-case keys): what `-o OUT.yaml` writes. */
  doc: Record<string, unknown>
  /** Everything not imported, in file order. */
  report: NotImported[]
  /** Warnings of the compiled policy (shadowed rules, …), located in the imported file. */
  warnings: Array<PolicyDiagnostic & { pos?: Pos }>
  format: 'xml' | 'set'
  vsys: string
}

export interface ImportOptions { vsys?: string, format?: 'xml' | 'set' }

/** Import configuration text. Throws ImportSyntaxError (RSTLAB_ERR_IMPORT, `file:line:col: …`) on bad input. */
export function importPolicyText (text: string, file: string, opts: ImportOptions = {}): ImportResult {
  const format = opts.format ?? (/^\s*</.test(text.replace(/^\ufeff/, '')) ? 'xml' : 'set')
  let root: PanNode
  let comments: Array<{ text: string, pos: Pos }>
  if (format === 'xml') ({ root, comments } = parseXml(text, file))
  else ({ root, comments } = parseSetCommands(text, file))
  const mapOpts: { vsys?: string } = {}
  if (opts.vsys !== undefined) mapOpts.vsys = opts.vsys
  const m = mapConfig(root, mapOpts)
  for (const c of comments) {
    const marker = /^rstlab-extensions\s+([\s\S]*)$/.exec(c.text)
    const json = format === 'xml' ? marker?.[1] : c.text
    if (json === undefined) continue
    let ext: unknown
    try { ext = JSON.parse(json) } catch (e) {
      throw new ImportSyntaxError(c.pos, `rstlab-extensions comment is not valid JSON: ${(e as Error).message}`,
        'it is written by `rstlab policy export`; restore it or delete the comment')
    }
    mergeExtensions(m.doc, ext, c.pos, m.where)
  }
  const doc = new Document(m.doc)
  const ctx = new Ctx(file, doc)
  const policy = compileDocument(ctx, doc.contents)
  const located = ctx.diagnostics.map(d => ({ ...d, pos: locate(m.where, d.path) }))
  const errors = located.filter(d => d.severity === 'error')
  if (policy === undefined || errors.length > 0) {
    const e = errors[0]!
    throw new ImportSyntaxError(e.pos ?? { file, line: 1, col: 1 }, `cannot import: ${e.message}` +
      (errors.length > 1 ? ` (and ${errors.length - 1} more: ${errors.slice(1, 4).map(x => `${x.pos === undefined ? x.path : fmtPos(x.pos)}: ${x.message}`).join('; ')})` : ''),
    'the configuration maps to a policy rstlab cannot hold; fix it there, or import to YAML (-o) and edit that')
  }
  return { policy, doc: m.doc, report: m.report, warnings: located, format, vsys: m.vsys }
}

/** The size limit of a configuration file: the policy file's (docs/errors.md, RSTLAB_ERR_LIMIT). */
export const MAX_CONFIG_BYTES = 32 << 20

/** Import a file (.xml → XML; anything else is read as set commands unless it starts with '<'). */
export function importPolicyFile (path: string, opts: ImportOptions = {}): ImportResult {
  // Like a policy file: a regular file of at most 32 MB, checked before reading (src/input-file.ts).
  const text = readInputFile(path, 'configuration file', MAX_CONFIG_BYTES, 'check the path')
  return importPolicyText(text, path, /\.xml$/i.test(path) ? { ...opts, format: 'xml' } : opts)
}

/** What `--policy FILE.xml|.set|.conf` loads: the imported policy (its report is for `rstlab policy import`). */
export function loadPanosPolicyFile (path: string): Policy {
  return importPolicyFile(path).policy
}

/** The recorded position of the longest prefix of a document path (`rules[2].source[0]` → `rules[2]`). */
function locate (where: Map<string, Pos>, path: string): Pos | undefined {
  let p = path
  for (;;) {
    const hit = where.get(p)
    if (hit !== undefined) return hit
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['))
    if (cut <= 0) return where.get(p)
    p = p.slice(0, cut)
  }
}

/**
 * Merge `rstlab-extensions` (what PAN-OS has no place for, written by `rstlab policy export`) into the
 * document: maps merge key by key, lists and scalars replace; `rules` is keyed by rule name.
 */
function mergeExtensions (doc: Record<string, unknown>, ext: unknown, pos: Pos, where: Map<string, Pos>): void {
  if (!isObj(ext)) throw new ImportSyntaxError(pos, 'rstlab-extensions must be a JSON object')
  for (const [k, v] of Object.entries(ext)) {
    if (k === 'rules') {
      if (!isObj(v)) throw new ImportSyntaxError(pos, 'rstlab-extensions.rules must map rule names to fields')
      const rules = (doc.rules as Array<Record<string, unknown>> | undefined) ?? []
      for (const [name, fields] of Object.entries(v)) {
        const i = rules.findIndex(r => r.name === name)
        if (i < 0 || !isObj(fields)) throw new ImportSyntaxError(pos, `rstlab-extensions names rule '${name}', which is not in the configuration`)
        Object.assign(rules[i]!, fields)
      }
      continue
    }
    doc[k] = deepMerge(doc[k], v)
    where.set(k, pos)
  }
}

function isObj (v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function deepMerge (a: unknown, b: unknown): unknown {
  if (!isObj(a) || !isObj(b)) return b
  const out: Record<string, unknown> = { ...a }
  for (const [k, v] of Object.entries(b)) out[k] = deepMerge(out[k], v)
  return out
}
