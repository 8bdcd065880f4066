/**
 * `rstlab explain` on a live corpus: real Linux TCP endpoints in network namespaces with a real
 * Linux router between them, captured with tcpdump next to the client.
 *
 * ```
 *  [client] c0 198.18.0.1 ── r0 198.18.0.254 [router] r1 198.18.1.254 ── s0 198.18.1.2 [server]
 * ```
 *
 * The server's initial TTL is 50 (it looks 15 hops away from the client side); the router runs
 * nftables and conntrack: port 83 `reject with tcp reset` at the SYN, 84 `reject with icmpx type
 * admin-prohibited`, 85 `drop`, 86 `reject with tcp reset` for the first data segment, 87
 * `ct state invalid drop` with a 2 s established timeout and no loose pickup (the idle session is
 * forgotten and its next data dropped), 88 drops the client's RSTs (so a reconnect from the same
 * port meets the server's challenge ACK again and again), UDP 84 `reject with icmpx type
 * admin-prohibited`. Port 81 aborts with SO_LINGER 0, 82 is closed, 80 is a normal echo service, and
 * nothing listens on UDP 89 (the server's kernel answers with port unreachable).
 *
 * Ground truth from outside rstlab: a second tcpdump on the server's own interface. A RST that
 * claims the server and reached the client is the server's iff the same RST (ports, seq, ack) left
 * the server; RSTs from the client were captured at the client itself; an ICMP error from an
 * address that is not the server's is the router's. tshark reads both captures.
 */
import t from 'tap'
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { liveSkipReason } from '../live/harness.js'
import { explainCapture, onPort, scorePart, truthFromOwnCaptures } from './score.js'

const skip = liveSkipReason() ?? (() => {
  for (const tool of ['nft', 'python3', 'tshark']) {
    try { execFileSync(tool, ['--version'], { stdio: 'ignore' }) } catch {
      if (process.env.CI === 'true') throw new Error(`the explain live corpus needs ${tool} in CI`)
      return `needs ${tool}`
    }
  }
  return undefined
})()
if (skip !== undefined) t.plan(0, skip)

const P = `rx${process.pid}`
const NS = { client: `${P}-client`, router: `${P}-router`, server: `${P}-server` }
const C4 = '198.18.0.1'
const R0 = '198.18.0.254'
const R1 = '198.18.1.254'
const S4 = '198.18.1.2'

