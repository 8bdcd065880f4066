/**
 * The fixture controls without a bridge: the Node API over both transports, the HTTP listener's
 * refusals (token, method, unknown command, bad value, body, non-loopback), the session filter and
 * `get`/`set` on a real policy through the policy loader.
 */
import t from 'tap'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { ControlServer, type ControlHandler } from '../../src/control/server.js'
import { HttpControl, parseHttpAddress } from '../../src/control/http.js'
import { connectControl } from '../../src/control/api.js'
import { checkAdvance, checkReset, type ControlCommand } from '../../src/control/protocol.js'
import { parseSessionFilter } from '../../src/control/filter.js'
import { allSettings, getSetting, policyWithSetting } from '../../src/control/settings.js'
import { RstlabError } from '../../src/errors.js'
import { loadPolicyText } from '../../src/policy/load.js'
import type { Policy } from '../../src/policy/types.js'
import type { SessionInfo } from '../../src/engine/types.js'

const TOKEN = 'test-token-0123456789abcdef'

const POLICY = `zones:
  trust: { interfaces: [fwc] }
  untrust: { interfaces: [fws] }
rules:
  - { name: allow-all, action: allow }
`

/** A stand-in bridge: the real validators and the real settings code on a real policy. */
function fakeBridge (): { handler: ControlHandler, state: { policy: Policy, offsetS: number } } {
  const state = { policy: loadPolicyText(POLICY, 'p.yaml'), offsetS: 0 }
  const handler = (cmd: ControlCommand): unknown => {
    switch (cmd.cmd) {
      case 'info': return { mode: 'bridge', interfaces: ['fwc', 'fws'], pid: 1, policy: 'p.yaml', startedAt: '', memory: { rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 } }
      case 'clock': return { offsetS: state.offsetS, engineNowUs: 0, engineTime: '' }
      case 'clock-advance': state.offsetS += checkAdvance(cmd.seconds) / 1e6; return { offsetS: state.offsetS, advancedS: cmd.seconds, agedOut: 0, forged: 0, engineNowUs: 0, engineTime: '' }
      case 'get': return cmd.key === undefined ? allSettings(state.policy) : { [cmd.key]: getSetting(state.policy, cmd.key) }
      case 'set': {
        const previous = getSetting(state.policy, cmd.key)
        state.policy = policyWithSetting(state.policy, cmd.key, cmd.value)
        return { key: cmd.key, value: getSetting(state.policy, cmd.key), previous, rematch: false, forged: 0 }
      }
      case 'reset': checkReset(cmd); return { action: cmd.action, sessions: [], skipped: [], forged: 0 }
      case 'sessions': return []
      default: throw new RstlabError('RSTLAB_ERR_USAGE', 'not in this stand-in')
    }
  }
  return { handler, state }
}

async function http (t: { teardown: (f: () => void) => void }): Promise<{ url: string, state: { policy: Policy, offsetS: number } }> {
  const { handler, state } = fakeBridge()
  const h = await HttpControl.listen('127.0.0.1:0', TOKEN, handler)
  t.teardown(() => h.close())
  return { url: `http://${h.address}`, state }
}

