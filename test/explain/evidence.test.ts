/**
 * Each kind of evidence `rstlab explain` weighs, asserted by name on crafted captures whose forgers
 * are known by construction: the fact must appear where the construction put it, point the right
 * way, and be absent where the construction did not put it.
 */
import t from 'tap'
import { Explainer, type ConnectionReport, type EvidenceKind, type ResetEvent } from '../../src/explain/index.js'
import { evidenceText } from '../../src/explain/render.js'
import { Capture, Conversation } from './crafted.js'

const CLIENT = { addr: '198.18.0.1', ttl: 64, mac: '02:00:00:00:00:01' }
const ROUTER_MAC = '02:00:00:00:00:fe'
const SERVER = { addr: '198.18.1.2', ttl: 54, mac: ROUTER_MAC } // 10 hops away, behind the router

function resetsOf (cap: Capture): ResetEvent[] {
  const out: ResetEvent[] = []
  const ex = new Explainer({ onReport: r => out.push(...r.resets) })
  cap.frames.forEach((f, i) => { ex.push(f.data, 1, f.tsUs, i + 1) })
  ex.finish()
  return out.sort((a, b) => a.frame - b.frame)
}

function kinds (e: ResetEvent | undefined): EvidenceKind[] {
  return e?.evidence.map(x => x.kind) ?? []
}

function at (resets: ResetEvent[], frame: number): ResetEvent | undefined {
  return resets.find(e => e.frame === frame)
}

/** An established conversation with data both ways, so that every baseline has several packets. */
function talk (cap: Capture, port: number, s: Partial<typeof SERVER> & { tsBase?: number } = {}, c: { tsBase?: number } = {}): Conversation {
  const k = new Conversation(cap, { ...CLIENT, ...c, port, isn: port * 10 }, { ...SERVER, ...s, port: 443, isn: port * 20 })
  k.handshake(20_000); cap.wait(500); k.data(true, 100); cap.wait(20_000); k.data(false, 200); cap.wait(100); k.ack(); cap.wait(5_000)
  k.data(true, 50); cap.wait(20_000); k.data(false, 70); cap.wait(100)
  return k
}

t.test('IP ID: a forged RST that breaks the server\'s counter; one that continues it', async t => {
  const cap = new Capture()
  const a = talk(cap, 40001)
  const forged = a.forgedRst(false, { ttl: 54, ipId: 12345, win: 0 })
  cap.wait(1_000_000)
  const b = talk(cap, 40002)
  const own = b.endpointRst(false)
  const rs = resetsOf(cap)
  t.ok(kinds(at(rs, forged)).includes('ipid-breaks'), `forged: ${kinds(at(rs, forged)).join(', ')}`)
  t.notOk(kinds(at(rs, forged)).includes('ipid-continues'))
  t.ok(kinds(at(rs, own)).includes('ipid-continues'), `own: ${kinds(at(rs, own)).join(', ')}`)
  t.notOk(kinds(at(rs, own)).includes('ipid-breaks'))
  t.equal(at(rs, own)?.sender, 'endpoint')
})

t.test('DF: a RST without DF from a host whose packets all carry it', async t => {
  const cap = new Capture()
  const a = talk(cap, 40003)
  const forged = a.forgedRst(false, { ttl: 54, df: false, ipId: 0, win: 0 })
  cap.wait(1_000_000)
  const b = talk(cap, 40004)
  const own = b.endpointRst(false)
  const rs = resetsOf(cap)
  const df = at(rs, forged)?.evidence.find(x => x.kind === 'df-differs')
  t.ok(df, `forged: ${kinds(at(rs, forged)).join(', ')}`)
  t.equal(df?.fields.df, false)
  t.equal(df?.fields.baselineDf, true)
  t.ok((df?.weight ?? 0) > 0, 'points at a middlebox')
  t.notOk(kinds(at(rs, own)).includes('df-differs'))
})

