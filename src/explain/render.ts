/**
 * English for `rstlab explain`: evidence sentences, pattern explanations with the PAN-OS action or
 * setting that would produce them and the lesson that shows it, per-connection narratives, the
 * summary, and the JSON lines of the `--json` contract. The analysis (`analyzer.ts`) never imports
 * this file: it produces data only.
 */
import type { WireReport } from './sides.js'
import type { ConnectionId, ConnectionReport, Evidence, ExplainSummary, PatternEvent, PatternName, ResetEvent } from './types.js'

/** Frame times are given relative to the capture's first frame (Wireshark's default column). */
export function relSeconds (tsUs: number, firstUs: number): number {
  return Math.round(tsUs - firstUs) / 1e6
}

export function connectionText (c: ConnectionId): string {
  const a = c.ipVersion === 6 ? `[${c.client}]` : c.client
  const b = c.ipVersion === 6 ? `[${c.server}]` : c.server
  return `${a}:${c.clientPort} -> ${b}:${c.serverPort}${c.protocol === 'udp' ? ' (udp)' : ''}`
}

const f = (e: Evidence, k: string): string => String(e.fields[k])
const scope = (e: Evidence): string => e.fields.scope === 'host' ? 'in its other connections' : 'in this connection'

/** One sentence per piece of evidence. */
export function evidenceText (e: Evidence): string {
  switch (e.kind) {
    case 'ttl-match':
      return `TTL ${f(e, 'ttl')} equals that source's other ${f(e, 'packets')} packet(s) ${scope(e)} (${f(e, 'hops')} hop(s) from the capture point)`
    case 'ttl-mismatch':
      return `TTL ${f(e, 'ttl')} (${f(e, 'hops')} hop(s) from here, initial ${f(e, 'initial')}) but that source's other ${f(e, 'packets')} packet(s) ${scope(e)} arrive with ${f(e, 'baseline')} (${f(e, 'baselineHops')} hop(s), initial ${f(e, 'baselineInitial')})`
    case 'no-baseline':
      return `no other packet from that address in the capture to compare TTL ${f(e, 'ttl')} with (${f(e, 'hops')} hop(s) from here if it started at ${f(e, 'initial')})`
    case 'ttl-untouched-via-router':
      return `TTL ${f(e, 'ttl')} is an untouched initial TTL, yet it came from MAC ${f(e, 'mac')}, which forwards other addresses' packets (they arrive with lowered TTLs): a packet from behind that router would have lost a hop, so this one was made next to the capture point`
    case 'rst-bare':
      return `window 0 and no TCP options${e.fields.sideUsedTimestamps === true ? ' (that side put timestamps on its other segments)' : ''}: how a stack answering an unknown segment and a firewall alike build a reset (decides nothing)`
    case 'rst-no-options':
      return `no TCP options, window ${f(e, 'window')}${e.fields.sideUsedTimestamps === true ? ' (that side put timestamps on its other segments)' : ''}`
    case 'rst-options':
      return `carries ${f(e, 'optionBytes')} bytes of TCP options, window ${f(e, 'window')}, with nothing from that side to compare them with`
    case 'rst-ts-continues':
      return `its TCP timestamp ${f(e, 'tsVal')} continues that side's clock (last ${f(e, 'previous')}): built with the connection's state, as a stack aborting its own connection does`
    case 'rst-ts-breaks':
      return `its TCP timestamp ${f(e, 'tsVal')} does not continue that side's clock (last ${f(e, 'previous')})`
    case 'ipid-continues':
      return `IP ID ${f(e, 'ipId')} continues that host's counter (previous ${f(e, 'previous')})`
    case 'ipid-breaks':
      return `IP ID ${f(e, 'ipId')} does not continue that host's counter (previous ${f(e, 'previous')})`
    case 'df-differs':
      return `DF ${e.fields.df === true ? 'set' : 'clear'}, unlike that host's other packets`
    case 'seq-exact':
      return `sequence number ${f(e, 'seq')} is exactly the next one that side would send`
    case 'seq-in-window':
      return `sequence number ${f(e, 'seq')} is ${f(e, 'offset')} away from the next one that side would send (${f(e, 'expected')})`
    case 'seq-out-of-window':
      return `sequence number ${f(e, 'seq')} is outside the receiver's window (${f(e, 'offset')} from ${f(e, 'expected')}): a stack would ignore it`
    case 'answers-syn':
      if (e.fields.synSeen === false) return `RST|ACK with seq 0 (ack ${f(e, 'ack')}), the first packet of this connection here: the answer to a SYN this capture does not hold (a firewall that resets at the SYN does not forward it)`
      return `RST|ACK acknowledging the SYN (ack ${f(e, 'ack')}): the standard answer for a closed port, and what a firewall's reset-client forges`
    case 'answers-ack':
      return `a bare RST with seq ${f(e, 'seq')}, the acknowledgement number of the packet it answers: how a stack refuses an ACK it cannot accept (RFC 793)`
    case 'raced-by-data':
      return `the claimed sender kept sending afterwards (frame ${f(e, 'frame')}, ${f(e, 'packets')} packet(s)): it did not send this RST`
    case 'multiple-rst-seqs':
      return `${f(e, 'count')} RSTs from that side within a second with ${f(e, 'distinct')} different sequence numbers (an injector covering the window)`
    case 'rst-both-directions':
      return `a RST went the other way ${f(e, 'gapUs')} µs apart (frame ${f(e, 'otherFrame')}): endpoints never both reset at once`
    case 'faster-than-rtt':
      return `arrived ${f(e, 'delayUs')} µs after the packet it answers (frame ${f(e, 'trigger')}), but that host's round trip from here is ${f(e, 'rttUs')} µs`
    case 'icmp-from-path':
      return `ICMP error from ${f(e, 'icmpSrc')}, which is neither end of the connection`
    case 'icmp-from-destination':
      return `ICMP error from the destination host itself (${f(e, 'icmpSrc')})`
    case 'icmp-code':
      return `ICMP type ${f(e, 'type')} code ${f(e, 'code')} (${f(e, 'name')})`
    case 'icmp-quoted-ttl':
      return `the quoted header has TTL ${f(e, 'quotedTtl')}; the packet had ${f(e, 'sentTtl')} here: its maker is ${f(e, 'hopsFromHere')} hop(s) beyond the capture point`
    case 'icmp-ttl':
      return `the ICMP arrived with TTL ${f(e, 'ttl')} (${f(e, 'hops')} hop(s) from here)`
  }
}

