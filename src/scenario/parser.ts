/**
 * Scenario parser: tokens (lexer.ts) → `Scenario` (types.ts). The grammar is published in
 * docs/scenario-syntax.md; keep the two in step. Every error is an RstlabError
 * RSTLAB_ERR_SCRIPT_SYNTAX whose message starts with `file:line:col:`.
 *
 * Times: a statement may start with a time: absolute seconds (`1.5`) or relative to the previous
 * statement (`+0.2`, `+3601`, `+200ms`). A statement without a time happens at the same instant as
 * the one before. Times are kept as integer microseconds and may not go backwards.
 */
import { isIP } from 'node:net'
import { lex, syntaxError, type Token } from './lexer.js'
import type {
  CommitSpec, CounterOp, Endpoint, FlowSel, HostDecl, Override, PacketPattern, PacketSpec, Proto, QuotePattern,
  Scenario, ScenarioEvent, SeqValue, SessionCheck, TcpOptionSpec,
} from './types.js'
import { END_REASON_NAMES, FLAG_LETTERS, FLAG_ORDER, ICMP_BY_NAME, SESSION_STATES } from './vocab.js'

const SESSION_FIELDS: Record<string, readonly string[] | 'any' | 'number'> = {
  state: SESSION_STATES,
  'tcp-state': 'any',
  app: 'any',
  application: 'any',
  end: END_REASON_NAMES,
  rule: 'any',
  action: 'any',
  timeout: 'number',
  from: 'any',
  to: 'any',
}

const OVERRIDE_SECTIONS = ['session', 'tcp', 'emulator'] as const

/** Parse tcpdump flag letters (`S`, `S.`, `[R.]`, `P.`, `.`) into TcpFlag bits; undefined if not flags. */
export function parseFlagLetters (text: string): number | undefined {
  const inner = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text
  if (inner === '' || inner === 'none') return text === '[none]' || text === 'none' ? 0 : undefined
  let bits = 0
  for (const ch of inner) {
    const b = FLAG_LETTERS[ch]
    if (b === undefined || (bits & b) !== 0) return undefined
    bits |= b
  }
  return bits
}

/** Flag bits → tcpdump letters (`S.`, `R`, `P.`), `none` for zero. */
export function flagLetters (bits: number): string {
  let s = ''
  for (const ch of FLAG_ORDER) if ((bits & FLAG_LETTERS[ch]) !== 0) s += ch
  return s === '' ? 'none' : s
}

/**
 * Parse a scenario's source text.
 * @param file the path shown in error messages.
 * @throws {RstlabError} RSTLAB_ERR_SCRIPT_SYNTAX with `file:line:col: message`.
 */
/** Most timed steps a scenario may hold (docs/errors.md, RSTLAB_ERR_LIMIT). */
export const MAX_STEPS = 100_000

export function parseScenario (source: string, file: string): Scenario {
  return new Parser(source, file).parse()
}

/** ISN used when a host declares none: stable per name, far from 0 so forged `seq =0` stands out. */
export function defaultIsn (name: string): number {
  let h = 2166136261
  for (let i = 0; i < name.length; i++) { h ^= name.charCodeAt(i); h = Math.imul(h, 16777619) >>> 0 }
  return (h % 0x70000000) + 0x01000000
}

class Cursor {
  i = 0
  constructor (readonly tokens: Token[], readonly file: string, readonly line: number) {}
  peek (): Token | undefined { return this.tokens[this.i] }
  next (what: string): Token {
    const t = this.tokens[this.i]
    if (t === undefined) {
      const last = this.tokens[this.tokens.length - 1]
      throw syntaxError(this.file, this.line, last.col + (last.kind === 'word' ? last.text.length : last.text.length + 2),
        `expected ${what} at the end of the line`)
    }
    this.i++
    return t
  }
  word (what: string): Token {
    const t = this.next(what)
    if (t.kind !== 'word') throw syntaxError(this.file, t.line, t.col, `expected ${what}, found ${t.kind === 'string' ? 'a string' : 'an option list'}`)
    return t
  }
  done (): boolean { return this.i >= this.tokens.length }
  error (t: Token, message: string, hint?: string): never { throw syntaxError(this.file, t.line, t.col, message, hint) }
}

class Parser {
  private readonly sc: Scenario
  private timeUs = 0
  private sawStep = false

  constructor (private readonly source: string, private readonly file: string) {
    this.sc = { file, title: undefined, intro: undefined, after: undefined, hosts: [], policy: undefined, overrides: [], strict: true, events: [] }
  }

