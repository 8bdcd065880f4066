import t from 'tap'
import { parseScenario, parseFlagLetters, flagLetters, defaultIsn } from '../../src/scenario/parser.js'
import { lex } from '../../src/scenario/lexer.js'
import { isRstlabError } from '../../src/errors.js'

const HEAD = [
  'host client 198.18.0.1 side client',
  'host server 198.18.0.2 ttl 54 side server isn 1000',
].join('\n')

t.test('a whole scenario parses into timed events', async t => {
  const sc = parseScenario([
    'title "Who sent this RST?"',
    'intro:',
    '  The server is 10 hops away.',
    '',
    '  Look at the TTLs.',
    HEAD,
    'host v6c 2001:db8::1 mac 02:aa:bb:cc:dd:ee hlim 64',
    'policy block-ftp.yaml',
    'set tcp.allow-challenge-ack yes',
    'set session.timeout-tcp 30',
    'set emulator.reset-on-age-out both',
    'strict off',
    '',
    '0     client:40000 > server:21  S seq 0 win 64240 <mss 1460,sackOK,ts 1 0,nop,wscale 7>   # the SYN',
    '      server gets S seq 0 win 64240',
    '+0.2  server > client  S. seq 0 ack 1 win 65160',
    '      client gets forwarded S. seq 0 ack 1 ttl 54 from server:21',
    '+3601 client > server  P. seq 1 ack 1 data "GET /\\r\\n"',
    '      firewall drops flow_tcp_non_syn_drop',
    '      client gets forged [R.] seq =0 ack 1 ttl 64',
    '      server gets nothing',
    '+200ms wait',
    '5000',
    'note "part two"',
    'session client:40000 > server:21 state DISCARD end policy-deny app not-applicable timeout 90',
    'session gone end aged-out',
    'sessions 0',
    'counter flow_tcp_non_syn_drop >= 1',
    'client:5353 > server:53 udp len 12',
    'server > client icmp port-unreachable ttl 54',
    'client gets icmp 3/13 from 198.18.0.254',
    'firewall forwards',
    'client gets any',
    'after:',
    '  Try next: flip allow-challenge-ack.',
  ].join('\n'), 'x.scn')
  t.equal(sc.title, 'Who sent this RST?')
  t.equal(sc.intro, 'The server is 10 hops away.\n\nLook at the TTLs.')
  t.equal(sc.after, 'Try next: flip allow-challenge-ack.')
  t.equal(sc.hosts.length, 3)
  t.match(sc.hosts[1], { name: 'server', ttl: 54, side: 'server', isn: 1000, version: 4, mac: '02:00:00:00:00:02' })
  t.match(sc.hosts[2], { name: 'v6c', version: 6, mac: '02:aa:bb:cc:dd:ee', side: undefined, isn: defaultIsn('v6c') })
  t.same(sc.policy, { line: 9, col: 8, path: 'block-ftp.yaml' })
  t.same(sc.overrides.map(o => [o.section, o.key, o.value]), [
    ['tcp', 'allow-challenge-ack', true], ['session', 'timeout-tcp', 30], ['emulator', 'reset-on-age-out', 'both']])
  t.equal(sc.strict, false)
  const ev = sc.events
  t.same(ev.map(e => e.kind), ['send', 'expect-packet', 'send', 'expect-packet', 'send', 'expect-drop', 'expect-packet',
    'expect-nothing', 'wait', 'wait', 'note', 'expect-session', 'expect-session', 'expect-sessions', 'expect-counter',
    'send', 'send', 'expect-packet', 'expect-forward', 'expect-packet'])
  t.same(ev.map(e => e.timeUs), [0, 0, 200_000, 200_000, 3_601_200_000, 3_601_200_000, 3_601_200_000, 3_601_200_000,
    3_601_400_000, 5_000_000_000, 5_000_000_000, 5_000_000_000, 5_000_000_000, 5_000_000_000, 5_000_000_000, 5_000_000_000,
    5_000_000_000, 5_000_000_000, 5_000_000_000, 5_000_000_000])
  const syn = ev[0]
  if (syn.kind !== 'send') throw new Error('not a send')
  t.match(syn, { line: 15, col: 7, src: { host: 'client', port: 40000 }, dst: { host: 'server', port: 21 } })
  t.match(syn.packet, { proto: 'tcp', flags: 0x02, flagsText: 'S', seq: { abs: false, value: 0 }, win: 64240 })
  t.same(syn.packet.options, { mss: 1460, sackOk: true, ts: [1, 0], nop: 1, wscale: 7 })
  const data = ev[4]
  if (data.kind !== 'send') throw new Error('not a send')
  t.equal(data.packet.payload.toString('latin1'), 'GET /\r\n')
  t.match(data.dst, { host: 'server', port: undefined })
  const forged = ev[6]
  if (forged.kind !== 'expect-packet') throw new Error('not an expectation')
  t.match(forged.pattern, { forged: true, flags: 0x14, flagsText: 'R.', seq: { abs: true, value: 0 }, ack: { abs: false, value: 1 }, ttl: 64 })
  const fwd = ev[3]
  if (fwd.kind !== 'expect-packet') throw new Error('not an expectation')
  t.match(fwd.pattern, { forged: false, from: { host: 'server', port: 21 } })
  t.match(ev[5], { reason: 'flow_tcp_non_syn_drop' })
  const sess = ev[11]
  if (sess.kind !== 'expect-session') throw new Error('not a session check')
  t.match(sess.flow, { src: { host: 'client', port: 40000 }, dst: { host: 'server', port: 21 } })
  t.same(sess.checks.map(c => [c.field, c.value]), [['state', 'DISCARD'], ['end', 'policy-deny'], ['app', 'not-applicable'], ['timeout', '90']])
  t.match(ev[12], { gone: true, flow: undefined })
  t.match(ev[14], { name: 'flow_tcp_non_syn_drop', op: '>=', value: 1 })
  t.match(ev[15], { packet: { proto: 'udp', payload: Buffer.alloc(12) } })
  t.match(ev[16], { packet: { proto: 'icmp', icmpType: 3, icmpCode: 3, ttl: 54 } })
  t.match(ev[17], { pattern: { proto: 'icmp', icmpType: 3, icmpCode: 13, from: { addr: '198.18.0.254' } } })
  t.match(ev[19], { pattern: { any: true } })
})