interface PatternInfo { what: string, panos: string, lesson: string | null }

/** What each pattern means, the PAN-OS cause it matches, and the lesson that reproduces it. */
export const PATTERN_INFO: Record<PatternName, PatternInfo> = {
  'reset-at-syn': {
    what: 'the SYN was answered by a RST that the server did not send',
    panos: 'a security rule with action reset-client (or reset-both) matching at session setup',
    lesson: '01-actions-at-syn',
  },
  'closed-port': {
    what: 'the server itself refused the SYN: nothing listens on that port',
    panos: 'not a firewall action; the service is down or on another port',
    lesson: '01-actions-at-syn',
  },
  'reset-both': {
    what: 'RSTs went to both ends at the same moment, each claiming to come from the other',
    panos: 'action reset-both (a security rule, App-ID deny, a threat action, or reset-on-age-out both)',
    lesson: '03b-idle-timeout-reset-both',
  },
  'reset-after-data': {
    what: 'the handshake succeeded and the connection was reset after the first payload',
    panos: 'App-ID identified the application and a rule denies it with a reset, or a threat signature with action reset-client/reset-server/reset-both',
    lesson: '09-app-blocked-after-handshake',
  },
  'endpoint-abort': {
    what: 'an endpoint aborted the connection itself (an application closing with SO_LINGER 0, or a crash)',
    panos: 'not a firewall action',
    lesson: '06-fin-vs-rst',
  },
  'injected-reset': {
    what: 'a RST was injected while the host it claims to come from kept talking',
    panos: 'a forged reset from the path (reset-client/reset-server/reset-both or an injector)',
    lesson: '02-who-sent-this-rst',
  },
  'reset-midstream': {
    what: 'an established connection was reset before any data, by something other than the endpoint',
    panos: 'a rule or App-ID verdict with a reset action applied right after the handshake',
    lesson: '02-who-sent-this-rst',
  },
  'silent-drop': {
    what: 'the SYN was retransmitted and never answered: something dropped it silently',
    panos: 'a security rule with action drop or deny (no ICMP), or a zone protection drop',
    lesson: '01-actions-at-syn',
  },
  'drop-icmp': {
    what: 'the connection was refused with an ICMP destination-unreachable',
    panos: "action drop with 'Send ICMP Unreachable', or deny for a non-TCP application",
    lesson: '08-udp-blocked',
  },
  'idle-expiry': {
    what: 'after a long silence the next data went unanswered (retransmitted) or was answered only by a reset: the path forgot the connection',
    panos: 'the session aged out (TCP timeout, default 3600 s) and the firewall drops non-SYN packets without a session (tcp-reject-non-syn)',
    lesson: '03-idle-timeout',
  },
  'challenge-ack-hang': {
    what: 'a SYN was answered by a bare ACK for an older session (an RFC 5961 challenge ACK); the client\'s RST in reply did not clear it',
    panos: 'allow-challenge-ack no (KB 336698): the firewall drops the challenge ACK or the client\'s RST; set allow-challenge-ack yes',
    lesson: '04-challenge-ack-hang',
  },
}