  parse (): Scenario {
    const { lines, blocks } = lex(this.source, this.file)
    for (const b of blocks) {
      if (b.name === 'intro') {
        if (this.sc.intro !== undefined) throw syntaxError(this.file, b.line, b.col, '`intro:` given twice')
        this.sc.intro = b.text
      } else {
        if (this.sc.after !== undefined) throw syntaxError(this.file, b.line, b.col, '`after:` given twice')
        this.sc.after = b.text
      }
    }
    const sourceLines = this.source.split(/\r?\n/) // once: splitting per statement made 10^6 steps quadratic
    for (const l of lines) this.statement(new Cursor(l.tokens, this.file, l.line), sourceLines[l.line - 1]!.trim())
    if (this.sc.hosts.length === 0) throw syntaxError(this.file, 1, 1, 'the scenario declares no hosts', 'add lines like: host client 198.18.0.1 side client')
    return this.sc
  }

  private statement (c: Cursor, text: string): void {
    const first = c.peek()!
    let timed = false
    if (first.kind === 'word' && /^[+]?[0-9.]/.test(first.text)) {
      c.next('a time')
      this.timeUs = this.parseTime(c, first)
      timed = true
      if (c.done()) { this.step(c, first, { kind: 'wait', line: first.line, col: first.col, timeUs: this.timeUs, text }); return }
    }
    const head = c.word('a statement')
    switch (head.text) {
      case 'title': case 'host': case 'policy': case 'set': case 'strict':
        if (timed) c.error(first, `\`${head.text}\` is a header statement and takes no time`)
        if (this.sawStep) c.error(head, `\`${head.text}\` must come before the first timed step`, 'put hosts, policy, set and strict lines at the top')
        this.header(c, head)
        return
      case 'wait':
        this.end(c)
        this.step(c, head, { kind: 'wait', line: head.line, col: head.col, timeUs: this.timeUs, text })
        return
      case 'note': {
        const t = c.next('a quoted note')
        if (t.kind !== 'string') c.error(t, 'a note is a quoted string: note "..."')
        this.end(c)
        this.step(c, head, { kind: 'note', line: head.line, col: head.col, timeUs: this.timeUs, text, note: t.text })
        return
      }
      case 'firewall': this.firewall(c, head, text); return
      case 'commit': {
        const commit = this.commit(c)
        this.step(c, head, { kind: 'commit', line: head.line, col: head.col, timeUs: this.timeUs, text, commit })
        return
      }
      case 'session': this.session(c, head, text); return
      case 'sessions': {
        const [op, count] = this.opNumber(c, 'a session count')
        this.end(c)
        this.step(c, head, { kind: 'expect-sessions', line: head.line, col: head.col, timeUs: this.timeUs, text, op, count })
        return
      }
      case 'counter': {
        const name = c.word('a counter name')
        if (!/^[a-z][a-z0-9_]*$/.test(name.text)) c.error(name, `\`${name.text}\` is not a counter name`, 'counter names look like flow_tcp_non_syn_drop')
        const [op, value] = this.opNumber(c, 'a counter value')
        this.end(c)
        this.step(c, head, { kind: 'expect-counter', line: head.line, col: head.col, timeUs: this.timeUs, text, name: name.text, op, value })
        return
      }
    }
    // HOST gets ... | SRC > DST packet
    const nxt = c.peek()
    if (nxt !== undefined && nxt.kind === 'word' && nxt.text === 'gets') {
      this.hostRef(c, head)
      c.next('gets')
      this.gets(c, head, text)
      return
    }
    if (nxt !== undefined && nxt.kind === 'word' && nxt.text === '>') {
      const src = this.endpoint(c, head)
      c.next('>')
      const dst = this.endpoint(c, c.word('the receiving host'))
      if (src.host === dst.host) c.error(head, `a host cannot send to itself (${src.host})`)
      const packet = this.packet(c, src.host)
      this.step(c, head, { kind: 'send', line: head.line, col: head.col, timeUs: this.timeUs, text, src, dst, packet })
      return
    }
    if (this.sc.hosts.some(h => h.name === head.text.split(':')[0])) {
      c.error(nxt ?? head, 'expected `>` (a host sends) or `gets` (a host receives) after the host name')
    }
    c.error(head, `unknown statement \`${head.text}\``,
      'statements: host, policy, set, strict, title, note, wait, HOST:PORT > HOST:PORT ..., HOST gets ..., firewall, session, sessions, counter, commit')
  }

  private step (c: Cursor, at: Token, ev: ScenarioEvent): void {
    if (this.sc.events.length >= MAX_STEPS) {
      c.error(at, `more than ${MAX_STEPS} steps; rstlab runs scenarios of at most ${MAX_STEPS} steps`, 'split the scenario into several files')
    }
    this.sawStep = true
    this.sc.events.push(ev)
  }

