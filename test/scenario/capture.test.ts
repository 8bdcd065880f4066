/**
 * Per-host captures checked with tshark (lesson 04, the challenge-ACK hang): the client's capture
 * shows the repeated SYNs and challenge ACKs (and the RSTs it sent), the server's never contains the
 * client's RST; every packet carries a comment. Lesson 04b: with the fix the server does see it.
 */
import t from 'tap'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { REPO_ROOT } from '../helpers/shared.js'
import { runFile } from '../../src/scenario/files.js'
import { engineFactory } from '../../src/scenario/engine-factory.js'

function hasTshark (): boolean {
  try { execFileSync('tshark', ['-v'], { stdio: 'ignore' }); return true } catch { return false }
}

/** One row per packet: flags (hex), absolute seq, absolute ack, ttl, comment. */
function rows (file: string): string[][] {
  const out = execFileSync('tshark', ['-r', file, '-T', 'fields', '-E', 'separator=|',
    '-e', 'tcp.flags', '-e', 'tcp.seq_raw', '-e', 'tcp.ack_raw', '-e', 'ip.ttl', '-e', 'frame.comment'], { encoding: 'utf8' })
  return out.trim().split('\n').map(l => l.split('|'))
}

const dir = mkdtempSync(path.join(tmpdir(), 'rstlab-pcap-'))
t.teardown(() => rmSync(dir, { recursive: true, force: true }))

t.test('lesson 04: captures per host, read by tshark', { skip: hasTshark() ? false : 'tshark not installed' }, async t => {
  const o = runFile(path.join(REPO_ROOT, 'scenarios', 'lessons', '04-challenge-ack-hang.scn'), engineFactory, dir)
  t.ok(o.result?.passed, 'lesson passes')
  const client = path.join(dir, '04-challenge-ack-hang.client.pcapng')
  const server = path.join(dir, '04-challenge-ack-hang.server.pcapng')
  t.same(o.captures.sort(), [client, server].sort())
  t.ok(existsSync(client) && existsSync(server))

  const c = rows(client)
  const syns = c.filter(r => r[0] === '0x0002')
  const challengeAcks = c.filter(r => r[0] === '0x0010' && r[2] === '2399007385')
  const rsts = c.filter(r => r[0] === '0x0004')
  t.equal(syns.length, 3, 'client sent its SYN three times')
  t.ok(syns.every(r => r[1] === '2406900805'), 'all with the same ISN')
  t.equal(challengeAcks.length, 3, 'client got three challenge ACKs with the old ack number')
  t.ok(challengeAcks.every(r => r[3] === '54'), 'challenge ACKs come from the server, TTL 54')
  t.equal(rsts.length, 3, 'client answered each with a RST')
  t.ok(rsts.every(r => r[1] === '2399007385' && /dropped it \(tcp_drop_out_of_wnd\)/.test(r[4])), 'RST seq = challenge ack; comment says dropped')
  t.ok(c.every(r => r[4] !== ''), 'every packet has a comment')

  const s = rows(server)
  t.equal(s.filter(r => (parseInt(r[0], 16) & 0x04) !== 0).length, 0, 'the server never sees the client\'s RST')
  t.equal(s.filter(r => r[0] === '0x0002').length, 3, 'the server saw the three SYNs')
  t.ok(s.filter(r => r[0] === '0x0002').every(r => /forwarded by the firewall from client/.test(r[4])))
})

t.test('lesson 04b: with allow-challenge-ack yes the server gets the RST', { skip: hasTshark() ? false : 'tshark not installed' }, async t => {
  const o = runFile(path.join(REPO_ROOT, 'scenarios', 'lessons', '04b-challenge-ack-fixed.scn'), engineFactory, dir)
  t.ok(o.result?.passed)
  const s = rows(path.join(dir, '04b-challenge-ack-fixed.server.pcapng'))
  t.equal(s.filter(r => r[0] === '0x0004' && r[1] === '2399007385').length, 1, 'the server got the client\'s RST')
})

t.test('forged packets carry the engine\'s comment', { skip: hasTshark() ? false : 'tshark not installed' }, async t => {
  const o = runFile(path.join(REPO_ROOT, 'scenarios', 'lessons', '02-who-sent-this-rst.scn'), engineFactory, dir)
  t.ok(o.result?.passed)
  const c = rows(path.join(dir, '02-who-sent-this-rst.client.pcapng'))
  const forged = c.filter(r => /rstlab forged/.test(r[4]))
  t.equal(forged.length, 1)
  t.equal(forged[0][0], '0x0014', 'RST|ACK')
  t.equal(forged[0][3], '64', 'forged with the firewall\'s TTL')
  t.match(forged[0][4], /rule=block-ftp action=reset-client/)
})