t.test('the Node API over HTTP and over the unix socket: same answers, same errors', async t => {
  const { url } = await http(t)
  const dir = mkdtempSync(path.join(tmpdir(), 'rstlab-api-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const sock = path.join(dir, 'c.sock')
  const srv = await ControlServer.listen(sock, fakeBridge().handler)
  t.teardown(() => srv.close())
  for (const [name, opts] of [['http', { url, token: TOKEN }], ['socket', { socket: sock }]] as const) {
    const fw = await connectControl(opts)
    t.equal((await fw.advanceClock(10)).offsetS, 10, `${name}: clock advance`)
    t.equal((await fw.advanceClock(9, { steps: 3, pauseMs: 1 })).advancedS, 9, `${name}: stepped advance sums its steps`)
    t.equal((await fw.clock()).offsetS, 19, `${name}: clock`)
    t.same(await fw.set('session.timeout-tcp', '30'), { key: 'session.timeout-tcp', value: 30, previous: 3600, rematch: false, forged: 0 }, `${name}: set`)
    t.same(await fw.get('session.timeout-tcp'), { 'session.timeout-tcp': 30 }, `${name}: get`)
    t.equal((await fw.set('tcp.allow-challenge-ack', true)).value, 'yes', `${name}: a JSON boolean is a value too`)
    await t.rejects(fw.set('session.timeout-tcp', '16000000'), { code: 'RSTLAB_ERR_POLICY', message: /timeout-tcp/ }, `${name}: bad value`)
    await t.rejects(fw.set('session.nope', '1'), { code: 'RSTLAB_ERR_USAGE', message: /unknown setting 'session.nope'/ }, `${name}: unknown setting`)
    await t.rejects(fw.advanceClock(0), { code: 'RSTLAB_ERR_USAGE' }, `${name}: a zero advance`)
    await t.rejects(fw.reset(3, 'reboot' as never), { code: 'RSTLAB_ERR_USAGE', message: /reset needs an action/ }, `${name}: bad action`)
    await t.rejects(fw.request({ cmd: 'reboot' } as never), { code: 'RSTLAB_ERR_CONTROL', message: /unknown control command/ }, `${name}: unknown command`)
    t.equal((await fw.get()).hasOwnProperty('emulator.reset-on-age-out'), true, `${name}: get lists every setting`)
  }
  await t.rejects(connectControl({ url, token: 'wrong-token-0123456789' }), { code: 'RSTLAB_ERR_CONTROL', message: /wrong token/ }, 'a wrong token is refused at connect')
  await t.rejects(connectControl({ socket: path.join(dir, 'none.sock') }), { code: 'RSTLAB_ERR_CONTROL', message: /no rstlab bridge/ })
})

t.test('HTTP listener: status codes and refusals', async t => {
  const { url, state } = await http(t)
  const req = async (method: string, p: string, opts: { token?: string | null, body?: string } = {}): Promise<{ status: number, body: { ok: boolean, error?: { code: string, message: string } }, allow: string | null }> => {
    const headers: Record<string, string> = { 'content-type': 'application/json' }
    if (opts.token !== null) headers.authorization = `Bearer ${opts.token ?? TOKEN}`
    const res = await fetch(url + p, { method, headers, ...(opts.body !== undefined ? { body: opts.body } : {}) })
    return { status: res.status, body: await res.json() as never, allow: res.headers.get('allow') }
  }
  t.equal((await req('GET', '/v1/sessions', { token: null })).status, 401, 'no token: 401')
  t.equal((await req('POST', '/v1/clock-advance', { token: 'x'.repeat(30), body: '{"seconds":5}' })).status, 401, 'wrong token: 401')
  t.equal(state.offsetS, 0, '... and nothing happened')
  t.equal((await req('GET', '/v1/nope', { token: null })).status, 401, 'the token is checked before anything is revealed')
  const unknown = await req('POST', '/v1/reboot', { body: '{}' })
  t.same([unknown.status, unknown.body.error?.message], [404, "unknown control command '/v1/reboot'"], 'unknown command: 404')
  const get = await req('GET', '/v1/clock-advance?seconds=5')
  t.same([get.status, get.allow], [405, 'POST'], 'GET on a command that changes things: 405, Allow: POST')
  t.equal((await req('DELETE', '/v1/sessions')).status, 405, 'DELETE: 405')
  t.same((await req('GET', '/v1/sessions')).body, { id: 1, ok: true, data: [] }, 'GET on a read-only command works')
  t.match(await req('GET', '/v1/get?key=session.timeout-tcp'), { status: 200, body: { ok: true, data: { 'session.timeout-tcp': 3600 } } }, 'query parameters')
  const bad = await req('POST', '/v1/set', { body: '{"key":"session.timeout-tcp","value":"soon"}' })
  t.same([bad.status, bad.body.error?.code], [400, 'RSTLAB_ERR_POLICY'], 'bad value: 400 with the policy loader\'s code')
  t.match(bad.body.error?.message, /rstlab set session\.timeout-tcp/, 'the message names where the value came from')
  t.equal((await req('POST', '/v1/clock-advance', { body: 'seconds=5' })).status, 400, 'a body that is not JSON: 400')
  t.equal((await req('POST', '/v1/clock-advance', { body: '[5]' })).status, 400, 'a body that is not an object: 400')
  t.equal((await req('POST', '/v1/clock-advance', { body: JSON.stringify({ seconds: 5, pad: 'x'.repeat(70000) }) }).catch(() => ({ status: 413 }))).status, 413, 'a body over 64 KiB: 413')
  t.equal(state.offsetS, 0, 'none of the refused requests changed anything')
  t.equal((await req('POST', '/v1/clock-advance', { body: '{"seconds":5}' })).status, 200)
  t.equal(state.offsetS, 5)
})

t.test('HTTP listener: loopback only, real token only', async t => {
  for (const a of ['127.0.0.1:9180', '127.1.2.3:80', 'localhost:9180', '[::1]:9180']) t.doesNotThrow(() => parseHttpAddress(a), a)
  for (const a of ['0.0.0.0:9180', '198.18.0.1:9180', '[::]:9180', '[2001:db8::1]:80', 'example.com:80']) {
    t.throws(() => parseHttpAddress(a), { code: 'RSTLAB_ERR_USAGE', message: /only loopback/ }, `${a} refused`)
  }
  for (const a of ['9180', '127.0.0.1', '127.0.0.1:99999', '127.0.0.1:x']) t.throws(() => parseHttpAddress(a), { code: 'RSTLAB_ERR_USAGE' }, `${a}: not HOST:PORT`)
  await t.rejects(HttpControl.listen('127.0.0.1:0', 'short', () => null), { code: 'RSTLAB_ERR_USAGE', message: /at least 16/ }, 'a short token is refused')
})

t.test('session filters (PAN-OS show session filter words)', async t => {
  const s = (o: Partial<SessionInfo>): SessionInfo => ({
    id: 1, proto: 'tcp', src: '198.18.0.1', sport: 40000, dst: '198.18.0.2', dport: 80, from: 'trust', to: 'untrust',
    application: 'web-browsing', rule: 'allow-all', action: 'allow', state: 'ACTIVE', endReason: null,
    packets: { c2s: 0, s2c: 0 }, bytes: { c2s: 0, s2c: 0 }, startUs: 0, lastUs: 0, timeoutS: 3600, expiresUs: 0, ...o,
  })
  const list = [s({ id: 1 }), s({ id: 2, dport: 443 }), s({ id: 3, src: '2001:db8::1', dst: '2001:db8::2', proto: 'udp', dport: 53, application: 'dns' }), s({ id: 4, state: 'DISCARD', from: 'untrust' })]
  const ids = (f: string): number[] => list.filter(parseSessionFilter(f)).map(x => x.id)
  t.same(ids('all'), [1, 2, 3, 4])
  t.same(ids('destination-port 80'), [1, 4])
  t.same(ids('destination-port 80 state active'), [1])
  t.same(ids('source 198.18.0.0/24 protocol 6'), [1, 2, 4])
  t.same(ids('destination 2001:db8::2 protocol udp'), [3])
  t.same(ids('source 198.18.0.1'), [1, 2, 4], 'an address alone is a /32')
  t.same(ids('from untrust'), [4])
  t.same(ids('id 2'), [2])
  t.same(ids('application web-browsing rule allow-all to untrust source-port 40000'), [1, 2, 4])
  for (const [f, why] of [['', /empty/], ['port 80', /unknown key 'port'/], ['destination-port', /has no value/], ['destination-port 70000', /port number/],
    ['source 300.1.1.1', /address or prefix/], ['protocol gre', /protocol must be/], ['state RUNNING', /state must be/], ['id x', /session id/]] as const) {
    t.throws(() => parseSessionFilter(f), { code: 'RSTLAB_ERR_USAGE', message: why }, `'${f}' refused`)
  }
})

t.test('get/set go through the policy loader; the running policy object is never modified', async t => {
  const p = loadPolicyText(POLICY, 'p.yaml')
  const before = allSettings(p)
  const q = policyWithSetting(p, 'emulator.addresses', '{trust: [198.18.0.254/24]}')
  t.same(getSetting(q, 'emulator.addresses'), { trust: ['198.18.0.254/24'] }, 'a YAML map value')
  t.throws(() => policyWithSetting(p, 'emulator.addresses', '{dmz: [198.18.0.254/24]}'), { code: 'RSTLAB_ERR_POLICY', message: /dmz/ }, 'an unknown zone, as in a file')
  t.throws(() => policyWithSetting(p, 'session.accelerated-aging-scaling-factor', '3'), { code: 'RSTLAB_ERR_POLICY', message: /power of two/ }, 'the loader\'s own extra checks apply')
  t.equal(getSetting(policyWithSetting(p, 'tcp.asymmetric-path', 'bypass'), 'tcp.asymmetric-path'), 'bypass')
  t.same(allSettings(p), before, 'p itself unchanged')
  t.throws(() => getSetting(p, 'tcp.allow-challenge-acks'), { code: 'RSTLAB_ERR_USAGE', message: /did you mean/i })
})