  private end (c: Cursor): void {
    const t = c.peek()
    if (t !== undefined) c.error(t, `unexpected \`${t.kind === 'word' ? t.text : t.kind === 'string' ? '"' + t.text + '"' : '<' + t.text + '>'}\` at the end of the statement`)
  }

  private parseTime (c: Cursor, t: Token): number {
    const m = /^(\+)?([0-9]+)(?:\.([0-9]{1,6}))?(ms|s)?$/.exec(t.text)
    if (m === null) c.error(t, `\`${t.text}\` is not a time`, 'write seconds: 0.5 (absolute) or +0.2, +3601, +200ms (relative)')
    let us = Number(m[2]) * 1_000_000 + Number((m[3] ?? '').padEnd(6, '0'))
    if (m[4] === 'ms') us = Math.round(us / 1000)
    const abs = m[1] === '+' ? this.timeUs + us : us
    if (abs < this.timeUs) c.error(t, `time ${t.text} goes backwards (the previous statement is at ${(this.timeUs / 1e6).toFixed(6).replace(/\.?0+$/, '')} s)`, 'use a relative time such as +0.1')
    if (!Number.isSafeInteger(abs)) c.error(t, `time ${t.text} is too large`)
    return abs
  }

  // ----- header statements -----

  private header (c: Cursor, head: Token): void {
    switch (head.text) {
      case 'title': {
        const t = c.next('a quoted title')
        if (t.kind !== 'string') c.error(t, 'a title is a quoted string: title "..."')
        this.end(c)
        this.sc.title = t.text
        return
      }
      case 'strict': {
        const t = c.word('on or off')
        if (t.text !== 'on' && t.text !== 'off') c.error(t, `strict takes on or off, not \`${t.text}\``)
        this.end(c)
        this.sc.strict = t.text === 'on'
        return
      }
      case 'policy': {
        if (this.sc.policy !== undefined) c.error(head, `policy given twice (first on line ${this.sc.policy.line})`)
        const t = c.next('a policy file')
        if (t.kind === 'options') c.error(t, 'expected a policy file name')
        this.end(c)
        this.sc.policy = { line: t.line, col: t.col, path: t.text }
        return
      }
      case 'set': this.override(c); return
      case 'host': this.host(c, head)
    }
  }

  private host (c: Cursor, head: Token): void {
    const name = c.word('a host name')
    if (!/^[a-z][a-z0-9_-]*$/i.test(name.text)) c.error(name, `\`${name.text}\` is not a host name`, 'host names are letters, digits, - and _, starting with a letter')
    if (['firewall', 'session', 'sessions', 'counter', 'note', 'wait', 'title', 'host', 'policy', 'set', 'strict', 'any', 'nothing'].includes(name.text)) {
      c.error(name, `\`${name.text}\` is a keyword and cannot name a host`)
    }
    const prev = this.sc.hosts.find(h => h.name === name.text)
    if (prev !== undefined) c.error(name, `host \`${name.text}\` is declared twice (first on line ${prev.line})`)
    const addr = c.word('the host\'s address')
    const version = isIP(addr.text)
    if (version === 0) c.error(addr, `\`${addr.text}\` is not an IPv4 or IPv6 address`)
    const clash = this.sc.hosts.find(h => h.addr === addr.text)
    if (clash !== undefined) c.error(addr, `address ${addr.text} already belongs to host \`${clash.name}\``)
    const h: HostDecl = {
      line: head.line, col: head.col, name: name.text, addr: addr.text, version: version as 4 | 6,
      mac: '', ttl: 64, side: undefined, isn: defaultIsn(name.text), vlans: [],
    }
    let macSet = false
    while (!c.done()) {
      const k = c.word('a host attribute')
      switch (k.text) {
        case 'mac': {
          const v = c.word('a MAC address')
          if (!/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i.test(v.text)) c.error(v, `\`${v.text}\` is not a MAC address`, 'write it like 02:00:00:00:00:01')
          h.mac = v.text.toLowerCase(); macSet = true
          break
        }
        case 'ttl': case 'hlim': h.ttl = this.int(c, c.word(`a ${k.text} value`), 1, 255, k.text); break
        case 'side': {
          const v = c.word('client or server')
          if (v.text !== 'client' && v.text !== 'server') c.error(v, `side is client or server, not \`${v.text}\``)
          h.side = v.text
          break
        }
        case 'isn': h.isn = this.int(c, c.word('an initial sequence number'), 0, 0xffffffff, 'isn'); break
        case 'vlan': h.vlans = this.vlanList(c); break
        default: c.error(k, `unknown host attribute \`${k.text}\``, 'host NAME ADDRESS [mac MAC] [ttl N | hlim N] [side client|server] [isn N] [vlan ID[,INNER]]')
      }
    }
    if (!macSet) {
      const n = this.sc.hosts.length + 1
      h.mac = `02:00:00:00:00:${n.toString(16).padStart(2, '0')}`
    }
    this.sc.hosts.push(h)
  }