function sh (args: string[], ignore = false): string {
  try {
    return execFileSync(args[0]!, args.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  } catch (e) {
    if (ignore) return ''
    throw new Error(`\`${args.join(' ')}\` failed: ${String((e as { stderr?: string }).stderr ?? e)}`)
  }
}
const inNs = (ns: string, args: string[]): string => sh(['ip', 'netns', 'exec', ns, ...args])

function down (): void {
  for (const ns of Object.values(NS)) sh(['ip', 'netns', 'del', ns], true)
}

/**
 * Namespaces an earlier run of this test left behind when it was killed (`rx<pid>-client|router|server`
 * whose pid is no longer alive). A live pid's namespaces belong to a run in progress: never touched.
 */
function sweepStale (): void {
  for (const line of sh(['ip', 'netns', 'list'], true).split('\n')) {
    const name = line.split(' ')[0] ?? ''
    const m = /^rx(\d+)-(client|router|server)$/.exec(name)
    if (m === null || Number(m[1]) === process.pid) continue
    try { process.kill(Number(m[1]), 0); continue } catch (e) { if ((e as NodeJS.ErrnoException).code === 'EPERM') continue }
    sh(['ip', 'netns', 'del', name], true)
  }
}

function up (): void {
  for (const ns of Object.values(NS)) sh(['ip', 'netns', 'add', ns])
  sh(['ip', 'link', 'add', 'c0', 'netns', NS.client, 'type', 'veth', 'peer', 'name', 'r0', 'netns', NS.router])
  sh(['ip', 'link', 'add', 's0', 'netns', NS.server, 'type', 'veth', 'peer', 'name', 'r1', 'netns', NS.router])
  const iface = (ns: string, ifn: string, cidr: string): void => {
    inNs(ns, ['ethtool', '-K', ifn, 'tx', 'off', 'tso', 'off', 'gso', 'off', 'gro', 'off'])
    inNs(ns, ['ip', 'addr', 'add', cidr, 'dev', ifn])
    inNs(ns, ['ip', 'link', 'set', ifn, 'up'])
  }
  iface(NS.client, 'c0', `${C4}/24`)
  iface(NS.router, 'r0', `${R0}/24`)
  iface(NS.router, 'r1', `${R1}/24`)
  iface(NS.server, 's0', `${S4}/24`)
  for (const ns of Object.values(NS)) inNs(ns, ['ip', 'link', 'set', 'lo', 'up'])
  inNs(NS.client, ['ip', 'route', 'add', 'default', 'via', R0])
  inNs(NS.server, ['ip', 'route', 'add', 'default', 'via', R1])
  inNs(NS.server, ['sysctl', '-qw', 'net.ipv4.ip_default_ttl=50'])
  inNs(NS.router, ['sysctl', '-qw', 'net.ipv4.ip_forward=1'])
  const rules = `table inet rstlab_explain {
  chain forward_filter {
    type filter hook forward priority 0; policy accept;
    tcp dport 83 reject with tcp reset
    tcp dport 84 reject with icmpx type admin-prohibited
    tcp dport 85 drop
    tcp dport 86 ip length > 150 reject with tcp reset
    tcp dport 87 ct state invalid drop
    tcp sport 87 ct state invalid drop
    tcp dport 88 tcp flags & rst == rst drop
    udp dport 84 reject with icmpx type admin-prohibited
  }
}
`
  const file = path.join(dir, 'router.nft')
  writeFileSync(file, rules)
  inNs(NS.router, ['nft', '-f', file])
  inNs(NS.router, ['sysctl', '-qw', 'net.netfilter.nf_conntrack_tcp_timeout_established=2', 'net.netfilter.nf_conntrack_tcp_loose=0'])
}

const SERVER_PY = String.raw`
import socket, struct, threading, sys
def echo(c):
    try:
        while True:
            d = c.recv(4096)
            if not d: break
            c.sendall(d)
    except OSError: pass
    c.close()
def abort(c):
    try: c.recv(4096)
    except OSError: pass
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0)); c.close()
def serve(port, fn):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(('0.0.0.0', port)); s.listen(16)
    def loop():
        while True:
            c, _ = s.accept()
            threading.Thread(target=fn, args=(c,), daemon=True).start()
    threading.Thread(target=loop, daemon=True).start()
for p in (80, 86, 87, 88): serve(p, echo)
serve(81, abort)
print('ready', flush=True)
sys.stdin.read()
`

const CLIENT_PY = String.raw`
import socket, struct, threading, time
S = '${S4}'
def conn(port, timeout=2.0, sport=0):
    s = socket.socket(); s.settimeout(timeout)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if sport: s.bind(('${C4}', sport))
    s.connect((S, port)); return s
def linger0(s):
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0)); s.close()
def attempt(fn):
    try: fn()
    except OSError as e: print('case', fn.__name__, type(e).__name__, flush=True)
def baseline():
    for i in range(3):
        s = conn(80); s.sendall(b'hello'); s.recv(100); s.close(); time.sleep(0.02)
def abort81():
    s = conn(81); s.sendall(b'x' * 50); s.recv(100); s.recv(100)
def closed82(): conn(82)
def reject83(): conn(83)
def icmp84(): conn(84)
def drop85(): conn(85, timeout=3.5)
def data86():
    s = conn(86); s.sendall(b'y' * 200); s.recv(100)
def idle87():
    s = conn(87); s.sendall(b'a' * 20); s.recv(100)
    time.sleep(3.0); s.sendall(b'b' * 60); time.sleep(1.5); linger0(s)
def hang88():
    s = conn(88, sport=45088); s.sendall(b'c' * 20); s.recv(100); linger0(s)
    time.sleep(0.3); conn(88, timeout=2.5, sport=45088)
def udp():
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.sendto(b'q' * 20, (S, 84)); time.sleep(0.05)
    u.sendto(b'q' * 20, (S, 89)); time.sleep(0.05)
    u.close()
attempt(baseline)
threads = [threading.Thread(target=attempt, args=(f,)) for f in (drop85, idle87, hang88)]
for th in threads: th.start()
for f in (abort81, closed82, reject83, icmp84, data86, udp): attempt(f); time.sleep(0.05)
for th in threads: th.join()
print('done', flush=True)
`

const dir = mkdtempSync(path.join(tmpdir(), 'rstlab-explain-live-'))
const children: ChildProcess[] = []

function startTcpdump (ns: string, ifn: string, file: string): Promise<ChildProcess> {
  const p = spawn('ip', ['netns', 'exec', ns, 'tcpdump', '-i', ifn, '-U', '-n', '-s', '256', '-w', file, 'tcp or icmp or udp'], { stdio: ['ignore', 'ignore', 'pipe'] })
  children.push(p)
  return new Promise((resolve, reject) => {
    let err = ''
    p.stderr!.on('data', (d: Buffer) => { err += d.toString(); if (/listening on/.test(err)) resolve(p) })
    p.on('exit', code => { reject(new Error(`tcpdump exited ${String(code)}: ${err}`)) })
  })
}

function stop (p: ChildProcess): Promise<void> {
  return new Promise(resolve => {
    if (p.exitCode !== null || p.signalCode !== null) { resolve(); return }
    p.once('exit', () => { resolve() })
    p.kill('SIGTERM')
  })
}

t.teardown(async () => {
  for (const p of children) await stop(p)
  down()
  rmSync(dir, { recursive: true, force: true })
})

// Killed (Ctrl-C, a CI timeout's SIGTERM): tap's teardown does not run, so clean up here.
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    for (const p of children) p.kill('SIGKILL')
    down()
    rmSync(dir, { recursive: true, force: true })
    process.exit(sig === 'SIGINT' ? 130 : 143)
  })
}

