/**
 * Reading a YAML document (or a plain object turned into one) with positions: every value is read
 * through a `Ctx`, which records diagnostics with 1-based line:col (from the `yaml` package's node
 * ranges and `LineCounter`) and a path like `rules[2].service[0]`. Readers return `undefined` after
 * reporting, so compilation carries on and finds every problem in one pass.
 */
import { isAlias, isMap as isYamlMap, isScalar as isYamlScalar, isSeq as isYamlSeq, type Document, type LineCounter } from 'yaml'
import { FMap, FScalar, FSeq } from './fastyaml.js'
import type { PolicyDiagnostic } from './types.js'
import { didYouMean } from './suggest.js'

/** A key/value pair of a YAML map: the key's text and nodes for positions. */
export interface Entry {
  key: string
  keyNode: unknown
  value: unknown
  path: string
}

/** A scalar string from a list, with its node for positions. */
export interface Item {
  text: string
  node: unknown
  path: string
}

// Nodes come from the `yaml` package or from the fast reader (src/policy/fastyaml.ts); both have the same shape.
interface ScalarLike { value: unknown }
interface MapLike { items: Array<{ key: unknown, value: unknown }> }
interface SeqLike { items: unknown[] }
/** A scalar node from either reader (compile code must not use the `yaml` package's `isScalar`: fast-reader nodes fail it). */
export const isScalar = (n: unknown): n is ScalarLike => n instanceof FScalar || isYamlScalar(n)
const isMap = (n: unknown): n is MapLike => n instanceof FMap || isYamlMap(n)
/** A map node from either reader. */
export const isMapNode = (n: unknown): boolean => isMap(n)
const isSeq = (n: unknown): n is SeqLike => n instanceof FSeq || isYamlSeq(n)

export class Ctx {
  readonly diagnostics: PolicyDiagnostic[] = []
  /** Read-only values many rules share (zone lists), by a key of their content. */
  readonly shared = new Map<string, string[]>()

  private errors = 0

  constructor (readonly source: string, private readonly doc: Document | undefined, private readonly lineCounter?: LineCounter) {}

  /** Follow YAML aliases (`*name`). */
  resolve (n: unknown): unknown {
    return this.doc !== undefined && isAlias(n) ? n.resolve(this.doc) : n
  }

  /** 1-based [line, col] of a node, or [0, 0] when it has no source text (inline objects). */
  pos (n: unknown): [number, number] {
    const start = n instanceof FScalar || n instanceof FMap || n instanceof FSeq
      ? n.start
      : (n as { range?: [number, number, number] } | null)?.range?.[0]
    if (start === undefined || this.lineCounter === undefined) return [0, 0]
    const p = this.lineCounter.linePos(start)
    return [p.line, p.col]
  }

  /** Position of an entry's value, falling back to its key when the value is missing. */
  at (e: Entry): unknown {
    const v = this.resolve(e.value)
    return v !== null && v !== undefined && this.pos(v)[0] !== 0 ? v : e.keyNode
  }

  report (severity: 'error' | 'warning', n: unknown, path: string, message: string): void {
    const [line, col] = this.pos(n)
    this.reportAt(severity, line, col, path, message)
  }

  /** `report` at a position taken earlier (the node may be gone). */
  reportAt (severity: 'error' | 'warning', line: number, col: number, path: string, message: string): void {
    this.diagnostics.push({ severity, line, col, message, path })
    if (severity === 'error') this.errors++
  }

  error (n: unknown, path: string, message: string): void { this.report('error', n, path, message) }
  warn (n: unknown, path: string, message: string): void { this.report('warning', n, path, message) }

  /** Errors reported so far (counted, not filtered: compilation asks once per rule). */
  get errorCount (): number { return this.errors }

  /** `file:line:col`, or `file:path` for inline objects. */
  where (n: unknown, path: string): string {
    const [line, col] = this.pos(n)
    return line === 0 ? `${this.source}:${path}` : `${this.source}:${line}:${col}`
  }

  /** `line N` for messages pointing at an earlier place, or the path. */
  lineOf (n: unknown, path: string): string {
    const [line] = this.pos(n)
    return line === 0 ? path : `line ${line}`
  }

  /**
   * The entries of a map, keyed by name, after reporting unknown keys (with a suggestion) and non-string
   * keys (`anyKey`: every name is allowed, e.g. zone names; `intKeys`: an unquoted integer key, such as a
   * PAN-OS threat ID `8001:`, is read as its decimal text). `null` (an empty `key:`) is an empty map.
   * Returns undefined when the node is not a map.
   */
  fields (node: unknown, path: string, known: readonly string[], what: string, anyKey = false, intKeys = false): Map<string, Entry> | undefined {
    const n = this.resolve(node)
    const out = new Map<string, Entry>()
    if (n === null || n === undefined || (isScalar(n) && n.value === null)) return out
    if (!isMap(n)) {
      this.error(n, path, `${what} must be a map of key: value${known.length > 0 ? ` (known keys: ${known.join(', ')})` : ''}`)
      return undefined
    }
    for (const pair of n.items) {
      const k = this.resolve(pair.key)
      const intKey = intKeys && isScalar(k) && typeof k.value === 'number' && Number.isInteger(k.value)
      if (!isScalar(k) || (typeof k.value !== 'string' && !intKey)) {
        this.error(k ?? n, path, `${what} has a key that is not a name`)
        continue
      }
      const key = String(k.value)
      const p = path === '' ? key : `${path}.${key}`
      if (out.has(key)) continue // the yaml parser already reported the duplicate key
      if (!anyKey && !known.includes(key)) {
        this.error(k, p, `unknown key '${key}' in ${what}${didYouMean(key, known)}; known keys: ${known.join(', ')}`)
        continue
      }
      out.set(key, { key, keyNode: k, value: pair.value, path: p })
    }
    return out
  }