  /** `vlan 100` (one 802.1Q tag), `vlan 100,200` (QinQ, outer first) or `vlan none` (untagged). */
  private vlanList (c: Cursor): number[] {
    const t = c.word('VLAN ids (100, 100,200 for QinQ, or none)')
    if (t.text === 'none') return []
    const parts = t.text.split(',')
    if (parts.length > 2) c.error(t, `\`${t.text}\`: at most two VLAN tags (QinQ: outer,inner)`)
    return parts.map(x => {
      if (!/^[0-9]+$/.test(x) || Number(x) > 4095) c.error(t, `\`${x}\` is not a VLAN id (0-4095)`, 'write vlan 100, vlan 100,200 (QinQ, outer first) or vlan none')
      return Number(x)
    })
  }

  private yesNo (c: Cursor, what: string): boolean {
    const t = c.word(`yes or no for ${what}`)
    if (t.text !== 'yes' && t.text !== 'no') c.error(t, `${what} takes yes or no, not \`${t.text}\``)
    return t.text === 'yes'
  }

  /** `commit FILE [rematch]` | `commit set SECTION.KEY VALUE [rematch]`. */
  private commit (c: Cursor): CommitSpec {
    const t = c.next('a policy file, or set SECTION.KEY VALUE')
    if (t.kind === 'options') c.error(t, 'expected a policy file name or `set`')
    let spec: CommitSpec
    if (t.kind === 'word' && t.text === 'set') {
      const k = c.word('SECTION.KEY')
      const m = /^([a-z]+)\.([a-z][a-z0-9-]*)$/.exec(k.text)
      if (m === null || !(OVERRIDE_SECTIONS as readonly string[]).includes(m[1])) {
        c.error(k, `\`${k.text}\` is not a setting`, 'write commit set session.timeout-tcp 30 [rematch]')
      }
      const v = c.next('a value')
      if (v.kind === 'options') c.error(v, 'expected a value')
      spec = { kind: 'set', section: m[1] as 'session', key: m[2], value: this.typedValue(v), rematch: false }
    } else spec = { kind: 'policy', path: t.text, rematch: false }
    const r = c.peek()
    if (r !== undefined) {
      const w = c.word('rematch')
      if (w.text !== 'rematch') c.error(w, `unexpected \`${w.text}\` after the commit`, 'commit POLICY [rematch] | commit set SECTION.KEY VALUE [rematch]')
      spec.rematch = true
    }
    this.end(c)
    return spec
  }

  private typedValue (v: Token): string | number | boolean {
    if (v.kind !== 'word') return v.text
    if (/^[0-9]+$/.test(v.text)) return Number(v.text)
    if (v.text === 'yes' || v.text === 'true') return true
    if (v.text === 'no' || v.text === 'false') return false
    return v.text
  }

  private override (c: Cursor): void {
    const k = c.word('SECTION.KEY')
    const m = /^([a-z]+)\.([a-z][a-z0-9-]*)$/.exec(k.text)
    if (m === null || !(OVERRIDE_SECTIONS as readonly string[]).includes(m[1])) {
      c.error(k, `\`${k.text}\` is not a setting`, 'write set session.timeout-tcp 30, set tcp.allow-challenge-ack yes, set emulator.reset-on-age-out both')
    }
    const v = c.next('a value')
    if (v.kind === 'options') c.error(v, 'expected a value')
    this.end(c)
    let value: string | number | boolean = v.text
    if (v.kind === 'word') {
      if (/^[0-9]+$/.test(v.text)) value = Number(v.text)
      else if (v.text === 'yes' || v.text === 'true') value = true
      else if (v.text === 'no' || v.text === 'false') value = false
    }
    const o: Override = { line: k.line, col: k.col, section: m[1] as Override['section'], key: m[2], value }
    const dup = this.sc.overrides.find(x => x.section === o.section && x.key === o.key)
    if (dup !== undefined) c.error(k, `${k.text} is set twice (first on line ${dup.line})`)
    this.sc.overrides.push(o)
  }

  // ----- steps -----

  private hostRef (c: Cursor, t: Token): string {
    if (!this.sc.hosts.some(h => h.name === t.text)) {
      c.error(t, `unknown host \`${t.text}\``, `declare it first: host ${t.text} ADDRESS`)
    }
    return t.text
  }

