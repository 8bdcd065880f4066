/**
 * `rstlab explain` on captures of rstlab's OWN bridge between real Linux kernels (the live lab of
 * test/lab/netns.ts: client ─ fw ─ server, `rstlab bridge` in fw). The server's initial TTL (hop
 * limit) is 54 and the client's 60, so both look hops away while the firewall forges with 64.
 *
 * Built to contain (the policy and the endpoints' actions):
 * - tcp/21 rule reset-client, IPv4 and IPv6: a forged RST|ACK answers the SYN (reset-at-syn);
 * - tcp/23 allowed, nothing listens: the server kernel's own RST|ACK (closed-port);
 * - tcp/5004: the client aborts with SO_LINGER 0 after data (endpoint-abort);
 * - threat signatures on the first payload: tcp/8081 reset-server, 8082 reset-both, 8083
 *   reset-client (reset-after-data; reset-both where a capture sees both directions);
 * - tcp/8084 rule drop with ICMP unreachable: an ICMP error from the firewall's address (drop-icmp);
 * - tcp/5005 idle longer than the 2 s TCP timeout with reset-on-age-out both (idle-expiry, and
 *   reset-both where both directions are seen).
 *
 * Captures: tcpdump on the client's own interface, on the server's own interface, and on the
 * firewall's two wires outbound only (`-i any -Q out`: every frame the bridge sent, both
 * directions, each once). Truth from the endpoints' own captures (see score.ts), read by tshark.
 */
import t from 'tap'
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { Agent, Bridge, Capture, liveSkipReason, makeLab, sleep, tempDir } from '../live/harness.js'
import { LAB } from '../lab/netns.js'
import { tsharkPresent } from '../helpers/tshark.js'
import type { ConnectionReport } from '../../src/explain/index.js'
import { explainCapture, scorePart, truthFromOwnCaptures, type BuiltPattern } from './score.js'

const skip = liveSkipReason() ?? (tsharkPresent() ? undefined : (() => {
  if (process.env.CI === 'true') throw new Error('the explain bridge corpus needs tshark in CI')
  return 'needs tshark'
})())
if (skip !== undefined) t.plan(0, skip)

const CLIENT_TTL = 60

const POLICY = `# the explain bridge corpus (test/explain/bridge-corpus.test.ts)
settings:
  session: { timeout-tcp: 2 }
  emulator: { forged-ttl: 64, forged-hop-limit: 64, reset-on-age-out: both, addresses: { trust: [${LAB.fw4}/24] } }
zones:
  trust:   { interfaces: [fwc] }
  untrust: { interfaces: [fws] }
rules:
  - { name: block-ftp, from: [trust], to: [untrust], service: [tcp/21], action: reset-client }
  - { name: drop-8084, from: [trust], to: [untrust], service: [tcp/8084], action: drop, icmp-unreachable: yes }
  - { name: inspected, from: [trust], to: [untrust], service: [tcp/8081, tcp/8082, tcp/8083], action: allow, profile: ips }
  - { name: allow-all, from: any, to: any, action: allow }
threats:
  signatures:
    - { name: to-server, content: "aaaa", direction: c2s, service: [tcp/8081], severity: high, action: reset-server }
    - { name: to-both, content: "aaaa", direction: c2s, service: [tcp/8082], severity: high, action: reset-both }
    - { name: to-client, content: "aaaa", direction: c2s, service: [tcp/8083], severity: high, action: reset-client }
  profiles:
    ips: [to-server, to-both, to-client]
`