t.test('shape: window 0 and no options is context; a timestamp on the RST is checked against that side\'s clock', async t => {
  const cap = new Capture()
  // The server stamps its segments; it aborts its own connection (SO_LINGER 0): Linux puts the current TSval on that RST.
  const a = talk(cap, 40005, { tsBase: 7_000_000 })
  cap.wait(3_000)
  const abort = a.endpointRst(false)
  cap.wait(1_000_000)
  // A forger that stamps its RST with a made-up timestamp, far from the server's clock.
  const b = talk(cap, 40006, { tsBase: 9_000_000 })
  const badTs = b.forgedRst(false, { ttl: 54, ts: 123, ipId: 0, win: 0 })
  cap.wait(1_000_000)
  // The classic forgery: window 0, no options.
  const c = talk(cap, 40007, { tsBase: 5_000 })
  const bare = c.forgedRst(false, { ttl: 64, win: 0 })
  cap.wait(1_000_000)
  // No options, window not 0.
  const d = talk(cap, 40008)
  const noOpt = d.forgedRst(false, { ttl: 64 })
  const rs = resetsOf(cap)

  const cont = at(rs, abort)?.evidence.find(x => x.kind === 'rst-ts-continues')
  t.ok(cont, `abort: ${kinds(at(rs, abort)).join(', ')}`)
  t.ok((cont?.weight ?? 0) < 0, 'points at the endpoint')
  t.equal(at(rs, abort)?.sender, 'endpoint')
  t.equal(at(rs, abort)?.confidence, 'high')

  const brk = at(rs, badTs)?.evidence.find(x => x.kind === 'rst-ts-breaks')
  t.ok(brk, `bad timestamp: ${kinds(at(rs, badTs)).join(', ')}`)
  t.equal(brk?.fields.tsVal, 123)
  t.ok((brk?.weight ?? 0) > 0, 'points at a middlebox')
  t.notOk(kinds(at(rs, badTs)).includes('rst-ts-continues'))

  const bareEv = at(rs, bare)?.evidence.find(x => x.kind === 'rst-bare')
  t.ok(bareEv, `bare: ${kinds(at(rs, bare)).join(', ')}`)
  t.equal(bareEv?.weight, 0, 'stacks send such resets too: context only')
  t.equal(bareEv?.fields.sideUsedTimestamps, true)
  t.match(evidenceText(bareEv!), /window 0 and no TCP options \(that side put timestamps on its other segments\): how a stack/)
  t.equal(at(rs, bare)?.sender, 'middlebox', 'the TTL still decides')

  t.ok(kinds(at(rs, noOpt)).includes('rst-no-options'), `no options: ${kinds(at(rs, noOpt)).join(', ')}`)
  t.equal(at(rs, noOpt)?.evidence.find(x => x.kind === 'rst-no-options')?.fields.window, 64240)
  for (const e of rs) {
    const shape = e.evidence.filter(x => x.kind.startsWith('rst-') && x.kind !== 'rst-both-directions')
    t.equal(shape.length, 1, `frame ${e.frame}: exactly one shape fact`)
  }
})

t.test('untouched TTL from a router\'s MAC, for an address with no other packet: made next to the capture point', async t => {
  const cap = new Capture()
  talk(cap, 40010) // the server behind the router: its packets arrive through ROUTER_MAC with TTL 54
  cap.wait(1_000_000)
  // A SYN to another server behind the same router, answered at once by a RST with TTL 64 from the router's MAC.
  const far = new Conversation(cap, { ...CLIENT, port: 40011, isn: 5 }, { addr: '198.18.2.3', ttl: 50, mac: ROUTER_MAC, port: 25, isn: 0 })
  far.syn(); cap.wait(300)
  const forged = far.rstAnswersSyn('middlebox', 64)
  cap.wait(1_000_000)
  // A host on the client's own link, with its own MAC, refusing a SYN: TTL 64 is what it starts with.
  const near = new Conversation(cap, { ...CLIENT, port: 40012, isn: 6 }, { addr: '198.18.0.7', ttl: 64, mac: '02:00:00:00:00:07', port: 25, isn: 0 })
  near.syn(); cap.wait(300)
  const refused = near.rstAnswersSyn('endpoint', 64)
  cap.wait(1_000_000)
  // The router's own address is not "behind" it: without other forwarded addresses nothing is said.
  const lone = new Capture()
  const only = new Conversation(lone, { ...CLIENT, port: 40013, isn: 7 }, { addr: '198.18.2.3', ttl: 64, mac: ROUTER_MAC, port: 25, isn: 0 })
  only.syn(); lone.wait(300)
  const loneRst = only.rstAnswersSyn('endpoint', 64)

  const rs = resetsOf(cap)
  const ev = at(rs, forged)?.evidence.find(x => x.kind === 'ttl-untouched-via-router')
  t.ok(ev, `forged: ${kinds(at(rs, forged)).join(', ')}`)
  t.equal(ev?.fields.mac, ROUTER_MAC)
  t.equal(at(rs, forged)?.sender, 'middlebox')
  t.match(evidenceText(ev!), /untouched initial TTL, yet it came from MAC 02:00:00:00:00:fe/)
  t.notOk(kinds(at(rs, refused)).includes('ttl-untouched-via-router'), `on-link host: ${kinds(at(rs, refused)).join(', ')}`)
  t.not(at(rs, refused)?.sender, 'middlebox')
  const lr = resetsOf(lone)
  t.notOk(kinds(at(lr, loneRst)).includes('ttl-untouched-via-router'), 'a MAC seen forwarding nothing proves nothing')
})