t.test('the start-up sweep removes namespaces of dead runs only', async t => {
  // A pid that existed and has exited, and one that is alive (our parent, the test runner).
  const dead = spawn(process.execPath, ['-e', '0'])
  await new Promise(resolve => dead.once('exit', resolve))
  const stale = `rx${dead.pid!}-client`
  const live = `rx${process.ppid}-server`
  try {
    sh(['ip', 'netns', 'add', stale]); sh(['ip', 'netns', 'add', live])
    sweepStale()
    const names = sh(['ip', 'netns', 'list']).split('\n').map(l => l.split(' ')[0])
    t.notOk(names.includes(stale), `${stale} (pid gone) removed`)
    t.ok(names.includes(live), `${live} (pid alive) kept`)
  } finally {
    sh(['ip', 'netns', 'del', stale], true); sh(['ip', 'netns', 'del', live], true)
  }
})

t.test('real endpoints and a real router: who reset what, and which patterns', async t => {
  sweepStale()
  down()
  up()
  const clientCap = path.join(dir, 'client.pcap')
  const serverCap = path.join(dir, 'server.pcap')
  const tc = await startTcpdump(NS.client, 'c0', clientCap)
  const ts = await startTcpdump(NS.server, 's0', serverCap)
  const server = spawn('ip', ['netns', 'exec', NS.server, 'python3', '-c', SERVER_PY], { stdio: ['pipe', 'pipe', 'inherit'] })
  children.push(server)
  await new Promise<void>(resolve => { server.stdout!.on('data', (d: Buffer) => { if (d.toString().includes('ready')) resolve() }) })
  const out = execFileSync('ip', ['netns', 'exec', NS.client, 'python3', '-c', CLIENT_PY], { encoding: 'utf8', timeout: 30_000 })
  t.match(out, /done/)
  await new Promise(resolve => setTimeout(resolve, 300)) // tcpdump -U flushes per packet; let the last ones land
  await stop(tc); await stop(ts); server.stdin!.end(); await stop(server)

  // Ground truth, from tshark over both captures (score.ts): a RST claiming the server is its own
  // iff it left the server; the client's RSTs were captured at the client; an ICMP error from an
  // address that is not an endpoint's is the router's.
  const truth = await truthFromOwnCaptures(clientCap, new Map([[C4, clientCap], [S4, serverCap]]))
  t.ok(truth.size >= 8, `the corpus holds ${truth.size} reset events`)
  t.ok([...truth.values()].includes('middlebox') && [...truth.values()].includes('endpoint'), 'both kinds of sender present')
  const reports = await explainCapture(clientCap)
  scorePart(t, 'router/client-side', truth, reports, [
    onPort(81, 'endpoint-abort', '81 SO_LINGER 0'),
    onPort(82, 'closed-port', '82 closed'),
    onPort(83, 'reset-at-syn', '83 reject with tcp reset'),
    onPort(84, 'drop-icmp', '84 icmpx admin-prohibited'),
    onPort(85, 'silent-drop', '85 drop'),
    onPort(86, 'reset-after-data', '86 reset after the first data'),
    onPort(87, 'idle-expiry', '87 conntrack forgot the idle session'),
    onPort(88, 'challenge-ack-hang', '88 challenge ACKs between real kernels'),
    { what: 'udp 84: icmpx admin-prohibited from the router', pattern: 'drop-icmp', where: r => r.connection.protocol === 'udp' && r.connection.serverPort === 84 },
    { what: 'udp 89: the server\'s own port unreachable', pattern: 'closed-port', where: r => r.connection.protocol === 'udp' && r.connection.serverPort === 89 },
  ])
  const named = (port: number): string[] => reports.filter(r => r.connection.serverPort === port).flatMap(r => r.patterns.map(p => p.pattern))
  t.same(named(80), [], 'the normal connections name nothing')
  // Linux builds an abort's RST with the socket's state (tcp_send_active_reset): it carries the
  // connection's timestamp option, and the clock it continues is the aborting side's own.
  const aborts = reports.filter(r => r.connection.serverPort === 81).flatMap(r => r.resets)
  t.ok(aborts.length > 0 && aborts.every(e => e.evidence.some(x => x.kind === 'rst-ts-continues')),
    `SO_LINGER 0 aborts continue the sender's TCP timestamp clock (${aborts.map(e => e.evidence.map(x => x.kind).join('+')).join('; ')})`)
  // nftables' reject builds its RST from the offending packet alone: window 0, no options.
  const rejects = reports.filter(r => r.connection.serverPort === 83 || r.connection.serverPort === 86).flatMap(r => r.resets)
  t.ok(rejects.length > 0 && rejects.every(e => e.evidence.some(x => x.kind === 'rst-bare')), 'reject with tcp reset: window 0, no options')
})