t.test('IPv6 hosts use ICMPv6 names; hex payloads; bracketed v6 sources', async t => {
  const sc = parseScenario([
    'host c 2001:db8::1', 'host s 2001:db8::2 hlim 53',
    's:80 > c:40000 icmp admin-prohibited hex "de ad be ef"',
    'c gets icmp admin-prohibited from [2001:db8::ff]:0',
    'c gets icmp 1/4 from 2001:db8::2',
  ].join('\n'), 'v6.scn')
  t.match(sc.events[0], { packet: { icmpType: 1, icmpCode: 1, payload: Buffer.from('deadbeef', 'hex') } })
  t.match(sc.events[1], { pattern: { icmpType: 1, icmpCode: 1, from: { addr: '2001:db8::ff', port: 0 } } })
  t.match(sc.events[2], { pattern: { icmpType: 1, icmpCode: 4, from: { addr: '2001:db8::2', port: undefined } } })
})

t.test('gone with end and app; fractional timeouts', async t => {
  const sc = parseScenario(HEAD + '\nsession gone end aged-out app unknown-tcp\nsession timeout 2.5 app threat-test end threat', 'g.scn')
  t.match(sc.events[0], { gone: true, checks: [{ field: 'end', value: 'aged-out' }, { field: 'app', value: 'unknown-tcp' }] })
  t.match(sc.events[1], { gone: false, checks: [{ field: 'timeout', value: '2.5' }, { field: 'app' }, { field: 'end', value: 'threat' }] })
})