  private endpoint (c: Cursor, t: Token): Endpoint {
    const [name, port, extra] = t.text.split(':')
    if (extra !== undefined) c.error(t, `\`${t.text}\` is not HOST or HOST:PORT`)
    if (!this.sc.hosts.some(h => h.name === name)) c.error(t, `unknown host \`${name}\``, `declare it first: host ${name} ADDRESS`)
    let p: number | undefined
    if (port !== undefined) {
      if (!/^[0-9]+$/.test(port) || Number(port) > 65535) throw syntaxError(this.file, t.line, t.col + name.length + 1, `\`${port}\` is not a port number (0-65535)`)
      p = Number(port)
    }
    return { line: t.line, col: t.col, host: name, port: p }
  }

  private int (c: Cursor, t: Token, min: number, max: number, what: string): number {
    if (!/^[0-9]+$/.test(t.text) || Number(t.text) < min || Number(t.text) > max) {
      c.error(t, `${what} must be a whole number from ${min} to ${max}, not \`${t.text}\``)
    }
    return Number(t.text)
  }

  private seqValue (c: Cursor, what: string): SeqValue {
    const t = c.word(`a ${what} number`)
    const abs = t.text.startsWith('=')
    const digits = abs ? t.text.slice(1) : t.text
    if (!/^[0-9]+$/.test(digits) || Number(digits) > 0xffffffff) {
      c.error(t, `${what} must be a number from 0 to 4294967295 (relative) or =N (absolute), not \`${t.text}\``)
    }
    return { abs, value: Number(digits) }
  }

  private opNumber (c: Cursor, what: string): [CounterOp, number] {
    let t = c.word(what)
    let op: CounterOp = '='
    if (['=', '>=', '<=', '>'].includes(t.text)) { op = t.text as CounterOp; t = c.word(what) }
    return [op, this.int(c, t, 0, Number.MAX_SAFE_INTEGER, what)]
  }

  private options (c: Cursor, t: Token): TcpOptionSpec {
    const o: TcpOptionSpec = {}
    let col = t.col + 1
    for (const part of t.text.split(',')) {
      const words = part.trim().split(/\s+/)
      const at = col + (part.length - part.trimStart().length)
      const err = (msg: string): never => { throw syntaxError(this.file, t.line, at, msg, 'options: <mss N,wscale N,sackOK,ts VAL ECR,nop>') }
      const num = (s: string | undefined, max: number): number => {
        if (s === undefined || !/^[0-9]+$/.test(s) || Number(s) > max) err(`option \`${part.trim()}\` needs a number up to ${max}`)
        return Number(s)
      }
      switch (words[0]) {
        case 'mss': if (words.length !== 2) err('mss takes one number'); o.mss = num(words[1], 65535); break
        case 'wscale': if (words.length !== 2) err('wscale takes one number'); o.wscale = num(words[1], 14); break
        case 'sackOK': if (words.length !== 1) err('sackOK takes no value'); o.sackOk = true; break
        case 'nop': if (words.length !== 1) err('nop takes no value'); o.nop = (o.nop ?? 0) + 1; break
        case 'ts': case 'TS':
          if (words.length !== 3) err('ts takes two numbers: ts VAL ECR')
          o.ts = [num(words[1], 0xffffffff), num(words[2], 0xffffffff)]
          break
        default: err(`unknown TCP option \`${part.trim()}\``)
      }
      col += part.length + 1
    }
    return o
  }

  private payload (c: Cursor, k: Token): Buffer {
    const t = c.next(k.text === 'hex' ? 'quoted hex bytes' : 'a quoted string')
    if (t.kind !== 'string') c.error(t, `${k.text} takes a quoted string: ${k.text} "${k.text === 'hex' ? 'de ad be ef' : 'GET / HTTP/1.0\\r\\n'}"`)
    if (k.text === 'data') return Buffer.from(t.text, 'latin1')
    const clean = t.text.replace(/\s+/g, '')
    if (!/^([0-9a-fA-F]{2})*$/.test(clean)) c.error(t, 'hex bytes are pairs of hex digits, like "de ad be ef"')
    return Buffer.from(clean, 'hex')
  }

  private icmpTypeCode (c: Cursor, v6: boolean): [number, number] {
    const t = c.word('ICMP TYPE/CODE or a name')
    const named = ICMP_BY_NAME[v6 ? 6 : 4][t.text]
    if (named !== undefined) return [named[0], named[1]]
    const m = /^([0-9]+)\/([0-9]+)$/.exec(t.text)
    if (m === null || Number(m[1]) > 255 || Number(m[2]) > 255) {
      c.error(t, `\`${t.text}\` is not an ICMP type/code`, `write TYPE/CODE such as 3/13, or one of ${Object.keys(ICMP_BY_NAME[4]).join(', ')}`)
    }
    return [Number(m[1]), Number(m[2])]
  }

  private hostVersion (name: string): 4 | 6 {
    return this.sc.hosts.find(h => h.name === name)?.version ?? 4
  }

