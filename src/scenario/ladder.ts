/**
 * The ladder diagram: a pure function from what happened (a list of `LadderEvent`s the runner
 * records) to lines of text. Three lanes — client | firewall | server — with time in the left
 * margin and the packet / narration text on the right, so it fits an 80-column terminal:
 *
 * ```
 *      time  client     firewall     server
 *     0.000    │──────────┼──────────▶│  S seq 0 win 64240 ttl 64
 *              │          │           │  session 1: rule allow-web, allow
 *     0.001    │◀─────────┼───────────│  S. seq 0 ack 1 ttl 54
 *     0.002    │─────────▶✕           │  . seq 1 ack 1 ttl 64
 *              │          │           │  no session for a non-SYN segment: dropped (flow_tcp_non_syn_drop)
 *     0.002    │◀═════════◆           │  R. seq =0 ack 1 ttl 64  forged: reset-client
 * ```
 *
 * `─▶` a packet that crosses, `✕` where the firewall drops it, `◆═` a packet the firewall forged.
 */

export type Lane = 'client' | 'firewall' | 'server'

export type LadderEvent =
  | {
    kind: 'packet'
    timeUs: number
    /** Where the packet starts: a host's side, or the firewall for forged packets. */
    from: Lane
    /** Where it ends up: the other side, or the firewall when dropped. */
    to: Lane
    fate: 'forwarded' | 'dropped' | 'forged'
    /** One-line packet summary, e.g. `S. seq 0 ack 1 win 65160 ttl 54`. */
    label: string
    /** Host name, shown before the label when a side has more than one host. */
    host?: string
  }
  /** Narration of a firewall decision, a script note, a timer firing, an expectation result. */
  | { kind: 'note', timeUs: number, style: 'narration' | 'note' | 'timer' | 'fail' | 'pass', text: string }

export interface LadderOptions {
  /** Total width; the text column gets what is left after the lanes (default 80). */
  width?: number
  colour?: boolean
  /** Show host names in packet labels (the runner sets this when a side has more than one host). */
  hostNames?: boolean
  /** Lane titles (default client / firewall / server). */
  titles?: [string, string, string]
}

const TIME_W = 9
const AX_C = 13
const AX_F = 24
const AX_S = 35
const TEXT_COL = 38

const ANSI = { red: '\x1b[31m', magenta: '\x1b[35m', dim: '\x1b[2m', bold: '\x1b[1m', green: '\x1b[32m', cyan: '\x1b[36m', reset: '\x1b[0m' }

/** Seconds with `decimals` places (3 by default). */
export function formatTime (us: number, decimals = 3): string {
  return (us / 1e6).toFixed(decimals)
}

/** Decimals needed to show every time exactly: 3 (ms), 4 (0.1 ms) or 6 (µs). */
export function timeDecimals (events: readonly LadderEvent[]): number {
  if (events.every(e => e.timeUs % 1000 === 0)) return 3
  if (events.every(e => e.timeUs % 100 === 0)) return 4
  return 6
}

/** Word-wrap `text` to `width`, continuation lines indented by `indent`. */
export function wrap (text: string, width: number, indent = 2): string[] {
  const out: string[] = []
  let cur = ''
  // an option list `<mss 1460,sackOK>` is kept in one piece
  for (const word of text.match(/(?:[^\s<]*<[^>]*>\S*)|\S+/g) ?? []) {
    const pad = out.length === 0 ? 0 : indent
    if (cur === '') cur = word
    else if (pad + cur.length + 1 + word.length <= width) cur += ' ' + word
    else { out.push(cur); cur = word }
    while (pad + cur.length > width && width > indent + 8) {
      // a single word longer than the column: cut it
      out.push(cur.slice(0, width - (out.length === 0 ? 0 : indent))); cur = cur.slice(width - (out.length === 0 ? 0 : indent))
    }
  }
  if (cur !== '' || out.length === 0) out.push(cur)
  return out.map((l, i) => i === 0 ? l : ' '.repeat(indent) + l)
}

function lanes (): string[] {
  const row = new Array<string>(TEXT_COL).fill(' ')
  row[AX_C] = '│'; row[AX_F] = '│'; row[AX_S] = '│'
  return row
}

const AXIS: Record<Lane, number> = { client: AX_C, firewall: AX_F, server: AX_S }