t.test('language v2: vlan, echo id/seq, ipid/df, gets fields, quotes, session #ID, commit', async t => {
  const sc = parseScenario([
    'host client 198.18.0.1 vlan 100,200', 'host server 198.18.1.2 vlan 7',
    '0 client > server icmp echo-request id 7 seq 2 vlan none ipid 9 df no',
    'server gets icmp echo-request id 7 seq 2 vlan none mac-src client mac-dst 02:00:00:00:00:0a ipid 9 df no',
    'client gets icmp 3/3 quotes client:5 > server udp seq =3',
    'session #12 state ACTIVE # a comment after the id',
    '+1 commit other.yaml rematch',
    'commit set tcp.allow-challenge-ack yes',
  ].join('\n'), 'v2.scn')
  t.same(sc.hosts.map(h => h.vlans), [[100, 200], [7]])
  const [send, gets, gets2, sess, c1, c2] = sc.events as any[]
  t.match(send.packet, { icmpId: 7, icmpSeq: 2, vlans: [], ipId: 9, df: false })
  t.match(gets.pattern, { icmpId: 7, icmpSeq: 2, vlans: [], macSrc: '02:00:00:00:00:01', macDst: '02:00:00:00:00:0a', ipId: 9, df: false })
  t.match(gets2.pattern.quote, { src: { host: 'client', port: 5 }, dst: { host: 'server', port: undefined }, proto: 'udp', seq: { abs: true, value: 3 } })
  t.match(sess, { kind: 'expect-session', id: 12, checks: [{ field: 'state', value: 'ACTIVE' }] })
  t.same(c1.commit, { kind: 'policy', path: 'other.yaml', rematch: true })
  t.same(c2.commit, { kind: 'set', section: 'tcp', key: 'allow-challenge-ack', value: true, rematch: false })
  t.equal(c2.timeUs, 1_000_000)
})

t.test('flag letters', async t => {
  t.equal(parseFlagLetters('S'), 0x02)
  t.equal(parseFlagLetters('S.'), 0x12)
  t.equal(parseFlagLetters('[R.]'), 0x14)
  t.equal(parseFlagLetters('FP.'), 0x19)
  t.equal(parseFlagLetters('none'), 0)
  t.equal(parseFlagLetters('SS'), undefined)
  t.equal(parseFlagLetters('X'), undefined)
  t.equal(parseFlagLetters(''), undefined)
  t.equal(flagLetters(0x19), 'FP.')
  t.equal(flagLetters(0x12), 'S.')
  t.equal(flagLetters(0), 'none')
})

t.test('lexer: strings, escapes, option lists, comments keep their columns', async t => {
  const r = lex('  a "b\\x41\\"c" <mss 1,nop> # comment\n\n x', 'f')
  t.same(r.lines[0].tokens.map(k => [k.kind, k.text, k.col]), [['word', 'a', 3], ['string', 'bA"c', 5], ['options', 'mss 1,nop', 16]])
  t.same(r.lines[1].tokens.map(k => [k.text, k.line, k.col]), [['x', 3, 2]])
})

