import t from 'tap'
import type { Service, ThreatConfig, ThreatSignature } from '../../src/policy/types.js'
import { isBlocking, serviceCovers, threatActionFor, ThreatMatcher, ThreatTable, type ThreatHit } from '../../src/inspect/threats.js'

function sig (name: string, content: string | Buffer, more: Partial<ThreatSignature> = {}): ThreatSignature {
  return {
    name,
    content: typeof content === 'string' ? Buffer.from(content, 'latin1') : content,
    direction: 'both',
    service: [],
    severity: 'high',
    action: 'reset-both',
    where: `test:${name}`,
    ...more,
  }
}

function config (sigs: ThreatSignature[], profiles: Record<string, string[]> = { p: sigs.map(s => s.name) }): ThreatConfig {
  return { signatures: sigs, profiles: new Map(Object.entries(profiles)) }
}

function matcherFor (sigs: ThreatSignature[], proto = 6, port = 80): ThreatMatcher {
  const table = new ThreatTable(config(sigs))
  const ss = table.forSession('p', proto, port)
  if (ss === undefined) throw new Error('no signatures apply')
  return new ThreatMatcher(ss)
}

/** Feed `chunks` into direction `dir`; return all hits with the chunk index that produced them. */
function feed (m: ThreatMatcher, dir: 0 | 1, chunks: Array<string | Buffer>): Array<ThreatHit & { chunk: number }> {
  const out: Array<ThreatHit & { chunk: number }> = []
  chunks.forEach((c, i) => {
    const b = typeof c === 'string' ? Buffer.from(c, 'latin1') : c
    const hits: ThreatHit[] = []
    m.scan(dir, b, 0, b.length, hits)
    for (const h of hits) out.push({ ...h, chunk: i })
  })
  return out
}

t.test('finds content inside one segment, with its stream offset', async t => {
  const m = matcherFor([sig('evil', 'EVIL')])
  const hits = feed(m, 0, ['hello ', 'an EVIL thing'])
  t.equal(hits.length, 1)
  t.equal(hits[0]!.sig.name, 'evil')
  t.equal(hits[0]!.dir, 'c2s')
  t.equal(hits[0]!.streamOffset, 9)
  t.equal(hits[0]!.chunk, 1)
})

t.test('finds content split over two segments at every split point', async t => {
  const content = 'cmd.exe /c'
  for (let cut = 1; cut < content.length; cut++) {
    const m = matcherFor([sig('s', content)])
    const hits = feed(m, 0, ['GET /x?' + content.slice(0, cut), content.slice(cut) + ' HTTP/1.1'])
    t.equal(hits.length, 1, `cut at ${cut}`)
    t.equal(hits[0]?.chunk, 1, `cut at ${cut}: found when the second part arrives`)
    t.equal(hits[0]?.streamOffset, 7, `cut at ${cut}: offset`)
  }
})

t.test('finds content fed one byte per segment', async t => {
  const m = matcherFor([sig('s', 'abcdefgh')])
  const hits = feed(m, 1, [...'xxabcdefghyy'])
  t.equal(hits.length, 1)
  t.equal(hits[0]!.chunk, 9)
  t.equal(hits[0]!.dir, 's2c')
  t.equal(hits[0]!.streamOffset, 2)
})

t.test('hex content with NUL bytes', async t => {
  const m = matcherFor([sig('nul', Buffer.from('00ff00', 'hex'))])
  t.equal(feed(m, 0, [Buffer.from('01020300', 'hex'), Buffer.from('ff0004', 'hex')]).length, 1)
})

t.test('direction scope', async t => {
  const table = new ThreatTable(config([sig('up', 'X', { direction: 'c2s' }), sig('down', 'Y', { direction: 's2c' })]))
  const ss = table.forSession('p', 6, 80)!
  t.same(ss.byDir[0].map(s => s.name), ['up'])
  t.same(ss.byDir[1].map(s => s.name), ['down'])
  const m = new ThreatMatcher(ss)
  t.same(feed(m, 0, ['Y Y']).map(h => h.sig.name), [], 'Y in c2s is not looked for')
  t.same(feed(m, 1, ['X Y']).map(h => h.sig.name), ['down'])
})

t.test('each signature reports once per session and direction', async t => {
  const m = matcherFor([sig('a', 'A', { action: 'alert' })])
  t.equal(feed(m, 0, ['A', 'AA', 'A']).length, 1)
  t.equal(feed(m, 1, ['A']).length, 1, 'the other direction reports on its own')
})

t.test('bytes past len (Ethernet padding) are not matched', async t => {
  const m = matcherFor([sig('s', 'PAD')])
  const frame = Buffer.from('....dataPAD')
  const hits: ThreatHit[] = []
  t.equal(m.scan(0, frame, 4, 4, hits), 0)
  t.equal(m.scan(0, frame, 8, 3, hits), 1, 'the same bytes count once inside the range')
})

t.test('offset and depth count stream bytes, across segments and seams', async t => {
  // "ab" occurs at stream offsets 0, 4 and 8.
  const stream = ['ab..', 'ab..', 'ab..']
  const at = (more: Partial<ThreatSignature>): number | undefined => feed(matcherFor([sig('s', 'ab', more)]), 0, stream)[0]?.streamOffset
  t.equal(at({}), 0)
  t.equal(at({ offset: 1 }), 4)
  t.equal(at({ offset: 4 }), 4)
  t.equal(at({ offset: 5 }), 8)
  t.equal(at({ offset: 9 }), undefined)
  t.equal(at({ depth: 2 }), 0)
  t.equal(at({ offset: 1, depth: 5 }), undefined, 'the match at 4 ends at 6 > depth 5')
  t.equal(at({ offset: 1, depth: 6 }), 4)
  // Seam: content split across segments, offset and depth right at its edges.
  const seam = ['xxxab', 'cdyy']                // "abcd" at 3..7
  const s2 = (more: Partial<ThreatSignature>): number | undefined => feed(matcherFor([sig('s', 'abcd', more)]), 0, seam)[0]?.streamOffset
  t.equal(s2({ offset: 3, depth: 7 }), 3)
  t.equal(s2({ offset: 4 }), undefined)
  t.equal(s2({ depth: 6 }), undefined)
})

