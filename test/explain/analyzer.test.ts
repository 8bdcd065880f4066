/**
 * The analysis on crafted captures whose forgers are known by construction: every reset event's
 * verdict must name the real sender, and each conversation's pattern must be named.
 */
import t from 'tap'
import { Explainer, type ConnectionReport, type PatternName, type ResetEvent } from '../../src/explain/index.js'
import { Capture, Conversation } from './crafted.js'
import { onPort, scorePart } from './score.js'

const CLIENT = { addr: '198.18.0.1', ttl: 64 }
const SERVER = { addr: '198.18.1.2', ttl: 54 } // 10 hops away
const FW4 = '198.18.0.254'

function analyse (cap: Capture, opts: { maxConnections?: number } = {}): { reports: ConnectionReport[], resets: Map<number, ResetEvent>, summary: ReturnType<Explainer['finish']> } {
  const reports: ConnectionReport[] = []
  const ex = new Explainer({ onReport: r => reports.push(r), maxConnections: opts.maxConnections })
  cap.frames.forEach((f, i) => { ex.push(f.data, 1, f.tsUs, i + 1) })
  const summary = ex.finish()
  // The capture reader's path (`pushView`: frames read where they lie in one large buffer, between
  // other bytes) must give exactly the same reports as frames pushed one Buffer each.
  const viewed: ConnectionReport[] = []
  const ev = new Explainer({ onReport: r => viewed.push(r), maxConnections: opts.maxConnections })
  const chunk = Buffer.alloc(cap.frames.reduce((n, f) => n + f.data.length + 7, 7), 0xa5)
  let off = 7
  cap.frames.forEach((f, i) => {
    f.data.copy(chunk, off)
    ev.pushView({ buf: chunk, off, caplen: f.data.length, linkType: 1, tsUs: f.tsUs, n: i + 1 })
    off += f.data.length + 7
  })
  const viewedSummary = ev.finish()
  if (JSON.stringify([viewed, viewedSummary]) !== JSON.stringify([reports, summary])) throw new Error('pushView and push disagree on this capture')
  const resets = new Map<number, ResetEvent>()
  for (const r of reports) for (const e of r.resets) resets.set(e.frame, e)
  return { reports, resets, summary }
}

function patternsOf (reports: ConnectionReport[], port: number): PatternName[] {
  return reports.filter(r => r.connection.serverPort === port).flatMap(r => r.patterns.map(p => p.pattern))
}

/** A normal connection to the server first: the server's TTL baseline for later connections. */
function baseline (cap: Capture, cport: number, rttUs = 20_000): void {
  const b = new Conversation(cap, { ...CLIENT, port: cport, isn: 1000 }, { ...SERVER, port: 22, isn: 5000 })
  b.handshake(rttUs); cap.wait(1000); b.data(true, 100); cap.wait(rttUs); b.data(false, 300); cap.wait(100); b.ack()
  cap.wait(1000); b.fin(true); cap.wait(rttUs); b.fin(false); cap.wait(100); b.ack()
}