export function patternExplanation (p: PatternEvent): string {
  const info = PATTERN_INFO[p.pattern]
  let s = info.what
  if (p.fields.udp === true) {
    s = p.pattern === 'closed-port'
      ? 'the destination itself answered the UDP datagram with ICMP port unreachable: nothing listens on that port'
      : 'the UDP datagram was refused with an ICMP destination-unreachable'
    if (p.pattern === 'closed-port') return `${s}. PAN-OS: not a firewall action; the service is down or on another port.`
  }
  if (p.pattern === 'idle-expiry') s += ` (silent for ${(Number(p.fields.idleUs) / 1e6).toFixed(1)} s, ${String(p.fields.retransmissions)} retransmission(s))`
  if (p.pattern === 'challenge-ack-hang') s += ` (${String(p.fields.syns)} SYN(s), ${String(p.fields.challengeAcks)} challenge ACK(s)${p.fields.recovered === true ? ', recovered' : ', never answered with a SYN-ACK'})`
  if (p.pattern === 'reset-after-data') s += ` (${String(p.fields.bytesBefore)} bytes of payload before the reset)`
  s += `. PAN-OS: ${info.panos}.`
  if (info.lesson !== null) s += ` See \`rstlab lessons run ${info.lesson.slice(0, info.lesson.indexOf('-'))}\`.`
  return s
}

/** The `reset` object of the JSON contract. */
export function resetObject (e: ResetEvent, firstUs: number): Record<string, unknown> {
  return {
    type: 'reset', frame: e.frame, time: relSeconds(e.tsUs, firstUs), kind: e.kind, connection: e.connection,
    sender: e.sender, side: e.side, confidence: e.confidence, evidence: e.evidence.map(evidenceText),
    facts: e.evidence.map(x => ({ kind: x.kind, weight: x.weight, ...x.fields })), packet: e.packet,
  }
}

export function resetJson (e: ResetEvent, firstUs: number): string {
  return JSON.stringify(resetObject(e, firstUs))
}

/** The `pattern` object of the JSON contract. */
export function patternObject (p: PatternEvent): Record<string, unknown> {
  return { type: 'pattern', pattern: p.pattern, frames: p.frames, connection: p.connection, sender: p.sender, explanation: patternExplanation(p), fields: p.fields }
}

export function patternJson (p: PatternEvent): string {
  return JSON.stringify(patternObject(p))
}

/**
 * One side's wire (`rstlab replay --explain --summary json`): the contract's objects in order — its
 * resets and patterns connection by connection — and its summary.
 */
