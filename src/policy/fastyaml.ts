/**
 * A fast reader for the plain subset of YAML that policy files are written in, building the same node
 * tree (`yaml` package classes, same `range` offsets, same core-schema scalar values) that
 * `parseDocument` builds, in one pass over the text and without its token and CST layers.
 *
 * Why: the `yaml` package needs ~9 s and ~1 GB for an 8 MB, 100,000-rule policy; this reader takes a
 * fraction of a second. It is deliberately narrow. It understands block maps and block sequences
 * (incl. `- key: value` items), one-line flow sequences of scalars (`[a, 'b', "c"]`), `[]` and `{}`,
 * plain, single-quoted and escape-free double-quoted scalars on one line, and comments. For anything
 * else (anchors, aliases, tags, block scalars, multi-line scalars or flow collections, flow maps with
 * entries, `?` keys, directives, document markers, duplicate keys, tabs, CR, a BOM, any syntax error)
 * it returns `undefined` and the caller falls back to `parseDocument`, which then produces the exact
 * messages and positions it always did. A differential test compares both trees node by node.
 */
import { LineCounter } from 'yaml'

/**
 * The reader's nodes: the shape of the `yaml` package's Scalar/YAMLMap/Pair/YAMLSeq that policy
 * compilation reads (`value`, `items`, `key`), with the start offset only. Plain classes: the `yaml`
 * classes define a symbol property per node, which made 1.5 million of them slow to build and collect.
 */
export class FScalar { constructor (readonly value: unknown, readonly start: number, readonly end: number) {} }
export class FPair { constructor (readonly key: FScalar, readonly value: FNode) {} }
export class FMap { items: FPair[] = []; constructor (readonly start: number, public end = start) {} }
export class FSeq {
  items: Array<FNode | null> = []
  /** Lazy sequences (`lazyRules`): items are null here and read again, one by one, with `reparse(i)`. */
  reparse: ((i: number) => FNode) | undefined = undefined
  constructor (readonly start: number, public end = start) {}
}
export type FNode = FScalar | FMap | FSeq

/** Thrown internally to abandon the fast path; never escapes `fastParse`. */
class Unsupported extends Error {}
const BAIL = new Unsupported('unsupported by the fast YAML reader')

type Node = FNode

/**
 * Parse `text`; `undefined` when it is outside the subset (use `parseDocument` then).
 * `lazyRules`: the top-level `rules:` sequence is read in full (so the subset check covers it) but its
 * items are not kept: each is read again when asked for (`FSeq.reparse`), so a 100,000-rule tree is never
 * in memory at once, only the rule being compiled (the reader's nodes would otherwise be most of the peak).
 */
export function fastParse (text: string, opts: { lazyRules?: boolean } = {}): { root: FNode | null, lineCounter: LineCounter } | undefined {
  if (text.length > 0 && text.charCodeAt(0) === 0xfeff) return undefined
  if (text.includes('\r') || text.includes('\t')) return undefined
  try {
    const p = new FastReader(text, opts.lazyRules === true)
    const root = p.document()
    return { root, lineCounter: p.lineCounter }
  } catch (e) {
    if (e instanceof Unsupported) return undefined
    throw e
  }
}

const NULL_RE = /^(?:~|[Nn]ull|NULL)?$/
const BOOL_RE = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/
const OCT_RE = /^0o[0-7]+$/
const INT_RE = /^[-+]?[0-9]+$/
const HEX_RE = /^0x[0-9a-fA-F]+$/
const NAN_RE = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/
const EXP_RE = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/
const FLOAT_RE = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/