t.test('signatures of several lengths keep a long enough carry', async t => {
  const m = matcherFor([sig('short', 'zz'), sig('long', 'the quick brown fox')])
  const hits = feed(m, 0, ['..the quick', ' brown', ' f', 'ox zz'])
  t.same(hits.map(h => [h.sig.name, h.chunk, h.streamOffset]), [['short', 3, 22], ['long', 3, 2]], 'hits in signature order')
})

t.test('matches a naive search over the whole stream for random data and random segmentation', async t => {
  let seed = 0x9e3779b9
  const rnd = (n: number): number => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return (seed >>> 0) % n }
  const word = (n: number): string => Array.from({ length: n }, () => 'ab'[rnd(2)]).join('')
  let checked = 0
  for (let round = 0; round < 400; round++) {
    const contents = [word(1 + rnd(6)), word(1 + rnd(6)), word(2 + rnd(9))]
    const sigs = contents.map((c, i) => sig(`s${i}`, c, rnd(3) === 0 ? { offset: rnd(8), depth: rnd(2) === 0 ? undefined : c.length + rnd(30) } : {}))
    let ok = true
    try { new ThreatTable(config(sigs)) } catch { ok = false }
    if (!ok) continue
    const stream = word(rnd(60))
    const chunks: string[] = []
    for (let p = 0; p < stream.length;) { const n = 1 + rnd(8); chunks.push(stream.slice(p, p + n)); p += n }
    const got = new Map(feed(matcherFor(sigs), 0, chunks).map(h => [h.sig.name, h.streamOffset]))
    for (const s of sigs) {
      const off = s.offset ?? 0
      const depth = s.depth ?? Infinity
      const c = s.content.toString('latin1')
      let want: number | undefined
      for (let p = stream.indexOf(c, off); p >= 0; p = stream.indexOf(c, p + 1)) {
        if (p + c.length <= depth) want = p
        break
      }
      if (got.get(s.name) !== want) t.fail(`stream ${stream} chunks ${JSON.stringify(chunks)} sig ${c} off ${off} depth ${depth}: got ${got.get(s.name)} want ${want}`)
      checked++
    }
  }
  t.ok(checked > 1000, `${checked} signature/stream pairs agree with the naive search`)
})

t.test('service scope picks signatures per protocol and server port', async t => {
  const web: Service = { kind: 'port', proto: 'tcp', ranges: [[80, 80], [8000, 8099]], text: 'tcp/80,8000-8099' }
  const dns: Service = { kind: 'port', proto: 'udp', ranges: [[53, 53]], text: 'udp/53' }
  const table = new ThreatTable(config([sig('w', 'W', { service: [web] }), sig('d', 'D', { service: [dns] }), sig('any', 'A')]))
  const names = (proto: number, port: number): string[] => table.forSession('p', proto, port)?.byDir[0].map(s => s.name) ?? []
  t.same(names(6, 80), ['w', 'any'])
  t.same(names(6, 8050), ['w', 'any'])
  t.same(names(6, 53), ['any'])
  t.same(names(17, 53), ['d', 'any'])
  t.equal(table.forSession(undefined, 6, 80), undefined, 'no profile, nothing to match')
  t.equal(table.forSession('p', 6, 80), table.forSession('p', 6, 80), 'cached per (profile, proto, port)')
  t.ok(serviceCovers([{ kind: 'application-default' }], 6, 1))
  const only = new ThreatTable(config([sig('w', 'W', { service: [web] })]))
  t.equal(only.forSession('p', 6, 443), undefined, 'no signature applies: the session needs no matcher')
})

t.test('actions', async t => {
  t.notOk(isBlocking('alert'))
  t.notOk(isBlocking('allow'))
  for (const a of ['drop', 'reset-client', 'reset-server', 'reset-both'] as const) t.ok(isBlocking(a), a)
  t.equal(threatActionFor('reset-both', 17), 'drop', 'UDP: reset actions drop (PAN-OS)')
  t.equal(threatActionFor('reset-client', 17), 'drop')
  t.equal(threatActionFor('reset-server', 6), 'reset-server')
  t.equal(threatActionFor('alert', 17), 'alert')
})

t.test('bad threat configs are RstlabErrors naming the problem', async t => {
  const bad: Array<[string, ThreatConfig]> = [
    ['duplicate', config([sig('a', 'x'), sig('a', 'y')], {})],
    ['unknown signature in profile', config([sig('a', 'x')], { p: ['a', 'nope'] })],
    ['empty content', config([sig('a', '')], {})],
    ['depth too small', config([sig('a', 'abcd', { offset: 2, depth: 5 })], {})],
    ['negative offset', config([sig('a', 'abcd', { offset: -1 })], {})],
  ]
  for (const [what, cfg] of bad) {
    t.throws(() => new ThreatTable(cfg), { code: 'RSTLAB_ERR_POLICY' }, what)
  }
  t.throws(() => new ThreatTable(config([sig('a', 'x')], { p: ['nope'] })), { message: /profile "p" names unknown signature "nope"/ })
})