export function wireJson (w: Pick<WireReport, 'reports' | 'summary' | 'firstUs'>): { resets: Array<Record<string, unknown>>, patterns: Array<Record<string, unknown>>, summary: Record<string, unknown> } {
  return {
    resets: w.reports.flatMap(r => r.resets.map(e => resetObject(e, w.firstUs))),
    patterns: w.reports.flatMap(r => r.patterns.map(patternObject)),
    summary: { type: 'summary', ...w.summary },
  }
}

/** One side's wire as text: a block per connection with a reset or a pattern, then its summary. */
export function wireNarrative (w: WireReport): string[] {
  const out: string[] = []
  for (const r of w.reports) out.push(...connectionNarrative(r, w.firstUs))
  out.push(...summaryText(w.summary))
  return out
}

export function summaryJson (s: ExplainSummary): string {
  return JSON.stringify({ type: 'summary', ...s })
}

function senderText (e: ResetEvent): string {
  const claimed = e.side === null ? 'a third address' : `the ${e.side}`
  if (e.sender === 'endpoint') return `sent by ${claimed} itself`
  if (e.sender === 'middlebox') return e.side === null ? 'sent by a device on the path' : `forged on the path (claims to be ${claimed})`
  return `sender unclear (claims to be ${claimed})`
}

/** The text narrative of one connection. */
export function connectionNarrative (r: ConnectionReport, firstUs: number): string[] {
  const out: string[] = []
  const c = r.connection
  if (c.protocol === 'udp') out.push(`UDP flow #${c.index} ${connectionText(c)}: ${r.packets} ICMP error(s) about its datagrams`)
  else out.push(`connection #${c.index} ${connectionText(c)}: ${r.packets} packets, ${r.bytes[0]} bytes client->server, ${r.bytes[1]} server->client`)
  for (const e of r.resets) {
    const what = e.kind === 'icmp' ? `ICMP ${String(e.packet.icmpType)}/${String(e.packet.icmpCode)} from ${String(e.packet.src)}` : `RST from the ${e.side ?? '?'} side`
    out.push(`  frame ${e.frame} (${relSeconds(e.tsUs, firstUs).toFixed(6)} s) ${what}: ${senderText(e)} [${e.sender}, ${e.confidence} confidence]`)
    for (const x of e.evidence) out.push(`    - ${evidenceText(x)}`)
  }
  if (r.resetsDropped > 0) out.push(`  (${r.resetsDropped} more reset event(s) not kept)`)
  for (const p of r.patterns) out.push(`  => ${p.pattern} (frames ${p.frames.join(', ')}): ${patternExplanation(p)}`)
  return out
}

export function summaryText (s: ExplainSummary): string[] {
  const pats = Object.entries(s.patterns).map(([k, v]) => `${k} ${String(v)}`).join(', ')
  return [
    `summary: ${s.frames} frames, ${s.connections} TCP connections, ` +
      `${s.udpFlows > 0 ? `${s.udpFlows} UDP flow(s) with an ICMP error, ` : ''}${s.resets} reset events ` +
      `(endpoint ${s.bySender.endpoint}, middlebox ${s.bySender.middlebox}, unknown ${s.bySender.unknown}; ` +
      `confidence high ${s.byConfidence.high}, medium ${s.byConfidence.medium}, low ${s.byConfidence.low})`,
    `patterns: ${pats === '' ? 'none' : pats}`,
    ...(s.evicted > 0 ? [`note: ${s.evicted} connection(s) finished early because the connection table was full`] : []),
    ...(s.resetsNotKept > 0 ? [`note: ${s.resetsNotKept} more reset event(s) counted but not listed (each connection lists its first 16)`] : []),
  ]
}

/** The pcapng comment for a reset frame (`--out`). */
export function resetComment (e: ResetEvent): string {
  return `rstlab explain: ${e.kind === 'icmp' ? 'ICMP error' : 'RST'} ${senderText(e)} [${e.sender}, ${e.confidence}]: ${e.evidence.filter(x => x.weight !== 0).map(evidenceText).join('; ')}`
}

export function patternComment (p: PatternEvent): string {
  return `rstlab explain: pattern ${p.pattern}: ${PATTERN_INFO[p.pattern].what}`
}
