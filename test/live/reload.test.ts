/**
 * Live: reloading a 100,000-rule policy does not stall forwarding. The policy is parsed and compiled in a
 * worker thread while the packet thread forwards with the old one; the swap takes one step. A UDP echo
 * every 5 ms through the bridge shows the forwarding gap. Before the worker, a SIGHUP with such a
 * policy stopped forwarding for the whole load (seconds here; 50 s and more in the issue) and SIGTERM
 * went unanswered meanwhile. Also: SIGTERM during a reload still stops the bridge promptly, and an
 * oversized file is refused with the old policy kept.
 */
import t from 'tap'
import { cpuLock } from './cpu-lock.js'
import { spawn } from 'node:child_process'
import readline from 'node:readline'
import { readFileSync, writeFileSync } from 'node:fs'
import { Bridge, liveSkipReason, makeLab, policy, sleep, tempDir } from './harness.js'
import { LAB } from '../lab/netns.js'

/** `n` rules that never match the echo (TCP to other addresses), then allow-all. */
function bigPolicy (n: number): string {
  const rules: string[] = []
  for (let i = 0; i < n; i++) {
    rules.push(`  - name: r${i}`, '    from: trust', '    to: untrust', `    destination: 198.19.${(i >> 8) & 255}.${i & 255}`,
      `    service: tcp/${1 + (i % 60000)}`, `    action: ${i % 3 === 0 ? 'drop' : 'allow'}`)
  }
  return policy({ rules: rules.join('\n') + '\n' })
}

const loadavg = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')

/**
 * A UDP echo through the bridge, one datagram every 5 ms: the server namespace echoes, the client
 * prints the arrival time of each echo (ms since the epoch) as a line. The client starts only once the
 * server has bound its port, and ignores socket errors: a datagram that arrives before the server is
 * up draws an ICMP port-unreachable, which a connected UDP socket raises as an 'error' event, and an
 * unhandled one would end the client (seen in CI under load: 0 echoes).
 */
class Echo {
  private readonly server
  private readonly children: Array<ReturnType<typeof spawn>> = []
  replies: number[] = []
  private waiters: Array<() => void> = []
  private readonly started: Promise<void>

  constructor (t: { teardown: (f: () => void) => void }, lab: { names: { client: string, server: string } }, host: string, port: number) {
    const serve = `const s = require('node:dgram').createSocket('udp4'); s.on('error', () => {})
      s.on('message', (m, r) => s.send(m, r.port, r.address)); s.bind(${port}, () => process.stdout.write('bound\\n'))`
    this.server = spawn('ip', ['netns', 'exec', lab.names.server, process.execPath, '-e', serve], { stdio: ['ignore', 'pipe', 'ignore'] })
    this.children.push(this.server)
    t.teardown(() => { for (const c of this.children) c.kill('SIGKILL') })
    this.started = new Promise((resolve, reject) => {
      this.server.stdout!.once('data', () => {
        const send = `const s = require('node:dgram').createSocket('udp4'); s.on('error', () => {})
          s.on('message', () => process.stdout.write((performance.timeOrigin + performance.now()).toFixed(3) + '\\n'))
          s.connect(${port}, '${host}', () => setInterval(() => s.send('x'), 5))`
        const client = spawn('ip', ['netns', 'exec', lab.names.client, process.execPath, '-e', send], { stdio: ['ignore', 'pipe', 'ignore'] })
        this.children.push(client)
        readline.createInterface({ input: client.stdout! }).on('line', line => {
          const x = Number(line)
          if (Number.isFinite(x)) this.replies.push(x)
          const w = this.waiters; this.waiters = []; for (const f of w) f()
        })
        resolve()
      })
      this.server.once('exit', code => reject(new Error(`the UDP echo server exited (${code}) before binding port ${port}`)))
    })
  }

  /** Resolves at the first echo, or rejects after `timeoutMs`. */
  async firstEcho (timeoutMs: number): Promise<void> {
    await this.started
    const deadline = Date.now() + timeoutMs
    while (this.replies.length === 0) {
      if (Date.now() > deadline) throw new Error(`no UDP echo through the bridge within ${timeoutMs} ms`)
      await new Promise<void>(resolve => { this.waiters.push(resolve); setTimeout(resolve, 50) })
    }
  }

