/**
 * The intermediate PAN-OS configuration tree both readers build (XML in xml.ts, `set` commands in
 * setcmd.ts) and the mapper (map.ts) reads once. It mirrors the PAN-OS XML: an element has a tag, an
 * optional `name` attribute (list entries: `<entry name="web">`), text (leaves) and children; member
 * lists are children tagged `member`. Every node keeps where it came from (file, 1-based line:col).
 */
import { RstlabError } from '../../errors.js'

export interface Pos { file: string, line: number, col: number }

export interface PanNode {
  tag: string
  /** `name` attribute (entries), if any. */
  name?: string
  /** Text content of a leaf (trimmed), if any. */
  text?: string
  children: PanNode[]
  pos: Pos
}

export function node (tag: string, pos: Pos, name?: string): PanNode {
  const n: PanNode = { tag, children: [], pos }
  if (name !== undefined) n.name = name
  return n
}

/** First child with this tag (and name, when given). */
export function child (n: PanNode | undefined, tag: string, name?: string): PanNode | undefined {
  if (n === undefined) return undefined
  for (const c of n.children) if (c.tag === tag && (name === undefined || c.name === name)) return c
  return undefined
}

/** Follow a path of tags; `tag[name]` selects an entry by name (`devices/entry[localhost.localdomain]`). */
export function at (n: PanNode | undefined, ...path: string[]): PanNode | undefined {
  let cur = n
  for (const p of path) {
    const m = /^([^[]+)\[(.*)\]$/.exec(p)
    cur = m === null ? child(cur, p) : child(cur, m[1]!, m[2]!)
    if (cur === undefined) return undefined
  }
  return cur
}

/** The `<entry name=…>` children of a list node. */
export function entries (n: PanNode | undefined): PanNode[] {
  return n === undefined ? [] : n.children.filter(c => c.tag === 'entry' && c.name !== undefined)
}

/** The `<member>` texts of a member-list node, with their nodes. */
export function members (n: PanNode | undefined): PanNode[] {
  return n === undefined ? [] : n.children.filter(c => c.tag === 'member' && c.text !== undefined)
}

/** Text of a leaf child, or undefined. */
export function leaf (n: PanNode | undefined, tag: string): string | undefined {
  return child(n, tag)?.text
}

export function fmtPos (p: Pos): string {
  return `${p.file}:${p.line}:${p.col}`
}

/** Malformed input: `file:line:col: message`, exit 2 (RSTLAB_ERR_IMPORT). */
export class ImportSyntaxError extends RstlabError {
  readonly pos: Pos
  constructor (pos: Pos, message: string, hint?: string) {
    super('RSTLAB_ERR_IMPORT', `${fmtPos(pos)}: ${message}`,
      hint ?? 'fix the configuration file and import it again; nothing was written')
    this.name = 'ImportSyntaxError'
    this.pos = pos
  }
}

/** A leftover template placeholder (`{{ NAME }}`, `{% … %}`) in `s` starting at column `col0` of `line`? */
export function checkPlaceholder (s: string, file: string, line: number, col0: number): void {
  const i = s.search(/\{\{|\{%/)
  if (i < 0) return
  const m = /\{\{\s*([^}]*?)\s*\}\}/.exec(s.slice(i))
  const what = m !== null ? `'{{ ${m[1]} }}'` : `'${s.slice(i, i + 12)}…'`
  throw new ImportSyntaxError({ file, line, col: col0 + i },
    `template placeholder ${what} left in the configuration`,
    'this is a template, not a configuration: render it first (fill in every {{ NAME }}), or import the rendered file')
}
