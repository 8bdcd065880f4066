/**
 * Live: frames the kernel drops in the capture ring, because a flood arrives faster than rstlab reads,
 * are counted (rstlab_rcv_ring_drop), and the count adds up: frames delivered to rstlab (engine
 * pkt_recv + shed + truncated) plus frames counted as ring drops equal the frames the endpoints sent
 * into the ports (their veths' tx_packets). A quiet run counts none. Before, such frames were counted
 * nowhere (issue #20: at 57k SYN/s only ~20 % of the frames reached the engine, silently).
 */
import t from 'tap'
import { cpuLock } from './cpu-lock.js'
import { execFileSync, spawn } from 'node:child_process'
import { Bridge, liveSkipReason, makeLab, policy, sleep, tempDir } from './harness.js'
import { LAB } from '../lab/netns.js'

const skip = liveSkipReason()
if (skip !== undefined) t.plan(0, skip)
else {
  t.test('capture-ring drops under a UDP flood are counted and add up', async t => {
    await cpuLock(t)
    const lab = makeLab(t)
    const dir = tempDir(t)
    // A small ring (1 MB) so that the flood overruns it for sure.
    const bridge = new Bridge(t, lab, dir, policy({ allowAll: true }), { args: ['--ring-mb', '1'] })
    await bridge.ready()
    const inNs = (ns: 'client' | 'server', args: string[]): string => {
      const argv = [...lab.exec(ns), ...args]
      return execFileSync(argv[0]!, argv.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
    }
    const stat = (ns: 'client' | 'server', ifn: string, f: string): number =>
      Number(inNs(ns, ['cat', `/sys/class/net/${ifn}/statistics/${f}`]).trim())
    const sent = (): number => stat('client', LAB.clientIf, 'tx_packets') + stat('server', LAB.serverIf, 'tx_packets')

    // Quiet: 20 datagrams 20 ms apart; nothing lost.
    const c0 = sent()
    inNs('client', ['hping3', '--udp', '-q', '-c', '20', '-i', 'u20000', '-p', '9', LAB.server4])
    t.equal(await bridge.counter('rstlab_rcv_ring_drop'), 0, 'a quiet run counts no ring drops')

    // Flood: hping3 sends 64-byte UDP datagrams as fast as it can for 2 s (one flow: the engine's cheapest path).
    const argv = [...lab.exec('client'), 'hping3', '--udp', '--flood', '-q', '-p', '9', '-s', '40000', '-k', '-d', '18', LAB.server4]
    const flood = spawn(argv[0]!, argv.slice(1), { stdio: 'ignore' })
    t.teardown(() => { if (flood.exitCode === null) flood.kill('SIGKILL') })
    const floodExit = new Promise(resolve => flood.once('exit', resolve))
    await sleep(2000) // the flood's duration, not a wait for an event
    flood.kill('SIGINT')
    await floodExit
    await bridge.settled(600) // what is left in the ring read
    const total = sent() - c0
    const drop = await bridge.counter('rstlab_rcv_ring_drop')
    const delivered = await bridge.counter('pkt_recv') + await bridge.counter('rstlab_rcv_shed') + await bridge.counter('rstlab_rcv_truncated')
    t.comment(`flood: ${total} frames sent into the ports, ${delivered} delivered to rstlab, ${drop} counted as ring drops ` +
      `(${(100 * drop / total).toFixed(1)} %); rx_dropped on the ports: ${await bridge.counter('rstlab_rcv_if_drop')}`)
    t.ok(total > 10_000, 'the flood sent frames')
    t.ok(drop > 0, 'the ring overran and the drops are counted')
    // Every frame sent into a port was either delivered or counted as dropped (a little slack for
    // frames the kernel adds or drops on its own, such as IPv6 neighbour traffic).
    const slack = 20 + Math.ceil(total * 0.001)
    t.ok(Math.abs(delivered + drop - total) <= slack, `delivered + dropped (${delivered + drop}) = sent (${total}) ± ${slack}`)

    await bridge.stop()
    t.match(bridge.stdout + bridge.stderr, /rstlab_rcv_ring_drop\s+\d+/, 'the final counter table shows the ring drops')
  })
}