t.test('UDP: an ICMP error about a datagram is a reset event of its flow; the firewall\'s admin-prohibited is the path\'s, the server\'s own port unreachable is the endpoint\'s', async t => {
  const { buildFrame } = await import('../../src/wire/build.js')
  const cap = new Capture()
  talk(cap, 40020) // TCP to the server first: its TTL (54) and the client's (64) are known
  cap.wait(1_000_000)
  /** An ICMP error about a UDP datagram the client sent to `dport` (quoted with the TTL it had `hops` beyond the capture point). */
  const icmpAboutUdp = (from: string, ttl: number, type: number, code: number, dport: number, hops: number, truth: 'endpoint' | 'middlebox', v6 = false): number => {
    const c = v6 ? '2001:db8::1' : CLIENT.addr
    const s = v6 ? '2001:db8:1::2' : SERVER.addr
    const dgram = buildFrame({ src: c, dst: s, ttl: 64 - hops, udp: { sport: 5353, dport }, payload: 20 })
    const inner = dgram.subarray(14, 14 + (v6 ? 40 : 20) + 8)
    return cap.add(buildFrame({ src: from, dst: c, ttl, srcMac: ROUTER_MAC, icmp: { type, code }, payload: inner }), truth)
  }
  cap.add(buildFrame({ src: CLIENT.addr, dst: SERVER.addr, ttl: 64, udp: { sport: 5353, dport: 53 }, payload: 20 }))
  const fw = icmpAboutUdp('198.18.0.254', 64, 3, 13, 53, 1, 'middlebox')
  cap.wait(1_000_000)
  const own = icmpAboutUdp(SERVER.addr, 54, 3, 3, 5000, 10, 'endpoint')
  cap.wait(1_000_000)
  const fw6 = icmpAboutUdp('2001:db8::fe', 64, 1, 1, 443, 1, 'middlebox', true)
  const reports: ConnectionReport[] = []
  const ex = new Explainer({ onReport: r => reports.push(r) })
  cap.frames.forEach((f, i) => { ex.push(f.data, 1, f.tsUs, i + 1) })
  const summary = ex.finish()
  const rs = reports.flatMap(r => r.resets)
  for (const [frame, truth] of cap.truth()) t.equal(at(rs, frame)?.sender, truth, `frame ${frame}: ${truth} (${kinds(at(rs, frame)).join(', ')})`)
  t.equal(at(rs, fw)?.confidence, 'high')
  t.match(at(rs, fw)?.connection, { protocol: 'udp', client: CLIENT.addr, clientPort: 5353, server: SERVER.addr, serverPort: 53 })
  t.equal(at(rs, fw)?.evidence.find(x => x.kind === 'icmp-quoted-ttl')?.fields.hopsFromHere, 1, 'quoted TTL against the client\'s TTL from its TCP packets')
  t.ok(kinds(at(rs, own)).includes('icmp-from-destination') && kinds(at(rs, own)).includes('ttl-match'), 'the server\'s own error: from the destination, with its TTL')
  t.equal(at(rs, fw6)?.connection.ipVersion, 6)
  const pats = (port: number): string[] => reports.filter(r => r.connection.serverPort === port).flatMap(r => r.patterns.map(p => p.pattern))
  t.same(pats(53), ['drop-icmp'])
  t.same(pats(5000), ['closed-port'])
  t.same(pats(443).filter(p => p !== 'drop-icmp'), [], 'the v6 flow: drop-icmp only (the TCP connection on 443 has none)')
  t.equal(summary.udpFlows, 3)
  t.equal(summary.connections, 1, 'UDP flows are not TCP connections')
  t.equal(summary.icmpUnmatched, 0)
  const { connectionNarrative, patternExplanation } = await import('../../src/explain/render.js')
  const r53 = reports.find(r => r.connection.serverPort === 53)!
  t.match(connectionNarrative(r53, ex.firstUs)[0], /^UDP flow #\d+ 198\.18\.0\.1:5353 -> 198\.18\.1\.2:53 \(udp\): 1 ICMP error\(s\)/)
  t.match(patternExplanation(reports.find(r => r.connection.serverPort === 5000)!.patterns[0]!), /nothing listens on that port/)
})