  /** The packet a host sends: `[S.] seq 0 ack 1 win 65535 <mss 1460> data "..."`, or `udp ...`, `icmp ...`. */
  private packet (c: Cursor, srcHost: string): PacketSpec {
    const p: PacketSpec = {
      proto: 'tcp', flags: 0, flagsText: '', seq: undefined, ack: undefined, win: undefined,
      payload: Buffer.alloc(0), options: undefined, ttl: undefined, icmpType: undefined, icmpCode: undefined,
      icmpId: undefined, icmpSeq: undefined, vlans: undefined, ipId: undefined, df: undefined,
    }
    const first = c.word('TCP flags (S, S., ., P., F., R, R.) or udp / icmp')
    if (first.text === 'udp' || first.text === 'icmp') {
      p.proto = first.text
      if (first.text === 'icmp') [p.icmpType, p.icmpCode] = this.icmpTypeCode(c, this.hostVersion(srcHost) === 6)
    } else {
      const bits = parseFlagLetters(first.text)
      if (bits === undefined) c.error(first, `\`${first.text}\` is not a set of TCP flags`, 'flags are tcpdump letters: S F R P . (ACK) U E W, e.g. S. or [R.]')
      p.flags = bits
      p.flagsText = flagLetters(bits)
    }
    let sawLen = false
    while (!c.done()) {
      const k = c.next('a packet field')
      if (k.kind === 'options') {
        if (p.proto !== 'tcp') c.error(k, 'TCP options on a non-TCP packet')
        p.options = this.options(c, k)
        continue
      }
      if (k.kind !== 'word') c.error(k, 'expected a packet field (seq, ack, win, len, data, hex, ttl)')
      const tcpOnly = (): void => { if (p.proto !== 'tcp') c.error(k, `\`${k.text}\` is a TCP field, and this is a ${p.proto} packet`) }
      const v4Only = (): void => { if (this.hostVersion(srcHost) !== 4) c.error(k, `\`${k.text}\` is an IPv4 header field, and ${srcHost} is IPv6`) }
      switch (k.text) {
        case 'seq':
          if (p.proto === 'icmp') { p.icmpSeq = this.int(c, c.word('an echo sequence number'), 0, 65535, 'icmp seq'); break }
          tcpOnly(); p.seq = this.seqValue(c, 'seq'); break
        case 'id':
          if (p.proto !== 'icmp') c.error(k, '`id` is the ICMP echo identifier; for the IPv4 identification write ipid N')
          p.icmpId = this.int(c, c.word('an echo identifier'), 0, 65535, 'icmp id'); break
        case 'ipid': v4Only(); p.ipId = this.int(c, c.word('an IPv4 identification'), 0, 65535, 'ipid'); break
        case 'df': v4Only(); p.df = this.yesNo(c, 'df'); break
        case 'vlan': p.vlans = this.vlanList(c); break
        case 'ack': tcpOnly(); p.ack = this.seqValue(c, 'ack'); break
        case 'win': tcpOnly(); p.win = this.int(c, c.word('a window'), 0, 65535, 'win'); break
        case 'len': {
          if (sawLen) c.error(k, 'the payload is given twice')
          sawLen = true
          p.payload = Buffer.alloc(this.int(c, c.word('a length'), 0, 65000, 'len'))
          break
        }
        case 'data': case 'hex':
          if (sawLen) c.error(k, 'the payload is given twice')
          sawLen = true
          p.payload = this.payload(c, k)
          break
        case 'ttl': case 'hlim': p.ttl = this.int(c, c.word(`a ${k.text} value`), 0, 255, k.text); break
        default: c.error(k, `unknown packet field \`${k.text}\``, 'fields: seq N|=N, ack N|=N, win N, len N, data "..", hex "..", ttl N, <options>, vlan ID[,INNER], ipid N, df yes|no; ICMP echo: id N, seq N')
      }
    }
    return p
  }