if (skip === undefined) {
  t.test('rstlab\'s own bridge between real kernels: who reset what, on each capture', async t => {
    const lab = makeLab(t)
    execFileSync('ip', ['netns', 'exec', lab.names.client, 'sysctl', '-qw', `net.ipv4.ip_default_ttl=${CLIENT_TTL}`, `net.ipv6.conf.${LAB.clientIf}.hop_limit=${CLIENT_TTL}`])
    const dir = tempDir(t)
    const bridge = new Bridge(t, lab, dir, POLICY)
    const server = new Agent(t, lab, 'server')
    const client = new Agent(t, lab, 'client')
    await Promise.all([bridge.ready(), server.ready(), client.ready()])
    for (const port of [5002, 5004, 5005, 8081, 8082, 8083, 8084]) server.send({ op: 'listen', tag: `p${port}`, port })
    for (const port of [5002, 5004, 5005, 8081, 8082, 8083, 8084]) await server.expect(e => e.ev === 'listening' && e.tag === `p${port}`, 5000, `listening on ${port}`)
    const caps = {
      client: new Capture(t, lab, dir, 'client', LAB.clientIf, 'tcp or icmp or icmp6'),
      server: new Capture(t, lab, dir, 'server', LAB.serverIf, 'tcp or icmp or icmp6'),
    }
    // The firewall's wires, outbound: what the bridge sent either way (the harness Capture has no -Q).
    const pathFile = path.join(dir, 'fw-out.pcap')
    const fwCap = new CaptureQ(t, lab.exec('fw'), pathFile)
    await Promise.all([caps.client.ready(), caps.server.ready(), fwCap.ready()])

    const done = (id: string, what: string): Promise<unknown> => client.expect(e => e.id === id && (e.ev === 'error' || e.ev === 'close'), 10_000, what)
    // Baseline connections to both of the server's addresses: what its own packets look like.
    for (let i = 0; i < 4; i++) {
      client.send({ op: 'connect', id: `base${i}`, host: i % 2 === 0 ? LAB.server4 : LAB.server6, port: 5002 })
      await client.expect(e => e.id === `base${i}` && e.ev === 'connected', 5000, 'baseline connected')
      client.send({ op: 'write', id: `base${i}`, bytes: 10 })
      await server.expect(e => e.ev === 'data' && e.id === `p5002#${i + 1}` && e.bytes === 10, 5000, 'baseline data')
      client.send({ op: 'end', id: `base${i}` })
      server.send({ op: 'end', id: `p5002#${i + 1}` })
      await done(`base${i}`, 'baseline closed')
    }
    client.send({ op: 'connect', id: 'ftp4', host: LAB.server4, port: 21 })
    client.send({ op: 'connect', id: 'ftp6', host: LAB.server6, port: 21 })
    client.send({ op: 'connect', id: 'closed', host: LAB.server4, port: 23 })
    for (const id of ['ftp4', 'ftp6', 'closed']) t.equal((await client.expect(e => e.id === id && e.ev === 'error', 5000, id)).code, 'ECONNREFUSED', `${id}: refused`)

    client.send({ op: 'connect', id: 'abort', host: LAB.server4, port: 5004 })
    await client.expect(e => e.id === 'abort' && e.ev === 'connected', 5000, 'abort connected')
    client.send({ op: 'write', id: 'abort', bytes: 10 })
    await server.expect(e => e.ev === 'data' && e.id === 'p5004#1', 5000, 'abort data')
    client.send({ op: 'rst', id: 'abort' })
    t.equal((await server.expect(e => e.id === 'p5004#1' && e.ev === 'error', 5000, 'server sees the abort')).code, 'ECONNRESET')

    for (const port of [8081, 8082, 8083]) {
      const id = `t${port}`
      client.send({ op: 'connect', id, host: LAB.server4, port })
      await client.expect(e => e.id === id && e.ev === 'connected', 5000, `${id} connected`)
      client.send({ op: 'write', id, bytes: 10 })
    }
    t.equal((await server.expect(e => e.id === 'p8081#1' && e.ev === 'error', 5000, 'reset-server reached the server')).code, 'ECONNRESET')
    t.equal((await server.expect(e => e.id === 'p8082#1' && e.ev === 'error', 5000, 'reset-both reached the server')).code, 'ECONNRESET')
    t.equal((await client.expect(e => e.id === 't8082' && e.ev === 'error', 5000, 'reset-both reached the client')).code, 'ECONNRESET')
    t.equal((await client.expect(e => e.id === 't8083' && e.ev === 'error', 5000, 'reset-client reached the client')).code, 'ECONNRESET')
    client.send({ op: 'rst', id: 't8081' }) // the client of reset-server is left retransmitting: it gives up

    client.send({ op: 'connect', id: 'icmp', host: LAB.server4, port: 8084 })
    t.equal((await client.expect(e => e.id === 'icmp' && e.ev === 'error', 5000, 'tcp/8084 refused by ICMP')).code, 'EHOSTUNREACH', 'tcp/8084: ICMP admin-prohibited (EHOSTUNREACH)')

    client.send({ op: 'connect', id: 'idle', host: LAB.server4, port: 5005 })
    await client.expect(e => e.id === 'idle' && e.ev === 'connected', 5000, 'idle connected')
    client.send({ op: 'write', id: 'idle', bytes: 10 })
    await server.expect(e => e.ev === 'data' && e.id === 'p5005#1', 5000, 'idle data')
    t.equal((await client.expect(e => e.id === 'idle' && e.ev === 'error', 15_000, 'age-out reset the client')).code, 'ECONNRESET', 'reset-on-age-out: the client is reset')
    t.equal((await server.expect(e => e.id === 'p5005#1' && e.ev === 'error', 5000, 'age-out reset the server')).code, 'ECONNRESET', 'and the server')
    await sleep(200)
    await caps.client.stop(); await caps.server.stop(); await fwCap.stop()
    t.equal(await bridge.stop(), 0, 'bridge exits 0')

    const own = new Map([[LAB.client4, caps.client.file], [LAB.client6, caps.client.file], [LAB.server4, caps.server.file], [LAB.server6, caps.server.file]])
    const port = (p: number) => (r: ConnectionReport): boolean => r.connection.serverPort === p
    const v6 = (r: ConnectionReport): boolean => r.connection.ipVersion === 6
    const parts: Array<[string, string, BuiltPattern[]]> = [
      ['bridge/client-side', caps.client.file, [
        { what: 'tcp/21 reset-client (IPv4)', pattern: 'reset-at-syn', where: r => port(21)(r) && !v6(r) },
        { what: 'tcp/21 reset-client (IPv6)', pattern: 'reset-at-syn', where: r => port(21)(r) && v6(r) },
        { what: 'tcp/23 closed', pattern: 'closed-port', where: port(23) },
        { what: 'tcp/5004 client abort', pattern: 'endpoint-abort', where: port(5004) },
        { what: 'tcp/8082 threat reset-both', pattern: 'reset-after-data', where: port(8082) },
        { what: 'tcp/8083 threat reset-client', pattern: 'reset-after-data', where: port(8083) },
        { what: 'tcp/8084 drop with ICMP', pattern: 'drop-icmp', where: port(8084) },
        { what: 'tcp/5005 aged out, reset both', pattern: 'idle-expiry', where: port(5005) },
      ]],
      ['bridge/server-side', caps.server.file, [
        { what: 'tcp/23 closed', pattern: 'closed-port', where: port(23) },
        { what: 'tcp/5004 client abort', pattern: 'endpoint-abort', where: port(5004) },
        // The payload that matched was dropped: the server saw a reset before any data.
        { what: 'tcp/8081 threat reset-server', pattern: 'reset-midstream', where: port(8081) },
        { what: 'tcp/8082 threat reset-both', pattern: 'reset-midstream', where: port(8082) },
        { what: 'tcp/5005 aged out, reset both', pattern: 'idle-expiry', where: port(5005) },
      ]],
      ['bridge/firewall-out', pathFile, [
        // The bridge kept the SYNs: the RST|ACK seq 0 alone says it answered one.
        { what: 'tcp/21 reset-client (IPv4)', pattern: 'reset-at-syn', where: r => port(21)(r) && !v6(r) },
        { what: 'tcp/21 reset-client (IPv6)', pattern: 'reset-at-syn', where: r => port(21)(r) && v6(r) },
        { what: 'tcp/8082 threat reset-both', pattern: 'reset-both', where: port(8082) },
        { what: 'tcp/8084 drop with ICMP', pattern: 'drop-icmp', where: port(8084) },
        { what: 'tcp/5005 aged out, reset both', pattern: 'reset-both', where: port(5005) },
      ]],
    ]
    for (const [part, file, built] of parts) {
      const truth = await truthFromOwnCaptures(file, own)
      t.ok([...truth.values()].includes('middlebox'), `${part}: the capture holds forged resets`)
      scorePart(t, part, truth, await explainCapture(file), built)
    }
  })
}