/** Draw one packet's arrow into a lane row; returns the colour for it. */
function drawArrow (row: string[], ev: Extract<LadderEvent, { kind: 'packet' }>): void {
  const a = AXIS[ev.from]
  const b = AXIS[ev.to]
  const line = ev.fate === 'forged' ? '═' : '─'
  const lo = Math.min(a, b)
  const hi = Math.max(a, b)
  for (let i = lo + 1; i < hi; i++) row[i] = line
  if (ev.fate === 'forwarded' && lo < AX_F && hi > AX_F) row[AX_F] = '┼'
  if (ev.fate === 'dropped') {
    row[AX_F] = '✕'
    if (a < b) row[AX_F - 1] = '▶'; else row[AX_F + 1] = '◀'
    return
  }
  if (ev.fate === 'forged') row[AX_F] = '◆'
  if (b > a) row[b - 1] = '▶'; else row[b + 1] = '◀'
}

/**
 * Render the ladder. Pure: same events and options, same lines (no trailing newline).
 */
export function renderLadder (events: readonly LadderEvent[], opts: LadderOptions = {}): string[] {
  const width = Math.max(opts.width ?? 80, TEXT_COL + 20)
  const textW = width - TEXT_COL
  const colour = opts.colour === true
  const paint = (c: keyof typeof ANSI, s: string): string => colour ? ANSI[c] + s + ANSI.reset : s
  const out: string[] = []
  const [tc, tf, ts] = opts.titles ?? ['client', 'firewall', 'server']
  const head = new Array<string>(TEXT_COL).fill(' ')
  const put = (s: string, center: number): void => {
    const start = Math.max(0, center - Math.floor(s.length / 2))
    for (let i = 0; i < s.length && start + i < TEXT_COL; i++) head[start + i] = s[i]
  }
  'time'.split('').forEach((ch, i) => { head[TIME_W - 5 + i] = ch })
  put(tc, AX_C); put(tf, AX_F); put(ts, AX_S)
  out.push(paint('bold', head.join('').trimEnd()))

  let lastTime = -1
  const decimals = timeDecimals(events)
  const timeCol = (us: number): string => {
    if (us === lastTime) return ' '.repeat(TIME_W)
    lastTime = us
    return formatTime(us, decimals).padStart(TIME_W)
  }
  const emit = (timeUs: number | undefined, row: string[], text: string[], tint: keyof typeof ANSI | undefined, arrowTint: keyof typeof ANSI | undefined): void => {
    const t = timeUs === undefined ? ' '.repeat(TIME_W) : timeCol(timeUs)
    const laneStr = row.slice(TIME_W).join('')
    const first = (arrowTint !== undefined ? paint(arrowTint, laneStr) : laneStr) + (text[0] !== '' ? (tint !== undefined ? paint(tint, text[0]) : text[0]) : '')
    out.push((t + first).trimEnd())
    for (const more of text.slice(1)) {
      const cont = lanes().slice(TIME_W).join('')
      out.push((' '.repeat(TIME_W) + cont + (tint !== undefined ? paint(tint, more) : more)).trimEnd())
    }
  }

  // Script notes introduce what follows: print them after the clock gap that leads to the next event.
  const pending: Array<Extract<LadderEvent, { kind: 'note' }>> = []
  const flushNotes = (): void => {
    for (const n of pending) for (const l of wrap(`── ${n.text}`, width - 2, 3)) out.push('  ' + paint('cyan', l))
    pending.length = 0
  }
  for (const ev of events) {
    if (ev.kind === 'note' && ev.style === 'note') { pending.push(ev); continue }
    // a visible gap for long silences on the virtual clock
    if (lastTime >= 0 && ev.timeUs - lastTime >= 1_000_000) {
      const gap = lanes().map(ch => ch === '│' ? '┊' : ch)
      const secs = (ev.timeUs - lastTime) / 1e6
      emit(undefined, gap, [`… ${Number.isInteger(secs) ? secs : secs.toFixed(3)} s later`], 'dim', 'dim')
      lastTime = ev.timeUs - 1 // the gap is shown once; the event still prints its time
    }
    flushNotes()
    if (ev.kind === 'packet') {
      const row = lanes()
      drawArrow(row, ev)
      const label = (opts.hostNames === true && ev.host !== undefined ? `${ev.host}: ` : '') + ev.label
      const tint = ev.fate === 'dropped' ? 'red' : ev.fate === 'forged' ? 'magenta' : undefined
      emit(ev.timeUs, row, wrap(label, textW), tint, tint)
      continue
    }
    const row = lanes()
    if (ev.style === 'timer') row[AX_F] = '○'
    const prefix = ev.style === 'fail' ? '✗ ' : ev.style === 'pass' ? '✓ ' : ''
    const tint = ev.style === 'fail' ? 'red' : ev.style === 'pass' ? 'green' : 'dim'
    emit(ev.style === 'timer' ? ev.timeUs : undefined, row, wrap(prefix + ev.text, textW), tint, undefined)
  }
  flushNotes()
  return out
}