  /** `HOST gets nothing | any | [forged|forwarded] PATTERN`. */
  private gets (c: Cursor, head: Token, text: string): void {
    const base = { line: head.line, col: head.col, timeUs: this.timeUs, text }
    const t = c.peek()
    if (t === undefined) c.next('what the host gets: a packet pattern, `nothing` or `any`')
    if (t!.kind === 'word' && t!.text === 'nothing') {
      c.next('nothing'); this.end(c)
      this.step(c, head, { ...base, kind: 'expect-nothing', host: head.text })
      return
    }
    const p: PacketPattern = {
      any: false, proto: undefined, flags: undefined, flagsText: undefined, seq: undefined, ack: undefined, win: undefined,
      len: undefined, ttl: undefined, from: undefined, icmpType: undefined, icmpCode: undefined, forged: undefined, options: undefined,
      macSrc: undefined, macDst: undefined, ipId: undefined, df: undefined, vlans: undefined, icmpId: undefined, icmpSeq: undefined, quote: undefined,
    }
    let sawShape = false
    while (!c.done()) {
      const k = c.next('a packet field')
      if (k.kind === 'options') { p.options = this.options(c, k); continue }
      if (k.kind !== 'word') c.error(k, 'expected a packet field')
      switch (k.text) {
        case 'any': if (sawShape) c.error(k, '`any` must come first'); p.any = true; sawShape = true; break
        case 'forged': case 'forwarded':
          if (p.forged !== undefined) c.error(k, 'forged / forwarded given twice')
          p.forged = k.text === 'forged'
          break
        case 'udp': case 'tcp':
          if (sawShape) c.error(k, 'the packet kind is given twice')
          p.proto = k.text; sawShape = true
          break
        case 'icmp':
          if (sawShape) c.error(k, 'the packet kind is given twice')
          p.proto = 'icmp'; sawShape = true;
          [p.icmpType, p.icmpCode] = this.icmpTypeCode(c, this.hostVersion(head.text) === 6)
          break
        case 'seq':
          if (p.proto === 'icmp') { p.icmpSeq = this.int(c, c.word('an echo sequence number'), 0, 65535, 'icmp seq'); break }
          p.seq = this.seqValue(c, 'seq'); break
        case 'id':
          if (p.proto !== 'icmp') c.error(k, '`id` is the ICMP echo identifier (after icmp TYPE); for the IPv4 identification write ipid N')
          p.icmpId = this.int(c, c.word('an echo identifier'), 0, 65535, 'icmp id'); break
        case 'ack': p.ack = this.seqValue(c, 'ack'); break
        case 'win': p.win = this.int(c, c.word('a window'), 0, 65535, 'win'); break
        case 'len': p.len = this.int(c, c.word('a length'), 0, 65535, 'len'); break
        case 'ttl': case 'hlim': p.ttl = this.int(c, c.word(`a ${k.text} value`), 0, 255, k.text); break
        case 'from': p.from = this.fromRef(c, c.word('a host name or address')); break
        case 'mac-src': case 'mac-dst': {
          const v = c.word('a MAC address')
          if (!/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i.test(v.text) && !this.sc.hosts.some(h => h.name === v.text)) {
            c.error(v, `\`${v.text}\` is neither a MAC address nor a declared host`, 'write it like 02:00:00:00:00:01, or a host name for its MAC')
          }
          const mac = this.sc.hosts.find(h => h.name === v.text)?.mac ?? v.text.toLowerCase()
          if (k.text === 'mac-src') p.macSrc = mac; else p.macDst = mac
          break
        }
        case 'ipid': p.ipId = this.int(c, c.word('an IPv4 identification'), 0, 65535, 'ipid'); break
        case 'df': p.df = this.yesNo(c, 'df'); break
        case 'vlan': p.vlans = this.vlanList(c); break
        case 'quotes': p.quote = this.quote(c, k, p); break
        default: {
          const bits = parseFlagLetters(k.text)
          if (bits === undefined || sawShape) {
            c.error(k, `unknown packet field \`${k.text}\``,
              'HOST gets [forged|forwarded] FLAGS|udp|icmp T/C [seq N] [ack N] [win N] [len N] [ttl N] [from HOST|ADDR[:PORT]] ' +
              '[mac-src MAC] [mac-dst MAC] [ipid N] [df yes|no] [vlan ID[,INNER]|none] [id N] [quotes A:P > B:Q [tcp|udp|icmp] [seq N]], or nothing, or any')
          }
          p.flags = bits; p.flagsText = flagLetters(bits); p.proto = 'tcp'; sawShape = true
        }
      }
    }
    if (!sawShape && p.forged === undefined && p.from === undefined) {
      c.error(head, 'say what the host gets: FLAGS / udp / icmp T/C, or `any`, or `nothing`')
    }
    this.step(c, head, { ...base, kind: 'expect-packet', host: head.text, pattern: p })
  }

  /** `quotes A[:P] > B[:Q] [tcp|udp|icmp] [seq N]`: the packet inside an ICMP error; ends the pattern. */
  private quote (c: Cursor, k: Token, p: PacketPattern): QuotePattern {
    if (p.proto !== 'icmp') c.error(k, '`quotes` checks the packet inside an ICMP error: write it after icmp TYPE/CODE')
    const src = this.endpoint(c, c.word('the quoted packet\'s source HOST[:PORT]'))
    const arrow = c.word('`>`')
    if (arrow.text !== '>') c.error(arrow, 'quotes SRC[:PORT] > DST[:PORT]: expected `>`')
    const dst = this.endpoint(c, c.word('the quoted packet\'s destination HOST[:PORT]'))
    const q: QuotePattern = { src, dst, proto: undefined, seq: undefined }
    while (!c.done()) {
      const w = c.word('tcp, udp, icmp or seq N')
      if (w.text === 'tcp' || w.text === 'udp' || w.text === 'icmp') { if (q.proto !== undefined) c.error(w, 'the quoted protocol is given twice'); q.proto = w.text } else if (w.text === 'seq') q.seq = this.seqValue(c, 'seq')
      else c.error(w, `unknown quoted-packet field \`${w.text}\``, 'quotes A:P > B:Q [tcp|udp|icmp] [seq N] (it ends the line)')
    }
    return q
  }

