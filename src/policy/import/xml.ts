/**
 * A small XML reader for PAN-OS configuration exports (running-config.xml, candidate-config, `show config
 * running` via the API, wrapped in `<response><result>`). It keeps line:col of every element, which a
 * general-purpose parser would not give us without a heavier dependency, and it only needs what PAN-OS
 * writes: elements, attributes, text, the five predefined entities and character references, comments,
 * CDATA, processing instructions and a DOCTYPE line (skipped). Anything else is an error with file:line:col.
 *
 * Comments are returned separately: `<!-- rstlab-extensions {...} -->` carries what PAN-OS has no place
 * for (see export.ts).
 */
import { ImportSyntaxError, checkPlaceholder, node, type PanNode, type Pos } from './tree.js'

export interface XmlDocument {
  root: PanNode
  /** Comments with their position (text without the delimiters). */
  comments: Array<{ text: string, pos: Pos }>
}

const NAME_RE = /[A-Za-z_:][-A-Za-z0-9_:.]*/y

export function parseXml (text: string, file: string): XmlDocument {
  let i = 0
  const lineStarts = [0]
  for (let j = 0; j < text.length; j++) if (text.charCodeAt(j) === 10) lineStarts.push(j + 1)
  const comments: XmlDocument['comments'] = []
  const posAt = (k: number): Pos => {
    let lo = 0; let hi = lineStarts.length - 1
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (lineStarts[mid]! <= k) lo = mid; else hi = mid - 1 }
    return { file, line: lo + 1, col: k - lineStarts[lo]! + 1 }
  }
  const fail = (k: number, msg: string): never => { throw new ImportSyntaxError(posAt(k), `XML: ${msg}`) }
  const decode = (raw: string, k: number): string => {
    if (raw.indexOf('&') < 0) return raw
    return raw.replace(/&(#x[0-9A-Fa-f]+|#[0-9]+|lt|gt|amp|quot|apos);|&/g, (m, ent: string | undefined, off: number) => {
      if (ent === undefined) fail(k + off, "a bare '&' (write &amp;)")
      if (ent === 'lt') return '<'
      if (ent === 'gt') return '>'
      if (ent === 'amp') return '&'
      if (ent === 'quot') return '"'
      if (ent === 'apos') return "'"
      const cp = ent!.startsWith('#x') ? parseInt(ent!.slice(2), 16) : parseInt(ent!.slice(1), 10)
      if (!(cp > 0 && cp <= 0x10ffff)) fail(k + off, `character reference ${m} is out of range`)
      return String.fromCodePoint(cp)
    })
  }
  const readName = (): string => {
    NAME_RE.lastIndex = i
    const m = NAME_RE.exec(text)
    if (m === null) fail(i, `expected a name, found ${JSON.stringify(text.slice(i, i + 10) || 'end of file')}`)
    i += m![0].length
    return m![0]
  }
  const skipWs = (): void => { while (i < text.length && /\s/.test(text[i]!)) i++ }

  const stack: PanNode[] = []
  const texts: string[][] = []
  let root: PanNode | undefined
  if (text.charCodeAt(0) === 0xfeff) i = 1
  while (i < text.length) {
    const lt = text.indexOf('<', i)
    const end = lt < 0 ? text.length : lt
    if (end > i) {
      const raw = text.slice(i, end)
      if (stack.length === 0) {
        if (raw.trim() !== '') fail(i + raw.search(/\S/), 'text outside the root element')
      } else {
        const p = posAt(i)
        checkPlaceholder(raw, file, p.line, p.col)
        texts[texts.length - 1]!.push(decode(raw, i))
      }
      i = end
    }
    if (lt < 0) break
    const start = lt
    if (text.startsWith('<!--', lt)) {
      const close = text.indexOf('-->', lt + 4)
      if (close < 0) fail(lt, 'comment never closed (no -->)')
      comments.push({ text: text.slice(lt + 4, close).trim(), pos: posAt(lt) })
      i = close + 3
      continue
    }
    if (text.startsWith('<![CDATA[', lt)) {
      const close = text.indexOf(']]>', lt)
      if (close < 0) fail(lt, 'CDATA section never closed (no ]]>)')
      if (stack.length === 0) fail(lt, 'CDATA outside the root element')
      texts[texts.length - 1]!.push(text.slice(lt + 9, close))
      i = close + 3
      continue
    }
    if (text.startsWith('<?', lt)) {
      const close = text.indexOf('?>', lt)
      if (close < 0) fail(lt, 'processing instruction never closed (no ?>)')
      i = close + 2
      continue
    }
    if (text.startsWith('<!DOCTYPE', lt)) {
      if (text.indexOf('[', lt) >= 0 && text.indexOf('[', lt) < text.indexOf('>', lt)) fail(lt, 'a DOCTYPE with an internal subset is not supported')
      const close = text.indexOf('>', lt)
      if (close < 0) fail(lt, 'DOCTYPE never closed')
      i = close + 1
      continue
    }
    if (text[lt + 1] === '/') {
      i = lt + 2
      const name = readName()
      skipWs()
      if (text[i] !== '>') fail(i, `expected '>' to close </${name}`)
      i++
      const open = stack.pop()
      if (open === undefined) fail(start, `closing tag </${name}> without an opening tag`)
      if (open!.tag !== name) fail(start, `closing tag </${name}> does not match <${open!.tag}> opened at line ${open!.pos.line}:${open!.pos.col}`)
      finishText(open!, texts.pop()!)
      continue
    }
    // start tag
    i = lt + 1
    const pos = posAt(lt)
    const tag = readName()
    const el = node(tag, pos)
    const seen = new Set<string>()
    for (;;) {
      const before = i
      skipWs()
      if (text.startsWith('/>', i)) { i += 2; attach(el, true); break }
      if (text[i] === '>') { i++; attach(el, false); break }
      if (i >= text.length) fail(start, `<${tag}> never closed (end of file inside the tag)`)
      if (i === before) fail(i, `expected whitespace, '>' or '/>' in <${tag}>`)
      const attrAt = i
      const an = readName()
      skipWs()
      if (text[i] !== '=') fail(i, `attribute ${an} of <${tag}> has no value (write ${an}="…")`)
      i++
      skipWs()
      const q = text[i]
      if (q !== '"' && q !== "'") fail(i, `the value of attribute ${an} must be in quotes`)
      const close = text.indexOf(q!, i + 1)
      if (close < 0) fail(i, `the value of attribute ${an} is never closed`)
      const raw = text.slice(i + 1, close)
      if (raw.includes('<')) fail(i, `'<' inside the value of attribute ${an}`)
      const ap = posAt(i + 1)
      checkPlaceholder(raw, file, ap.line, ap.col)
      if (seen.has(an)) fail(attrAt, `attribute ${an} given twice in <${tag}>`)
      seen.add(an)
      if (an === 'name') el.name = decode(raw, i + 1)
      i = close + 1
    }
  }
  if (stack.length > 0) {
    const open = stack[stack.length - 1]!
    fail(text.length, `end of file inside <${open.tag}> opened at line ${open.pos.line}:${open.pos.col}`)
  }
  if (root === undefined) fail(text.length, 'no root element: this is not an XML configuration')
  return { root: root!, comments }

  function attach (el: PanNode, selfClosing: boolean): void {
    if (stack.length === 0) {
      if (root !== undefined) throw new ImportSyntaxError(el.pos, `XML: a second root element <${el.tag}> (a configuration has one <config>)`)
      root = el
    } else stack[stack.length - 1]!.children.push(el)
    if (!selfClosing) { stack.push(el); texts.push([]) }
  }
  function finishText (el: PanNode, parts: string[]): void {
    const t = parts.join('').trim()
    if (t !== '') el.text = t
  }
}