  /** The scalar value of an entry (string, number, boolean or null), or undefined if it is a map or list. */
  scalar (e: Entry, what: string): string | number | boolean | null | undefined {
    const v = this.resolve(e.value)
    if (v === null || v === undefined) return null
    if (isScalar(v)) {
      const x = v.value
      if (x === null || typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') return x
    }
    this.error(this.at(e), e.path, `'${e.key}' must be ${what}, not a ${isSeq(v) ? 'list' : isMap(v) ? 'map' : 'value of this type'}`)
    return undefined
  }

  string (e: Entry): string | undefined {
    const x = this.scalar(e, 'a string')
    if (x === undefined) return undefined
    if (typeof x !== 'string' || x === '') {
      this.error(this.at(e), e.path, `'${e.key}' must be a non-empty string`)
      return undefined
    }
    return x
  }

  /** An integer in [min, max]. */
  int (e: Entry, min: number, max: number): number | undefined {
    const x = this.scalar(e, 'an integer')
    if (x === undefined) return undefined
    if (typeof x !== 'number' || !Number.isInteger(x)) {
      this.error(this.at(e), e.path, `'${e.key}' must be an integer from ${min} to ${max}, not ${JSON.stringify(x)}`)
      return undefined
    }
    if (x < min || x > max) {
      this.error(this.at(e), e.path, `'${e.key}' is ${x}, outside its range ${min}–${max}`)
      return undefined
    }
    return x
  }

  /** `yes`/`no` (as PAN-OS writes them) or YAML booleans. */
  bool (e: Entry): boolean | undefined {
    const x = this.scalar(e, 'yes or no')
    if (x === undefined) return undefined
    if (x === true || x === 'yes') return true
    if (x === false || x === 'no') return false
    this.error(this.at(e), e.path, `'${e.key}' must be yes or no (or true/false), not ${JSON.stringify(x)}`)
    return undefined
  }

  enumOf<T extends string> (e: Entry, values: readonly T[]): T | undefined {
    const x = this.scalar(e, `one of ${values.join(', ')}`)
    if (x === undefined) return undefined
    if (typeof x === 'string' && (values as readonly string[]).includes(x)) return x as T
    const hint = typeof x === 'string' ? didYouMean(x, values) : ''
    this.error(this.at(e), e.path, `'${e.key}' must be one of ${values.join(', ')}, not ${JSON.stringify(x)}${hint}`)
    return undefined
  }

  /**
   * A list of non-empty strings: a YAML sequence, or a single string standing for a one-item list.
   * Reports non-string items and returns the good ones; undefined when the value is neither.
   */
  list (e: Entry): Item[] | undefined {
    const v = this.resolve(e.value)
    if (v === null || v === undefined || (isScalar(v) && v.value === null)) {
      this.error(this.at(e), e.path, `'${e.key}' is empty; give a value or a list (or leave the key out)`)
      return undefined
    }
    if (isScalar(v)) {
      if (typeof v.value === 'string' && v.value !== '') return [{ text: v.value, node: v, path: e.path }]
      this.error(v, e.path, `'${e.key}' must be a string or a list of strings, not ${JSON.stringify(v.value)}`)
      return undefined
    }
    if (!isSeq(v)) {
      this.error(v, e.path, `'${e.key}' must be a list like [a, b], not a map`)
      return undefined
    }
    if (v.items.length === 0) {
      this.error(v, e.path, `'${e.key}' is an empty list; give at least one entry`)
      return undefined
    }
    const out: Item[] = []
    v.items.forEach((raw, i) => {
      const item = this.resolve(raw)
      const p = `${e.path}[${i}]`
      if (isScalar(item) && typeof item.value === 'string' && item.value !== '') out.push({ text: item.value, node: item, path: p })
      else this.error(item ?? v, p, `entries of '${e.key}' must be non-empty strings, not ${isScalar(item) ? JSON.stringify(item.value) : 'a nested structure'}`)
    })
    return out
  }

  /**
   * The raw items of a YAML sequence (aliases unresolved), or undefined after an error. `owned`: the
   * tree came from the fast reader and the caller may drop items it has read.
   */
  seqItems (e: Entry, what: string): { items: unknown[], owned: boolean, reparse?: ((i: number) => unknown) | undefined } | undefined {
    const v = this.resolve(e.value)
    if (v === null || v === undefined || (isScalar(v) && v.value === null)) return { items: [], owned: false }
    if (!isSeq(v)) {
      this.error(this.at(e), e.path, `'${e.key}' must be a list of ${what}`)
      return undefined
    }
    return { items: v.items, owned: v instanceof FSeq, reparse: v instanceof FSeq ? v.reparse : undefined }
  }

  /** The items of a YAML sequence (any node types), or undefined after an error. */
  seq (e: Entry, what: string): Array<{ node: unknown, path: string }> | undefined {
    const v = this.resolve(e.value)
    if (v === null || v === undefined || (isScalar(v) && v.value === null)) return []
    if (!isSeq(v)) {
      this.error(this.at(e), e.path, `'${e.key}' must be a list of ${what}`)
      return undefined
    }
    return v.items.map((n, i) => ({ node: this.resolve(n), path: `${e.path}[${i}]` }))
  }
}