/** Every syntax error path: [name, source, line, col]. Line 1-2 are HEAD unless the source says otherwise. */
const ERRORS: Array<[string, string, number, number]> = [
  ['unterminated string', HEAD + '\nnote "abc', 3, 6],
  ['bad escape', HEAD + '\nnote "a\\qb"', 3, 8],
  ['unterminated option list', HEAD + '\nclient:1 > server:2 S <mss 1460', 3, 23],
  ['empty text block', 'intro:\nhost c 198.18.0.1', 1, 1],
  ['intro twice', 'intro:\n  a\nintro:\n  b\n' + HEAD, 3, 1],
  ['after twice', 'after:\n  a\nafter:\n  b\n' + HEAD, 3, 1],
  ['no hosts', 'policy x.yaml', 1, 1],
  ['unknown statement', HEAD + '\nfrobnicate 1', 3, 1],
  ['host name then junk', HEAD + '\nclient sends', 3, 8],
  ['bad time', HEAD + '\n+0.1.2 wait', 3, 1],
  ['too many decimals', HEAD + '\n+0.1234567 wait', 3, 1],
  ['time backwards', HEAD + '\n5 wait\n4 wait', 4, 1],
  ['header with a time', HEAD + '\n+1 policy x.yaml', 3, 1],
  ['header after steps', HEAD + '\nwait\nhost x 198.18.0.9', 4, 1],
  ['title not a string', 'title hello\n' + HEAD, 1, 7],
  ['strict bad value', 'strict maybe\n' + HEAD, 1, 8],
  ['policy twice', 'policy a.yaml\npolicy b.yaml\n' + HEAD, 2, 1],
  ['policy missing file', 'policy\n' + HEAD, 1, 7],
  ['bad host name', 'host 9x 198.18.0.1', 1, 6],
  ['keyword host name', 'host firewall 198.18.0.1', 1, 6],
  ['host twice', HEAD + '\nhost client 198.18.0.3', 3, 6],
  ['bad address', 'host c 198.18.0.300', 1, 8],
  ['address twice', HEAD + '\nhost other 198.18.0.1', 3, 12],
  ['bad mac', 'host c 198.18.0.1 mac 02:00', 1, 23],
  ['ttl out of range', 'host c 198.18.0.1 ttl 256', 1, 23],
  ['bad side', 'host c 198.18.0.1 side left', 1, 24],
  ['isn too big', 'host c 198.18.0.1 isn 4294967296', 1, 23],
  ['unknown host attribute', 'host c 198.18.0.1 colour red', 1, 19],
  ['missing host attribute value', 'host c 198.18.0.1 ttl', 1, 22],
  ['bad setting', HEAD + '\nset timeout-tcp 30', 3, 5],
  ['unknown section', HEAD + '\nset foo.bar 1', 3, 5],
  ['setting twice', HEAD + '\nset tcp.allow-challenge-ack yes\nset tcp.allow-challenge-ack no', 4, 5],
  ['setting without value', HEAD + '\nset tcp.allow-challenge-ack', 3, 28],
  ['unknown host in send', HEAD + '\nclient:1 > nobody:2 S', 3, 12],
  ['send to itself', HEAD + '\nclient:1 > client:2 S', 3, 1],
  ['bad port', HEAD + '\nclient:99999 > server:2 S', 3, 8],
  ['host:port:junk', HEAD + '\nclient:1:2 > server:2 S', 3, 1],
  ['bad flags', HEAD + '\nclient:1 > server:2 SYN', 3, 21],
  ['missing flags', HEAD + '\nclient:1 > server:2', 3, 20],
  ['unknown packet field', HEAD + '\nclient:1 > server:2 S mss 1460', 3, 23],
  ['seq not a number', HEAD + '\nclient:1 > server:2 S seq x', 3, 27],
  ['seq too big', HEAD + '\nclient:1 > server:2 S seq =4294967296', 3, 27],
  ['win too big', HEAD + '\nclient:1 > server:2 S win 70000', 3, 27],
  ['payload twice', HEAD + '\nclient:1 > server:2 P. len 3 data "x"', 3, 30],
  ['data not a string', HEAD + '\nclient:1 > server:2 P. data abc', 3, 29],
  ['bad hex', HEAD + '\nclient:1 > server:2 P. hex "abc"', 3, 28],
  ['unknown option', HEAD + '\nclient:1 > server:2 S <mss 1460,foo>', 3, 33],
  ['option needs a number', HEAD + '\nclient:1 > server:2 S <mss x>', 3, 24],
  ['wscale too big', HEAD + '\nclient:1 > server:2 S <nop,wscale 15>', 3, 28],
  ['ts needs two numbers', HEAD + '\nclient:1 > server:2 S <ts 1>', 3, 24],
  ['tcp field on udp', HEAD + '\nclient:1 > server:2 udp seq 1', 3, 25],
  ['options on udp', HEAD + '\nclient:1 > server:2 udp <mss 1>', 3, 25],
  ['bad icmp type', HEAD + '\nserver > client icmp 3-3', 3, 22],
  ['a string where a field goes', HEAD + '\nclient:1 > server:2 S "x"', 3, 23],
  ['gets without pattern', HEAD + '\nclient gets', 3, 12],
  ['gets unknown field', HEAD + '\nclient gets S. foo', 3, 16],
  ['gets two shapes', HEAD + '\nclient gets S. udp', 3, 16],
  ['gets any late', HEAD + '\nclient gets S any', 3, 15],
  ['gets forged twice', HEAD + '\nclient gets forged forwarded R', 3, 20],
  ['gets nothing with junk', HEAD + '\nclient gets nothing more', 3, 21],
  ['gets from unknown', HEAD + '\nclient gets R from nobody', 3, 20],
  ['gets from bad port', HEAD + '\nclient gets R from server:x', 3, 20],
  ['gets only forged is fine but empty pattern is not', HEAD + '\nclient gets ttl 5', 3, 1],
  ['unknown host gets', HEAD + '\nnobody gets R', 3, 1],
  ['firewall what', HEAD + '\nfirewall eats', 3, 10],
  ['drop reason bad', HEAD + '\nfirewall drops Bad!', 3, 16],
  ['forwards with junk', HEAD + '\nfirewall forwards x', 3, 19],
  ['session nothing to check', HEAD + '\nsession', 3, 1],
  ['session unknown field', HEAD + '\nsession colour red', 3, 9],
  ['session bad state', HEAD + '\nsession state OPEN', 3, 15],
  ['session bad end reason', HEAD + '\nsession end tired', 3, 13],
  ['session timeout not a number', HEAD + '\nsession timeout x', 3, 17],
  ['session gone with fields', HEAD + '\nsession gone state ACTIVE', 3, 1],
  ['session flow unknown host', HEAD + '\nsession client:1 > nobody:2 state ACTIVE', 3, 20],
  ['sessions not a number', HEAD + '\nsessions many', 3, 10],
  ['counter bad name', HEAD + '\ncounter Foo 1', 3, 9],
  ['counter missing value', HEAD + '\ncounter foo', 3, 12],
  ['note not a string', HEAD + '\nnote hello', 3, 6],
  ['wait with junk', HEAD + '\nwait 5', 3, 6],
  // Language v2 (issue #18).
  ['host vlan not a number', 'host c 198.18.0.1 vlan x', 1, 24],
  ['host vlan too big', 'host c 198.18.0.1 vlan 4096', 1, 24],
  ['three vlan tags', 'host c 198.18.0.1 vlan 1,2,3', 1, 24],
  ['packet vlan bad', HEAD + '\nclient:1 > server:2 S vlan 1,x', 3, 28],
  ['echo id on tcp', HEAD + '\nclient:1 > server:2 S id 5', 3, 23],
  ['echo id too big', HEAD + '\nclient > server icmp echo-request id 70000', 3, 38],
  ['echo seq too big', HEAD + '\nclient > server icmp echo-request seq 65536', 3, 39],
  ['ipid too big', HEAD + '\nclient:1 > server:2 S ipid 65536', 3, 28],
  ['df not yes/no', HEAD + '\nclient:1 > server:2 S df maybe', 3, 26],
  ['ipid on an IPv6 host', 'host c 2001:db8::1\nhost s 2001:db8::2\nc:1 > s:2 S ipid 1', 3, 13],
  ['gets bad mac-src', HEAD + '\nclient gets R mac-src 02:00', 3, 23],
  ['gets df bad', HEAD + '\nclient gets R df 1', 3, 18],
  ['gets vlan bad', HEAD + '\nclient gets R vlan 5000', 3, 20],
  ['gets id on tcp', HEAD + '\nclient gets R id 1', 3, 15],
  ['gets quotes on tcp', HEAD + '\nclient gets R quotes client > server', 3, 15],
  ['gets quotes without >', HEAD + '\nclient gets icmp 3/3 quotes client server', 3, 36],
  ['gets quotes unknown host', HEAD + '\nclient gets icmp 3/3 quotes client > nobody', 3, 38],
  ['gets quotes junk', HEAD + '\nclient gets icmp 3/3 quotes client > server ttl 5', 3, 45],
  ['session bad id', HEAD + '\nsession #0 state ACTIVE', 3, 9],
  ['session id with junk', HEAD + '\nsession #2x state ACTIVE', 3, 9],
  ['commit nothing', HEAD + '\ncommit', 3, 7],
  ['commit bad setting', HEAD + '\ncommit set timeout 5', 3, 12],
  ['commit set without value', HEAD + '\ncommit set tcp.allow-challenge-ack', 3, 35],
  ['commit junk after', HEAD + '\ncommit other.yaml now', 3, 19],
  ['gets ipid bad', HEAD + '\nclient gets R ipid x', 3, 20],
  ['gets win too big', HEAD + '\nclient gets R win 70000', 3, 19],
  ['gets option needs a number', HEAD + '\nclient gets S <mss x>', 3, 16],
  ['gets unknown option', HEAD + '\nclient gets S <foo 1>', 3, 16],
  ['gets mac-dst neither MAC nor host', HEAD + '\nclient gets R mac-dst zz', 3, 23],
  ['gets echo seq bad', HEAD + '\nclient gets icmp echo-reply seq x', 3, 33],
]

for (const [name, src, line, col] of ERRORS) {
  t.test(`syntax error: ${name}`, async t => {
    try {
      parseScenario(src, 'err.scn')
      t.fail('no error thrown')
    } catch (e) {
      t.ok(isRstlabError(e), 'an RstlabError')
      if (!isRstlabError(e)) throw e
      t.equal(e.code, 'RSTLAB_ERR_SCRIPT_SYNTAX')
      t.equal(e.message.split(': ')[0], `err.scn:${line}:${col}`, e.message)
      t.ok(e.hint !== undefined && e.hint.length > 0, 'has a hint')
    }
  })
}
