/**
 * The contract of `rstlab explain`'s analysis: reset events, their verdicts and evidence, and named
 * patterns per connection. Everything is data (kinds and numeric / string fields); English is made
 * from it only at the edge (`render.ts`, the CLI).
 */

/** Who made a reset event: the host whose address it carries, something on the path, or unclear. */
export type Sender = 'endpoint' | 'middlebox' | 'unknown'
export type Confidence = 'high' | 'medium' | 'low'
/** Which end of the connection a packet claims to come from (its source address and port). */
export type Side = 'client' | 'server'

/**
 * One fact about a reset event. `weight` says which way it points and how hard: positive numbers
 * point at a middlebox, negative at the endpoint, 0 is context only.
 */
export interface Evidence {
  kind: EvidenceKind
  weight: number
  fields: Record<string, number | string | boolean>
}

export type EvidenceKind =
  /** TTL/hop limit equals that source's other packets (fields: ttl, baseline, packets, scope). */
  | 'ttl-match'
  /** TTL/hop limit differs from that source's other packets (ttl, baseline, hops, baselineHops, packets, scope). */
  | 'ttl-mismatch'
  /** No other packet from that source address anywhere in the capture (ttl, hops). */
  | 'no-baseline'
  /** No baseline, an untouched initial TTL, from a MAC that forwards other addresses' packets: made next to the capture point (ttl, mac). */
  | 'ttl-untouched-via-router'
  /** Window 0, no TCP options: a reset made without connection state, by a stack or a middlebox alike (window, sideUsedTimestamps). */
  | 'rst-bare'
  /** No TCP options, window not 0 (window, sideUsedTimestamps). */
  | 'rst-no-options'
  /** TCP options, but no timestamp to check against that side's clock (window, optionBytes, tsVal?). */
  | 'rst-options'
  /** The RST's timestamp continues that side's TCP timestamp clock: built with the connection's state (tsVal, previous, window). */
  | 'rst-ts-continues'
  /** The RST's timestamp does not continue that side's clock (tsVal, previous, window). */
  | 'rst-ts-breaks'
  /** The IPv4 ID continues the source's own counter (ipId, previous). */
  | 'ipid-continues'
  /** The IPv4 ID does not continue the source's counter (ipId, previous). */
  | 'ipid-breaks'
  /** DF differs from the source's other packets (df, baselineDf). */
  | 'df-differs'
  /** The sequence number is exactly the next one that source would send (seq). */
  | 'seq-exact'
  /** The sequence number is inside the receiver's window but not the next expected (seq, expected, offset). */
  | 'seq-in-window'
  /** The sequence number is outside the receiver's window: a stack would ignore it (seq, expected, offset). */
  | 'seq-out-of-window'
  /** RST|ACK with seq 0 and ack = SYN+1: the RFC 793 answer to a SYN for a closed port (ack). */
  | 'answers-syn'
  /** A bare RST whose seq is the acknowledgement number of the packet it answers (RFC 793's reply to an unacceptable ACK) (seq). */
  | 'answers-ack'
  /** The claimed source kept sending after its own RST (frame, seq, packets). */
  | 'raced-by-data'
  /** Several RSTs from the same source with different sequence numbers (count, distinct). */
  | 'multiple-rst-seqs'
  /** RSTs in both directions within moments, each claiming the other end (otherFrame, gapUs). */
  | 'rst-both-directions'
  /** Arrived sooner after the packet it answers than that host's round trip from here (delayUs, rttUs, trigger). */
  | 'faster-than-rtt'
  /** ICMP error from an address that is neither end of the connection (icmpSrc, type, code). */
  | 'icmp-from-path'
  /** ICMP error from the destination host itself (icmpSrc, type, code). */
  | 'icmp-from-destination'
  /** ICMP type/code (type, code, name). */
  | 'icmp-code'
  /** The quoted header's TTL against the TTL the packet had here (quotedTtl, sentTtl, hopsFromHere). */
  | 'icmp-quoted-ttl'
  /** ICMP's own TTL: how many hops its maker is from the capture point (ttl, hops). */
  | 'icmp-ttl'

/** A connection as seen in the capture: the client is the side that sent the first SYN (or the guess). */
export interface ConnectionId {
  /** 1-based, in order of first appearance. */
  index: number
  ipVersion: 4 | 6
  /** `tcp`, or `udp` for a UDP flow known from an ICMP error about one of its datagrams. */
  protocol: 'tcp' | 'udp'
  client: string
  clientPort: number
  server: string
  serverPort: number
}

export interface ResetEvent {
  /** 1-based frame number (as Wireshark numbers frames). */
  frame: number
  tsUs: number
  kind: 'tcp-rst' | 'icmp'
  connection: ConnectionId
  sender: Sender
  /** The end the packet claims to come from; null for an ICMP error from a third address. */
  side: Side | null
  confidence: Confidence
  evidence: Evidence[]
  /** TCP: flags, seq, ack, ttl; ICMP: type, code, source. */
  packet: Record<string, number | string | boolean>
}

export type PatternName =
  | 'reset-at-syn' | 'closed-port' | 'reset-both' | 'reset-after-data' | 'endpoint-abort' | 'injected-reset'
  | 'silent-drop' | 'drop-icmp' | 'idle-expiry' | 'challenge-ack-hang' | 'reset-midstream'

export interface PatternEvent {
  pattern: PatternName
  frames: number[]
  connection: ConnectionId
  /** Who the pattern points at (the verdict of its reset events, or `middlebox` for silent ones). */
  sender: Sender
  fields: Record<string, number | string | boolean>
}

/** Everything found about one connection, delivered when the connection is finished. */
export interface ConnectionReport {
  connection: ConnectionId
  firstUs: number
  lastUs: number
  packets: number
  /** Payload bytes client→server and server→client. */
  bytes: [number, number]
  resets: ResetEvent[]
  /** Reset events beyond the per-connection cap (counted, not kept). */
  resetsDropped: number
  patterns: PatternEvent[]
}

export interface ExplainSummary {
  frames: number
  /** Frames that were not TCP or ICMP errors about TCP (ARP, UDP, ...) or did not decode. */
  otherFrames: number
  undecodable: number
  connections: number
  resets: number
  bySender: Record<Sender, number>
  byConfidence: Record<Confidence, number>
  patterns: Partial<Record<PatternName, number>>
  /** Connections finished early because the table was full. */
  evicted: number
  /** ICMP errors whose quoted packet matched no TCP connection. */
  icmpUnmatched: number
  /** Reset events beyond the per-connection limit: counted here, not reported one by one. */
  resetsNotKept: number
  /** UDP flows reported because an ICMP error came back about one of their datagrams (not in `connections`). */
  udpFlows: number
}