/** The YAML 1.2 core schema, in the order the `yaml` package tries its tags. */
function plainValue (s: string): unknown {
  const c = s.charCodeAt(0)
  // Fast exit: most policy scalars start with a letter other than n/N/t/T/f/F or hold a '/' or ':'.
  if (s.length > 0 && !((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46 || c === 126 ||
      c === 110 || c === 78 || c === 116 || c === 84 || c === 102 || c === 70)) return s
  if (NULL_RE.test(s)) return null
  if (BOOL_RE.test(s)) return s[0] === 't' || s[0] === 'T'
  if (OCT_RE.test(s)) return parseInt(s.substring(2), 8)
  if (INT_RE.test(s)) return parseInt(s, 10)
  if (HEX_RE.test(s)) return parseInt(s.substring(2), 16)
  if (NAN_RE.test(s)) return s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? -Infinity : Infinity
  if (EXP_RE.test(s) || FLOAT_RE.test(s)) return parseFloat(s)
  return s
}

function scalar (value: unknown, start: number, end: number): FScalar {
  return new FScalar(value, start, end)
}

const SP = 32
const HASH = 35
const COLON = 58
const DASH = 45

class FastReader {
  readonly lineCounter = new LineCounter()
  /** Short texts (keys, zone names, actions) repeat on every rule: keep one copy of each. */
  private readonly interned = new Map<string, string>()
  private readonly t: string
  /** Offset of the start of the current line, and of its first non-space character. */
  private line = 0
  private content = 0

  private readonly lazyRules: boolean

  constructor (text: string, lazyRules: boolean) {
    this.t = text
    this.lazyRules = lazyRules
  }

  document (): Node | null {
    const t = this.t
    // Register every line start, as the yaml parser does.
    this.lineCounter.addNewLine(0)
    for (let i = t.indexOf('\n'); i !== -1; i = t.indexOf('\n', i + 1)) this.lineCounter.addNewLine(i + 1)
    if (!this.nextContent()) return null // an empty document, as parseDocument gives it
    const indent = this.content - this.line
    if (indent !== 0) throw BAIL
    const c = t.charCodeAt(this.content)
    if (c === 37 /* % */ || (c === DASH && t.startsWith('---', this.content)) || t.startsWith('...', this.content)) throw BAIL
    const root = this.blockNode(this.content, -1, false)
    if (this.nextContent()) throw BAIL // something left over (a dedent below the root's indent is impossible)
    return root
  }

  /**
   * Move to the next line holding content (not blank, not only a comment), starting at the current
   * line. Returns false at the end of the text.
   */
  private nextContent (): boolean {
    const t = this.t
    while (this.line < t.length) {
      let i = this.line
      while (i < t.length && t.charCodeAt(i) === SP) i++
      if (i < t.length && t.charCodeAt(i) !== 10 && t.charCodeAt(i) !== HASH) { this.content = i; return true }
      const nl = t.indexOf('\n', i)
      this.line = nl === -1 ? t.length : nl + 1
    }
    this.content = t.length
    return false
  }

  private text (from: number, to: number): string {
    const s = this.t.slice(from, to)
    if (to - from > 24) return s
    const hit = this.interned.get(s)
    if (hit !== undefined) return hit
    if (this.interned.size < 4096) this.interned.set(s, s)
    return s
  }

  private endOfLine (at: number): number {
    const nl = this.t.indexOf('\n', at)
    return nl === -1 ? this.t.length : nl
  }

  /** After a value on a line: only spaces and an optional comment (after a space) may follow. */
  private finishLine (at: number): void {
    const t = this.t
    let i = at
    while (i < t.length && t.charCodeAt(i) === SP) i++
    if (i < t.length && t.charCodeAt(i) !== 10) {
      if (t.charCodeAt(i) !== HASH || i === at) throw BAIL
    }
    const eol = this.endOfLine(i)
    this.line = eol === t.length ? t.length : eol + 1
  }

  /**
   * A block node starting at offset `at` (the first character of a map key, a `-`, or a scalar) whose
   * column is greater than `parentIndent`. `inSeqItem`: it follows `- ` on the same line.
   */
  private blockNode (at: number, parentIndent: number, inSeqItem: boolean, lazy = false): Node {
    const t = this.t
    const col = at - this.line
    if (col <= parentIndent) throw BAIL
    const c = t.charCodeAt(at)
    if (c === DASH && this.isIndicator(at + 1)) {
      if (inSeqItem) throw BAIL // `- - x` compact nested sequences
      return this.blockSeq(at, col, lazy)
    }
    // A map when the line (from here) is `key: …`; otherwise a scalar or a flow collection.
    const key = this.tryKey(at)
    if (key !== undefined) return this.blockMap(at, col, key)
    const v = this.inlineValue(at)
    this.finishLine(v.end)
    return v
  }

  /** Is the character at `i` a space, a newline or the end (so a preceding `-`/`:` is an indicator)? */
  private isIndicator (i: number): boolean {
    if (i >= this.t.length) return true
    const c = this.t.charCodeAt(i)
    return c === SP || c === 10
  }

  /**
   * If the text at `at` is an implicit key followed by `:` (and a space or the end of the line),
   * return the key scalar and the offset just past the `:`; otherwise undefined.
   */
  private tryKey (at: number): { key: FScalar, after: number } | undefined {
    const t = this.t
    const c = t.charCodeAt(at)
    if (c === 39 || c === 34) {
      const q = this.quoted(at)
      let i = q.end
      while (i < t.length && t.charCodeAt(i) === SP) i++
      if (t.charCodeAt(i) === COLON && this.isIndicator(i + 1)) {
        return { key: q, after: i + 1 }
      }
      return undefined
    }
    if (!this.plainStart(at, false)) return undefined
    const eol = this.endOfLine(at)
    for (let i = at; i < eol; i++) {
      const ch = t.charCodeAt(i)
      if (ch === COLON && this.isIndicator(i + 1)) {
        if (i - at > 1000) throw BAIL // yaml refuses implicit keys over 1024 characters
        let end = i
        while (end > at && t.charCodeAt(end - 1) === SP) end--
        return { key: scalar(plainValue(this.text(at, end)), at, end), after: i + 1 }
      }
      if (ch === HASH && t.charCodeAt(i - 1) === SP) return undefined
    }
    return undefined
  }

  /** Can a plain scalar start here? Indicators, anchors, tags, block scalars etc. cannot (or are not supported). */
  private plainStart (at: number, flow: boolean): boolean {
    const t = this.t
    const c = t.charCodeAt(at)
    switch (c) {
      case 44: case 91: case 93: case 123: case 125: // , [ ] { }
      case HASH: case 38: case 42: case 33: case 124: case 62: // # & * ! | >
      case 39: case 34: case 37: case 64: case 96: // ' " % @ `
        return false
      case DASH: case 63: case COLON: { // - ? : start a plain scalar only before a safe character
        const n = t.charCodeAt(at + 1)
        if (at + 1 >= t.length || n === SP || n === 10) return false
        if (flow && (n === 44 || n === 91 || n === 93 || n === 123 || n === 125)) return false
        return true
      }
      default:
        return true
    }
  }

  private blockMap (at: number, col: number, first: { key: FScalar, after: number }): FMap {
    const t = this.t
    const map = new FMap(at)
    const seen = new Set<unknown>()
    let entry: { key: FScalar, after: number } | undefined = first
    let end = at
    for (;;) {
      const k = entry.key
      if (typeof k.value === 'object' || seen.has(k.value)) throw BAIL // null keys, duplicates: let yaml report
      seen.add(k.value)
      const value = this.mapValue(entry.after, col, this.lazyRules && col === 0 && k.value === 'rules')
      map.items.push(new FPair(k, value))
      end = value.end
      if (!this.nextContent()) break
      const c2 = this.content - this.line
      if (c2 < col) break
      if (c2 > col) throw BAIL
      entry = this.tryKey(this.content)
      if (entry === undefined) {
        // A `- item` at the map's own column belongs to the parent (a seq at the key's indent) — the
        // caller handles it; anything else here is a syntax error.
        if (t.charCodeAt(this.content) === DASH && this.isIndicator(this.content + 1)) break
        throw BAIL
      }
    }
    map.end = end
    map.items = map.items.slice() // an array grown by push keeps room for 16 more; 100,000 rule maps add up
    return map
  }

  /** The value after `key:` (offset `after` is just past the colon); `col` is the key's column. */
  private mapValue (after: number, col: number, lazy = false): Node {
    const t = this.t
    let i = after
    while (i < t.length && t.charCodeAt(i) === SP) i++
    if (i < t.length && t.charCodeAt(i) !== 10 && !(t.charCodeAt(i) === HASH && i > after)) {
      if (t.charCodeAt(i) === HASH) throw BAIL
      if (t.charCodeAt(i) === DASH && this.isIndicator(i + 1)) throw BAIL // `key: - x`
      if (this.tryKey(i) !== undefined) throw BAIL // `a: b: c`
      const v = this.inlineValue(i)
      this.finishLine(v.end)
      return v
    }
    // Nothing on this line: a nested block on the next content line, or null (which yaml places at the
    // first non-space character after the colon: the comment or the end of the line).
    const nullAt = i
    this.finishLine(after)
    if (!this.nextContent()) return scalar(null, nullAt, nullAt)
    const c2 = this.content - this.line
    const isItem = t.charCodeAt(this.content) === DASH && this.isIndicator(this.content + 1)
    if (c2 > col || (c2 === col && isItem)) {
      if (c2 === col) return this.blockSeq(this.content, c2, lazy)
      return this.blockNode(this.content, col, false, lazy)
    }
    return scalar(null, nullAt, nullAt)
  }

  private blockSeq (at: number, col: number, lazy = false): FSeq {
    const t = this.t
    const seq = new FSeq(at)
    let end = at
    const lines: number[] = []
    const contents: number[] = []
    for (;;) {
      if (lazy) { lines.push(this.line); contents.push(this.content) }
      const item = this.seqItem(col)
      seq.items.push(lazy ? null : item)
      end = item.end
      if (!this.nextContent()) break
      const c2 = this.content - this.line
      if (c2 < col) break
      if (c2 > col) throw BAIL
      if (!(t.charCodeAt(this.content) === DASH && this.isIndicator(this.content + 1))) break // a key of the parent map
    }
    seq.end = end
    seq.items = seq.items.slice()
    if (lazy) {
      // The same reader state gives the same item: read it again from where it started.
      seq.reparse = (i: number): FNode => {
        this.line = lines[i]!
        this.content = contents[i]!
        return this.seqItem(col)
      }
    }
    return seq
  }

  /** One `- item` of a block sequence at column `col`; this.content is at its '-'. */
  private seqItem (col: number): Node {
    const t = this.t
    const dash = this.content
    let i = dash + 1
    while (i < t.length && t.charCodeAt(i) === SP) i++
    if (i >= t.length || t.charCodeAt(i) === 10 || t.charCodeAt(i) === HASH) {
      if (t.charCodeAt(i) === HASH && i === dash + 1) throw BAIL
      this.finishLine(dash + 1)
      if (this.nextContent() && this.content - this.line > col) return this.blockNode(this.content, col, false)
      return scalar(null, i, i)
    }
    return this.blockNode(i, col, true)
  }

  /** A scalar or a one-line flow collection starting at `at`. */
  private inlineValue (at: number): Node {
    const t = this.t
    const c = t.charCodeAt(at)
    if (c === 39 || c === 34) return this.quoted(at)
    if (c === 91) return this.flowSeq(at)
    if (c === 123) return this.flowMap(at)
    if (!this.plainStart(at, false)) throw BAIL
    const eol = this.endOfLine(at)
    let end = eol
    for (let i = at; i < eol; i++) {
      const ch = t.charCodeAt(i)
      if (ch === HASH && t.charCodeAt(i - 1) === SP) { end = i; break }
      if (ch === COLON && this.isIndicator(i + 1)) throw BAIL
    }
    while (end > at && t.charCodeAt(end - 1) === SP) end--
    return scalar(plainValue(this.text(at, end)), at, end)
  }

  /** A quoted scalar closed on the same line; double-quoted ones only without escapes. */
  private quoted (at: number): FScalar {
    const t = this.t
    const q = t.charCodeAt(at)
    const eol = this.endOfLine(at)
    let out = ''
    let from = at + 1
    for (let i = at + 1; i < eol; i++) {
      const ch = t.charCodeAt(i)
      if (q === 34 && ch === 92) throw BAIL
      if (ch === q) {
        if (q === 39 && t.charCodeAt(i + 1) === 39) { out += t.slice(from, i + 1); from = i + 2; i++; continue }
        out += t.slice(from, i)
        return scalar(out, at, i + 1)
      }
    }
    throw BAIL
  }

  /** A scalar inside a flow collection, ending before `,`, `]` or `}` (`stop`: a `:` ends it too, for keys). */
  private flowScalar (i: number, eol: number, key: boolean): FScalar {
    const t = this.t
    const c = t.charCodeAt(i)
    if (c === 39 || c === 34) return this.quoted(i)
    if (!this.plainStart(i, true)) throw BAIL
    let j = i
    for (; j < eol; j++) {
      const ch = t.charCodeAt(j)
      if (ch === 44 || ch === 93 || ch === 125) break
      if (ch === 91 || ch === 123) throw BAIL
      if (ch === HASH && t.charCodeAt(j - 1) === SP) throw BAIL
      if (ch === COLON) {
        const n = t.charCodeAt(j + 1)
        if (j + 1 >= eol || n === SP || n === 44 || n === 93 || n === 91 || n === 123 || n === 125) {
          if (key) break
          throw BAIL
        }
      }
    }
    if (j >= eol) throw BAIL
    let end = j
    while (end > i && t.charCodeAt(end - 1) === SP) end--
    return scalar(plainValue(this.text(i, end)), i, end)
  }

  /** `{ key: value, … }` on one line: scalar keys; scalar or flow-sequence values. */
  private flowMap (at: number): FMap {
    const t = this.t
    const map = new FMap(at)
    const seen = new Set<unknown>()
    const eol = this.endOfLine(at)
    let i = at + 1
    for (;;) {
      while (i < eol && t.charCodeAt(i) === SP) i++
      if (i >= eol) throw BAIL
      if (t.charCodeAt(i) === 125) { i++; break }
      const k = this.flowScalar(i, eol, true)
      if (typeof k.value === 'object' || seen.has(k.value)) throw BAIL
      seen.add(k.value)
      i = k.end
      while (i < eol && t.charCodeAt(i) === SP) i++
      if (t.charCodeAt(i) !== COLON) throw BAIL // `{a}`, `{a, b}`: keys without values
      i++
      if (k.value !== undefined && t.charCodeAt(k.start) !== 39 && t.charCodeAt(k.start) !== 34 && i - 1 === k.end &&
          !(t.charCodeAt(i) === SP || t.charCodeAt(i) === 44 || t.charCodeAt(i) === 125)) throw BAIL
      while (i < eol && t.charCodeAt(i) === SP) i++
      const c = t.charCodeAt(i)
      let v: FNode
      if (c === 44 || c === 125) v = scalar(null, i, i)
      else if (c === 91) v = this.flowSeq(i)
      else v = this.flowScalar(i, eol, false)
      map.items.push(new FPair(k, v))
      i = v.end
      while (i < eol && t.charCodeAt(i) === SP) i++
      const d = t.charCodeAt(i)
      if (d === 44) { i++; continue }
      if (d === 125) { i++; break }
      throw BAIL
    }
    map.end = i
    return map
  }

  /** `[a, b, 'c']` on one line: scalars only. */
  private flowSeq (at: number): FSeq {
    const t = this.t
    const seq = new FSeq(at)
    const eol = this.endOfLine(at)
    let i = at + 1
    for (;;) {
      while (i < eol && t.charCodeAt(i) === SP) i++
      if (i >= eol) throw BAIL
      const c = t.charCodeAt(i)
      if (c === 93) { i++; break }
      const item = this.flowScalar(i, eol, false)
      seq.items.push(item)
      i = item.end
      while (i < eol && t.charCodeAt(i) === SP) i++
      const d = t.charCodeAt(i)
      if (d === 44) { i++; continue }
      if (d === 93) { i++; break }
      throw BAIL
    }
    seq.end = i
    return seq
  }
}