t.test('every crafted reset event is attributed to its real sender, and every pattern is named', async t => {
  const cap = new Capture()
  baseline(cap, 40000)

  // reset-client at the SYN: the firewall next to the client answers at once with its own TTL.
  cap.wait(1_000_000)
  const a = new Conversation(cap, { ...CLIENT, port: 40001, isn: 7000 }, { ...SERVER, port: 21, isn: 0 })
  a.syn(); cap.wait(300); a.rstAnswersSyn('middlebox', 64)

  // A closed port: the server itself answers, from 10 hops, after a full round trip.
  cap.wait(1_000_000)
  const b = new Conversation(cap, { ...CLIENT, port: 40002, isn: 8000 }, { ...SERVER, port: 23, isn: 0 })
  b.syn(); cap.wait(20_000); b.rstAnswersSyn('endpoint', 54)

  // App-ID after the first payload: the firewall resets the client, claiming the server.
  cap.wait(1_000_000)
  const c = new Conversation(cap, { ...CLIENT, port: 40003, isn: 9000 }, { ...SERVER, port: 443, isn: 11000 })
  c.handshake(20_000); cap.wait(500); c.data(true, 517); cap.wait(400); c.forgedRst(false, { ttl: 64 })

  // An injector that copies the server's TTL, but the server keeps talking afterwards.
  cap.wait(1_000_000)
  const d = new Conversation(cap, { ...CLIENT, port: 40004, isn: 12000 }, { ...SERVER, port: 8080, isn: 13000 })
  d.handshake(20_000); cap.wait(500); d.data(true, 200); cap.wait(200); d.forgedRst(false, { ttl: 54 }); cap.wait(19_800); d.data(false, 1000); cap.wait(100); d.ack()

  // The application aborts (SO_LINGER 0): the server's own RST, its TTL, its IP ID, its next sequence number.
  cap.wait(1_000_000)
  const e = new Conversation(cap, { ...CLIENT, port: 40005, isn: 14000 }, { ...SERVER, port: 9000, isn: 15000 })
  e.handshake(20_000); cap.wait(500); e.data(true, 50); cap.wait(20_000); e.data(false, 70); cap.wait(100); e.ack(); cap.wait(5000); e.endpointRst(false)

  // Drop: SYN retransmissions that nobody answers.
  cap.wait(1_000_000)
  const f = new Conversation(cap, { ...CLIENT, port: 40006, isn: 16000 }, { ...SERVER, port: 25, isn: 0 })
  f.syn(); cap.wait(1_000_000); f.syn(); cap.wait(2_000_000); f.syn()

  // Drop with ICMP admin-prohibited from the firewall's own address, one hop away.
  cap.wait(1_000_000)
  const g = new Conversation(cap, { ...CLIENT, port: 40007, isn: 17000 }, { ...SERVER, port: 3389, isn: 0 })
  g.syn(); cap.wait(200); g.icmpUnreachable(FW4, 13, 'middlebox')

  // Idle expiry: 30 s of silence, then the client's data is retransmitted and never acknowledged.
  cap.wait(1_000_000)
  const h = new Conversation(cap, { ...CLIENT, port: 40008, isn: 18000 }, { ...SERVER, port: 5432, isn: 19000 })
  h.handshake(20_000); cap.wait(500); h.data(true, 80); cap.wait(20_000); h.data(false, 120); cap.wait(100); h.ack()
  cap.wait(30_000_000); h.data(true, 60); cap.wait(200_000); h.retransmit(true, 60); cap.wait(400_000); h.retransmit(true, 60)

  // The challenge-ACK hang: the server still holds an old session on these ports.
  cap.wait(1_000_000)
  const k = new Conversation(cap, { ...CLIENT, port: 40009, isn: 20000 }, { ...SERVER, port: 179, isn: 0 })
  k.syn(); cap.wait(20_000); k.challengeAck(777777, 888888); cap.wait(50); k.clientRstTo(777777)
  cap.wait(1_000_000); k.syn(); cap.wait(20_000); k.challengeAck(777777, 888888); cap.wait(50); k.clientRstTo(777777)

  // reset-both seen from the middle: two forged RSTs, one each way, in the same instant.
  cap.wait(1_000_000)
  const m = new Conversation(cap, { ...CLIENT, port: 40010, isn: 21000 }, { ...SERVER, port: 1433, isn: 22000 })
  m.handshake(20_000); cap.wait(500); m.data(true, 300); cap.wait(300); m.forgedRst(false, { ttl: 64 }); m.forgedRst(true, { ttl: 64 })

  // Several RSTs with different sequence numbers, all claiming the server (an injector covering the window).
  cap.wait(1_000_000)
  const n = new Conversation(cap, { ...CLIENT, port: 40011, isn: 23000 }, { ...SERVER, port: 110, isn: 24000 })
  n.handshake(20_000); cap.wait(500); n.data(true, 40); cap.wait(200)
  n.forgedRst(false, { ttl: 54, seq: 24001 + 1460 }); n.forgedRst(false, { ttl: 54, seq: 24001 + 2920 }); n.forgedRst(false, { ttl: 54, seq: 24001 + 4380 })

  // Timing alone: a forger that copies the TTL, answering a SYN 20x faster than the server can.
  cap.wait(1_000_000)
  const p = new Conversation(cap, { ...CLIENT, port: 40012, isn: 25000 }, { ...SERVER, port: 143, isn: 0 })
  p.syn(); cap.wait(500); p.rstAnswersSyn('middlebox', 54)

  const { reports, resets, summary } = analyse(cap)
  const truth = cap.truth()
  t.equal(resets.size, truth.size, 'every reset event reported once')
  for (const [frame, sender] of truth) {
    const ev = resets.get(frame)
    t.equal(ev?.sender, sender, `frame ${frame}: ${sender} (${ev?.evidence.map(x => x.kind).join(', ') ?? 'not reported'})`)
  }
  const conf = (fr: number): string | undefined => resets.get(fr)?.confidence
  const byNote = (port: number): ResetEvent[] => [...resets.values()].filter(e => e.connection.serverPort === port)
  t.equal(conf(byNote(21)[0]!.frame), 'high', 'TTL 64 against a server seen at 54, and faster than its round trip: high')
  t.ok(byNote(21)[0]!.evidence.some(x => x.kind === 'faster-than-rtt'), 'reset-client at SYN is faster than the round trip')
  t.equal(conf(byNote(8080)[0]!.frame), 'high', 'the server talking after its "own" RST is decisive')
  t.equal(conf(byNote(9000)[0]!.frame), 'high', 'TTL, IP ID and sequence number all fit the server: endpoint, high')
  t.equal(byNote(3389)[0]!.side, null, 'ICMP from the firewall address claims neither end')
  t.equal(conf(byNote(3389)[0]!.frame), 'high')
  t.ok(byNote(143)[0]!.evidence.some(x => x.kind === 'faster-than-rtt'), 'timing evidence on the TTL-copying forger')
  for (const e of resets.values()) {
    if (e.confidence === 'high') t.equal(e.sender, truth.get(e.frame), `frame ${e.frame}: no wrong high-confidence verdict`)
  }

  t.same(patternsOf(reports, 21), ['reset-at-syn'])
  t.same(patternsOf(reports, 23), ['closed-port'])
  t.same(patternsOf(reports, 443), ['reset-after-data'])
  t.same(patternsOf(reports, 8080), ['injected-reset'])
  t.same(patternsOf(reports, 9000), ['endpoint-abort'])
  t.same(patternsOf(reports, 25), ['silent-drop'])
  t.same(patternsOf(reports, 3389), ['drop-icmp'])
  t.same(patternsOf(reports, 5432), ['idle-expiry'])
  t.same(patternsOf(reports, 179), ['challenge-ack-hang'])
  t.same(patternsOf(reports, 1433), ['reset-both'])
  t.ok(patternsOf(reports, 110).includes('reset-after-data'), 'multiple RSTs after data')
  t.ok(byNote(110).every(e => e.evidence.some(x => x.kind === 'multiple-rst-seqs')), 'several sequence numbers noticed')
  t.same(patternsOf(reports, 143), ['reset-at-syn'])
  t.same(patternsOf(reports, 22), [], 'the normal connection names nothing')
  scorePart(t, 'crafted', truth, reports, ([[21, 'reset-at-syn'], [23, 'closed-port'], [443, 'reset-after-data'], [8080, 'injected-reset'],
    [9000, 'endpoint-abort'], [25, 'silent-drop'], [3389, 'drop-icmp'], [5432, 'idle-expiry'], [179, 'challenge-ack-hang'],
    [1433, 'reset-both'], [110, 'reset-after-data'], [143, 'reset-at-syn']] as const).map(([p, n]) => onPort(p, n)))
  t.equal(summary.resets, truth.size)
  t.equal(summary.connections, 13)
})

