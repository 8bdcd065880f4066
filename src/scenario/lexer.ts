/**
 * Scenario lexer: turns the text of a `.scn` file into lines of tokens, each token carrying its
 * 1-based line and column so every later error can point at it (packetdrill's `file:line:` shape,
 * plus the column).
 *
 * The language is line-oriented: one statement per line. The lexer knows only four token shapes:
 *   - words: any run of non-blank characters (`client:40000`, `S.`, `+0.2`, `=2406900805`, `>`);
 *   - strings: `"..."` with the escapes `\\ \" \n \r \t \xHH`;
 *   - option lists: `<mss 1460,sackOK,wscale 7>` (one token; the parser splits the inside);
 *   - text blocks: a line `intro:` / `after:` followed by indented lines (kept verbatim).
 * `#` starts a comment that runs to the end of the line (not inside strings or option lists).
 */
import { RstlabError } from '../errors.js'

export type TokenKind = 'word' | 'string' | 'options'

export interface Token {
  kind: TokenKind
  /** For strings: the unescaped value; for options: the text between `<` and `>`; else the word. */
  text: string
  line: number
  col: number
}

export interface LexLine {
  line: number
  tokens: Token[]
}

export interface TextBlock {
  /** The keyword that opened it, without the colon: 'intro' or 'after'. */
  name: string
  line: number
  col: number
  /** The block's lines with the common indentation removed; blank lines kept as ''. */
  text: string
}

export interface LexResult {
  lines: LexLine[]
  blocks: TextBlock[]
}

/** Words that open an indented text block when written alone with a trailing colon. */
export const TEXT_BLOCKS = ['intro', 'after'] as const

/** Build the one error shape every syntax error has: `file:line:col: message`. */
export function syntaxError (file: string, line: number, col: number, message: string, hint?: string): RstlabError {
  return new RstlabError('RSTLAB_ERR_SCRIPT_SYNTAX', `${file}:${line}:${col}: ${message}`,
    hint ?? 'see docs/scenario-syntax.md for the grammar')
}

/**
 * Split a scenario into lines of tokens and text blocks.
 * @throws {RstlabError} RSTLAB_ERR_SCRIPT_SYNTAX for an unterminated string or option list, a bad escape,
 *   or a text block with no indented line.
 */
export function lex (source: string, file: string): LexResult {
  const rawLines = source.split(/\r?\n/)
  const lines: LexLine[] = []
  const blocks: TextBlock[] = []
  for (let i = 0; i < rawLines.length; i++) {
    const raw = rawLines[i]
    const lineNo = i + 1
    const m = /^([a-z]+):\s*(#.*)?$/.exec(raw)
    if (m !== null && (TEXT_BLOCKS as readonly string[]).includes(m[1])) {
      const body: string[] = []
      let j = i + 1
      while (j < rawLines.length && (rawLines[j].trim() === '' || /^[ \t]/.test(rawLines[j]))) {
        body.push(rawLines[j]); j++
      }
      while (body.length > 0 && body[body.length - 1].trim() === '') { body.pop(); j-- }
      if (body.length === 0) throw syntaxError(file, lineNo, 1, `\`${m[1]}:\` needs indented text on the lines below it`)
      const indents = body.filter(l => l.trim() !== '').map(l => /^[ \t]*/.exec(l)![0].length)
      const cut = Math.min(...indents)
      blocks.push({ name: m[1], line: lineNo, col: 1, text: body.map(l => l.trim() === '' ? '' : l.slice(cut).trimEnd()).join('\n') })
      i = j - 1
      continue
    }
    const tokens = lexLine(raw, lineNo, file)
    if (tokens.length > 0) lines.push({ line: lineNo, tokens })
  }
  return { lines, blocks }
}

function lexLine (raw: string, line: number, file: string): Token[] {
  const out: Token[] = []
  let i = 0
  const n = raw.length
  while (i < n) {
    const c = raw[i]
    if (c === ' ' || c === '\t') { i++; continue }
    // `#` starts a comment, except `#N` right after a blank: a session id (`session #2`).
    if (c === '#' && !/[0-9]/.test(raw[i + 1] ?? '')) break
    const col = i + 1
    if (c === '"') {
      let value = ''
      i++
      let closed = false
      while (i < n) {
        const d = raw[i]
        if (d === '"') { closed = true; i++; break }
        if (d === '\\') {
          const e = raw[i + 1]
          if (e === undefined) break
          if (e === 'n') value += '\n'
          else if (e === 'r') value += '\r'
          else if (e === 't') value += '\t'
          else if (e === '\\' || e === '"') value += e
          else if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(raw.slice(i + 2, i + 4))) {
            value += String.fromCharCode(parseInt(raw.slice(i + 2, i + 4), 16)); i += 2
          } else throw syntaxError(file, line, i + 1, `unknown escape \`\\${e}\` in a string`, 'use \\n \\r \\t \\\\ \\" or \\xHH')
          i += 2
          continue
        }
        value += d; i++
      }
      if (!closed) throw syntaxError(file, line, col, 'string is not closed: missing `"` before the end of the line')
      out.push({ kind: 'string', text: value, line, col })
      continue
    }
    if (c === '<' && i + 1 < n && raw[i + 1] !== ' ' && raw[i + 1] !== '\t') {
      const end = raw.indexOf('>', i + 1)
      if (end < 0) throw syntaxError(file, line, col, 'option list is not closed: missing `>`', 'write options like <mss 1460,sackOK,wscale 7>')
      out.push({ kind: 'options', text: raw.slice(i + 1, end), line, col })
      i = end + 1
      continue
    }
    let j = i + 1
    while (j < n && raw[j] !== ' ' && raw[j] !== '\t' && raw[j] !== '#' && raw[j] !== '"') j++
    out.push({ kind: 'word', text: raw.slice(i, j), line, col })
    i = j
  }
  return out
}