  /** Longest time between two echoes arriving within [from, to] (ms since the epoch), and their count. */
  worstGap (from: number, to: number): { gap: number, n: number } {
    const xs = this.replies.filter(x => x >= from && x <= to)
    let gap = 0
    for (let i = 1; i < xs.length; i++) gap = Math.max(gap, xs[i]! - xs[i - 1]!)
    // The stretch before the first echo and after the last count too: a stall at the edge is a gap.
    if (xs.length > 0) gap = Math.max(gap, xs[0]! - from, to - xs[xs.length - 1]!)
    else gap = to - from
    return { gap, n: xs.length }
  }

  stop (): void {
    for (const c of this.children) c.kill('SIGKILL')
  }
}

const skip = liveSkipReason()
if (skip !== undefined) t.plan(0, skip)
else {
  const lab = makeLab(t)
  const big = bigPolicy(100_000)

  t.test('a 100,000-rule reload leaves no forwarding gap over 100 ms', async t => {
    await cpuLock(t)
    const dir = tempDir(t)
    const bridge = new Bridge(t, lab, dir, policy())
    await bridge.ready()
    const ping = new Echo(t, lab, LAB.server4, 5007)
    await ping.firstEcho(30_000)
    await sleep(500)
    // The same stretch without a reload: what this (shared) machine's scheduling alone costs.
    const c0 = Date.now()
    await sleep(2000)
    const c1 = Date.now()
    const r0 = Date.now()
    await bridge.reload(big)
    await sleep(300) // echoes of datagrams sent just before the swap
    const r1 = Date.now()
    await sleep(100) // the last lines from the client
    ping.stop()
    const control = ping.worstGap(c0, c1)
    const during = ping.worstGap(r0, r1)
    t.ok(control.n >= 20, `the echo gets through the bridge (${control.n} echoes in 2 s)`)
    const msg = /policy reloaded from .*\(loaded in ([\d.]+) s off the packet path; swap ([\d.]+) ms\)/.exec(bridge.stderr)
    t.ok(msg !== null, 'reloaded off the packet path')
    t.comment(`reload of 100,000 rules: ${((r1 - r0) / 1000).toFixed(1)} s, worker ${msg?.[1]} s, swap on the packet thread ${msg?.[2]} ms; ` +
      `worst echo gap ${during.gap.toFixed(0)} ms over ${during.n} replies (without a reload: ${control.gap.toFixed(0)} ms); load average ${loadavg()}`)
    t.ok(Number(msg?.[2]) < 100, 'the swap itself is short')
    // 100 ms is the goal; on a machine so loaded that scheduling alone makes gaps near it, allow twice that.
    const limit = Math.max(100, 2 * control.gap)
    t.ok(during.gap <= limit, `worst gap during the reload ${during.gap.toFixed(0)} ms ≤ ${limit.toFixed(0)} ms`)
    const reply = await bridge.request({ cmd: 'info' })
    t.equal(reply.policy, bridge.policyPath, 'the bridge still answers its control socket')
    t.equal(await bridge.stop(), 0)
  })

  t.test('SIGTERM during a reload stops the bridge; an oversized file is refused and changes nothing', async t => {
    await cpuLock(t)
    const dir = tempDir(t)
    const bridge = new Bridge(t, lab, dir, policy({ rules: '  - name: keep-me\n    service: [tcp/21]\n    action: reset-client\n' }))
    await bridge.ready()
    // Over the 32 MB policy-file limit: refused before it is read.
    writeFileSync(bridge.policyPath, Buffer.alloc(33 << 20, '#'))
    let before = bridge.stderr.length
    bridge.signal('SIGHUP')
    const deadline = Date.now() + 30_000
    while (!/reload refused/.test(bridge.stderr.slice(before)) && Date.now() < deadline) await sleep(20)
    t.match(bridge.stderr.slice(before), /policy reload refused, keeping the running policy: .*policy file .* is 33\.0 MB/, 'oversized file refused, said so')
    const rules = await bridge.request({ cmd: 'rules' })
    t.same(rules.rules.map(r => r.name), ['keep-me', 'allow-all'], 'the old rules are still in force')
    writeFileSync(bridge.policyPath, big)
    before = bridge.stderr.length
    bridge.signal('SIGHUP')
    await sleep(300) // the worker is reading the file
    const t0 = Date.now()
    bridge.signal('SIGTERM')
    const code = await bridge.exit(20_000)
    const ms = Date.now() - t0
    t.equal(code, 0, 'exit code 0')
    t.comment(`SIGTERM to exit during a reload: ${ms} ms (load average ${loadavg()})`)
    t.ok(ms < 10_000, `stopped in ${ms} ms (goal 2 s on an idle machine; the bound allows for a loaded one)`)
    t.notMatch(bridge.stderr.slice(before), /policy reloaded/, 'the cancelled reload put nothing in force')
  })
}