t.test('IPv6: hop limits and ICMPv6 admin-prohibited', async t => {
  const cap = new Capture()
  const C6 = { addr: '2001:db8::1', ttl: 64 }
  const S6 = { addr: '2001:db8:1::2', ttl: 54 }
  const b = new Conversation(cap, { ...C6, port: 50000, isn: 1 }, { ...S6, port: 22, isn: 2 })
  b.handshake(10_000); b.data(true, 10); cap.wait(10_000); b.data(false, 10); b.ack()
  cap.wait(1_000_000)
  const a = new Conversation(cap, { ...C6, port: 50001, isn: 3 }, { ...S6, port: 21, isn: 0 })
  a.syn(); cap.wait(200); a.rstAnswersSyn('middlebox', 64)
  cap.wait(1_000_000)
  const g = new Conversation(cap, { ...C6, port: 50002, isn: 4 }, { ...S6, port: 3389, isn: 0 })
  g.syn(); cap.wait(200); g.icmpUnreachable('2001:db8::fe', 1, 'middlebox')
  const { reports, resets } = analyse(cap)
  for (const [frame, sender] of cap.truth()) t.equal(resets.get(frame)?.sender, sender, `frame ${frame}`)
  t.same(patternsOf(reports, 21), ['reset-at-syn'])
  t.same(patternsOf(reports, 3389), ['drop-icmp'])
  const icmp = [...resets.values()].find(e => e.kind === 'icmp')!
  t.equal(icmp.evidence.find(x => x.kind === 'icmp-code')?.fields.name, 'admin-prohibited')
  t.equal(icmp.evidence.find(x => x.kind === 'icmp-quoted-ttl')?.fields.hopsFromHere, 1, 'quoted hop limit: one hop beyond the capture point')
})

