import t from 'tap'
import net from 'node:net'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { ControlServer } from '../../src/control/server.js'
import { controlRequest } from '../../src/control/client.js'
import { RstlabError } from '../../src/errors.js'
import { parseRequest } from '../../src/control/protocol.js'
import { formatCounters, formatSessionDetail, formatSessionTable, type SessionView } from '../../src/control/format.js'

function dir (t: { teardown: (f: () => void) => void }): string {
  const d = mkdtempSync(path.join(tmpdir(), 'rstlab-ctl-'))
  t.teardown(() => rmSync(d, { recursive: true, force: true }))
  return d
}

const SESSION: SessionView = {
  id: 7, proto: 'tcp', src: '198.18.0.1', sport: 40000, dst: '198.18.0.2', dport: 80, from: 'trust', to: 'untrust',
  application: 'web-browsing', rule: 'allow-out', action: 'allow', state: 'ACTIVE', tcpState: 'established', endReason: null,
  packets: { c2s: 5, s2c: 4 }, bytes: { c2s: 700, s2c: 3000 }, startUs: 0, lastUs: 1_000_000, timeoutS: 3600, expiresUs: 3_601_000_000,
  startTime: 'Mon Nov 23 12:41:08 2026', ingress: 'eth0', egress: 'eth1', remainingS: 3599.2,
}

t.test('request/response over a 0600 unix socket', async t => {
  const sock = path.join(dir(t), 'sub', 'c.sock')
  const srv = await ControlServer.listen(sock, cmd => {
    if (cmd.cmd === 'session') {
      if (cmd.sid !== 7) throw new RstlabError('RSTLAB_ERR_USAGE', `no session ${cmd.sid}`)
      return SESSION
    }
    if (cmd.cmd === 'counters') return { elapsedS: 1, delta: cmd.delta === true, counters: [] }
    return []
  })
  t.teardown(() => srv.close())
  t.equal(statSync(sock).mode & 0o777, 0o600, 'socket mode 0600')
  t.equal(statSync(path.dirname(sock)).mode & 0o777, 0o700, 'directory mode 0700')
  t.same(await controlRequest(sock, { cmd: 'sessions' }), [])
  t.equal((await controlRequest(sock, { cmd: 'session', sid: 7 })).id, 7)
  t.equal((await controlRequest(sock, { cmd: 'counters', delta: true })).delta, true, 'delta flag carried')
  await t.rejects(controlRequest(sock, { cmd: 'session', sid: 8 }), { code: 'RSTLAB_ERR_USAGE' }, 'errors keep their code')
  await t.rejects(ControlServer.listen(sock, () => null), { code: 'RSTLAB_ERR_CONTROL' }, 'a served socket is not stolen')

  const raw = await new Promise<string>(resolve => {
    const c = net.connect(sock, () => c.write('not json\n'))
    c.setEncoding('utf8')
    c.on('data', (d: string) => { c.destroy(); resolve(d) })
  })
  t.match(JSON.parse(raw), { ok: false, error: { code: 'RSTLAB_ERR_CONTROL' } }, 'malformed request answered, not a crash')
})

t.test('stale socket file is replaced; missing socket is a clear error', async t => {
  const d = dir(t)
  const sock = path.join(d, 'c.sock')
  const s1 = await ControlServer.listen(sock, () => 1)
  // simulate a crash: the file stays, nobody serves it
  ;(s1 as unknown as { server: net.Server }).server.close()
  const s2 = await ControlServer.listen(sock, () => 2)
  t.teardown(() => s2.close())
  t.equal(await controlRequest(sock, { cmd: 'rules' }), 2, 'new server answers')
  await t.rejects(controlRequest(path.join(d, 'none.sock'), { cmd: 'sessions' }), { code: 'RSTLAB_ERR_CONTROL' })
})

t.test('parseRequest validates', async t => {
  t.same(parseRequest('{"id":1,"cmd":"session","sid":3}'), { id: 1, cmd: 'session', sid: 3 })
  t.equal(parseRequest('{"id":1,"cmd":"session"}'), undefined)
  t.equal(parseRequest('{"id":1,"cmd":"reboot"}'), undefined)
  t.equal(parseRequest('[]'), undefined)
})

t.test('PAN-OS shaped text', async t => {
  t.matchSnapshot(formatSessionTable([SESSION, { ...SESSION, id: 8, src: '2001:db8::1', dst: '2001:db8::2', proto: 'udp', application: 'dns', dport: 53 }]), 'show session all')
  t.matchSnapshot(formatSessionDetail(SESSION), 'show session id')
  t.matchSnapshot(formatCounters({
    elapsedS: 34.999, delta: false, counters: [
      { name: 'flow_no_interface', value: 263, rate: 0, severity: 'drop', category: 'flow', aspect: 'parse', description: 'Packets dropped: invalid interface' },
      { name: 'zero', value: 0, rate: 0, severity: 'info', category: 'flow', aspect: 'parse', description: 'not shown' },
    ],
  }), 'show counter global')
  const lines = formatCounters({ elapsedS: 1, delta: false, counters: [{ name: 'flow_no_interface', value: 263, rate: 0, severity: 'drop', category: 'flow', aspect: 'parse', description: 'Packets dropped: invalid interface' }] }).split('\n')
  t.equal(lines[5], 'flow_no_interface                        263        0 drop      flow      parse     Packets dropped: invalid interface',
    'row laid out exactly like the PAN-OS sample (docs/panos-model.md#counters)')
})