  private fromRef (c: Cursor, t: Token): NonNullable<PacketPattern['from']> {
    let addr = t.text
    let port: number | undefined
    const br = /^\[([^\]]+)\](?::([0-9]+))?$/.exec(t.text)
    if (br !== null) { addr = br[1]; port = br[2] !== undefined ? Number(br[2]) : undefined } else if (t.text.split(':').length === 2) {
      const [a, p] = t.text.split(':')
      if (!/^[0-9]+$/.test(p) || Number(p) > 65535) c.error(t, `\`${p}\` is not a port number (0-65535)`)
      addr = a; port = Number(p)
    }
    if (this.sc.hosts.some(h => h.name === addr)) return { host: addr, addr: undefined, port }
    if (isIP(addr) === 0) c.error(t, `\`${addr}\` is neither a declared host nor an address`)
    return { host: undefined, addr, port }
  }

  private firewall (c: Cursor, head: Token, text: string): void {
    const base = { line: head.line, col: head.col, timeUs: this.timeUs, text }
    const v = c.word('drops or forwards')
    if (v.text === 'drops') {
      const r = c.peek()
      let reason: string | undefined
      if (r !== undefined) {
        const w = c.word('a drop reason')
        if (!/^[a-z][a-z0-9_:-]*$/.test(w.text)) c.error(w, `\`${w.text}\` is not a drop reason`, 'a counter name such as flow_tcp_non_syn_drop, or policy-deny')
        reason = w.text
      }
      this.end(c)
      this.step(c, head, { ...base, kind: 'expect-drop', reason })
      return
    }
    if (v.text === 'forwards') {
      this.end(c)
      this.step(c, head, { ...base, kind: 'expect-forward' })
      return
    }
    c.error(v, `firewall takes drops [REASON] or forwards, not \`${v.text}\``)
  }

  private session (c: Cursor, head: Token, text: string): void {
    let flow: FlowSel | undefined
    let id: number | undefined
    const a = c.peek()
    if (a !== undefined && a.kind === 'word' && a.text.startsWith('#')) {
      c.next('a session id')
      if (!/^#[1-9][0-9]*$/.test(a.text)) c.error(a, `\`${a.text}\` is not a session id`, 'write session #2 (the ladder names sessions by id)')
      id = Number(a.text.slice(1))
    } else if (a !== undefined && a.kind === 'word' && c.tokens[c.i + 1]?.text === '>') {
      c.next('a flow')
      const src = this.endpoint(c, a)
      c.next('>')
      const dst = this.endpoint(c, c.word('the flow\'s destination'))
      flow = { line: a.line, col: a.col, src, dst }
    }
    const checks: SessionCheck[] = []
    let gone = false
    while (!c.done()) {
      const f = c.word('a session field')
      if (f.text === 'gone') { gone = true; continue }
      const kind = SESSION_FIELDS[f.text]
      if (kind === undefined) {
        c.error(f, `unknown session field \`${f.text}\``, `fields: ${Object.keys(SESSION_FIELDS).join(', ')}, or gone`)
      }
      const v = c.word(`a value for ${f.text}`)
      if (kind === 'number' && !/^[0-9]+(\.[0-9]+)?$/.test(v.text)) c.error(v, `${f.text} is a number of seconds, not \`${v.text}\``)
      if (Array.isArray(kind) && !kind.includes(v.text)) c.error(v, `${f.text} is one of ${kind.join(', ')}; not \`${v.text}\``)
      checks.push({ line: f.line, col: f.col, field: f.text === 'application' ? 'app' : f.text, value: v.text })
    }
    if (gone && checks.some(k => k.field !== 'end' && k.field !== 'app')) c.error(head, 'a session that is gone has no fields to check but its end reason and app (from its traffic log)')
    if (!gone && checks.length === 0) c.error(head, 'say what to check: session [FLOW] state ACTIVE | tcp-state time-wait | app X | end REASON | gone ...')
    this.step(c, head, { kind: 'expect-session', line: head.line, col: head.col, timeUs: this.timeUs, text, flow, ...(id !== undefined ? { id } : {}), gone, checks })
  }
}

export type { Proto }