t.test('memory is bounded: a full table finishes the oldest connection early and says so', async t => {
  const cap = new Capture()
  for (let i = 0; i < 50; i++) {
    const c = new Conversation(cap, { ...CLIENT, port: 30000 + i, isn: i * 10 }, { ...SERVER, port: 80, isn: 99 })
    c.syn(); cap.wait(100); c.rstAnswersSyn('endpoint', 54)
  }
  const { reports, summary } = analyse(cap, { maxConnections: 8 })
  t.equal(summary.connections, 50)
  t.equal(summary.evicted, 42)
  t.equal(reports.length, 50, 'every connection still reported')
  t.equal(summary.resets, 50)
})

t.test('a RST storm in one connection: the first 16 are judged, the rest counted and said so', async t => {
  const cap = new Capture()
  const a = new Conversation(cap, { ...CLIENT, port: 42000, isn: 100 }, { ...SERVER, port: 80, isn: 200 })
  a.handshake(20_000); a.data(true, 10); cap.wait(20_000); a.data(false, 10)
  for (let i = 0; i < 20; i++) { cap.wait(100); a.forgedRst(false, { ttl: 64, seq: 300 + i * 1000 }) }
  const reports: ConnectionReport[] = []
  const ex = new Explainer({ onReport: r => reports.push(r) })
  cap.frames.forEach((f, i) => { ex.push(f.data, 1, f.tsUs, i + 1) })
  const summary = ex.finish()
  t.equal(reports[0]!.resets.length, 16)
  t.equal(reports[0]!.resetsDropped, 4)
  t.equal(summary.resets, 16)
  t.equal(summary.resetsNotKept, 4, 'the summary counts the ones not listed')
  const { summaryText, connectionNarrative } = await import('../../src/explain/render.js')
  t.match(summaryText(summary).join('\n'), /note: 4 more reset event\(s\) counted but not listed/)
  t.match(connectionNarrative(reports[0]!, ex.firstUs).join('\n'), /\(4 more reset event\(s\) not kept\)/)
})

t.test('a new SYN with a new ISN on the same ports after a reset starts a new connection', async t => {
  const cap = new Capture()
  const a = new Conversation(cap, { ...CLIENT, port: 41000, isn: 100 }, { ...SERVER, port: 80, isn: 0 })
  a.syn(); cap.wait(20_000); a.rstAnswersSyn('endpoint', 54)
  const b = new Conversation(cap, { ...CLIENT, port: 41000, isn: 900 }, { ...SERVER, port: 80, isn: 500 })
  cap.wait(1_000_000); b.handshake(20_000)
  const { reports, summary } = analyse(cap)
  t.equal(summary.connections, 2)
  t.same(reports.map(r => r.patterns.map(p => p.pattern)), [['reset-at-syn']], 'only the refused attempt is reported')
  t.equal(reports[0]!.resets[0]!.sender, 'unknown', 'no packet from the server to compare with: the sender stays unknown')
})