/** tcpdump on every interface of a namespace, outbound frames only. */
class CaptureQ {
  private readonly proc: ChildProcess
  private err = ''
  private readonly exited: Promise<void>
  constructor (t: { teardown (fn: () => void | Promise<void>): void }, exec: string[], readonly file: string) {
    this.proc = spawn(exec[0]!, [...exec.slice(1), 'tcpdump', '-i', 'any', '-Q', 'out', '-nn', '-U', '--immediate-mode', '-w', file, 'tcp or icmp or icmp6'], { stdio: ['ignore', 'ignore', 'pipe'] })
    this.proc.stderr!.setEncoding('utf8').on('data', (d: string) => { this.err += d })
    this.exited = new Promise(resolve => this.proc.once('exit', () => resolve()))
    t.teardown(async () => { if (this.proc.exitCode === null) { this.proc.kill('SIGKILL'); await this.exited } })
  }

  async ready (): Promise<void> {
    const deadline = Date.now() + 60_000
    while (!/listening on/.test(this.err)) {
      if (Date.now() > deadline || this.proc.exitCode !== null) throw new Error(`tcpdump did not start: ${this.err}`)
      await sleep(20)
    }
  }

  async stop (): Promise<void> { await sleep(100); this.proc.kill('SIGINT'); await this.exited }
}
