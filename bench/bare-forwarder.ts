/**
 * The bare forwarder: capture on two interfaces and send every frame out of the other one, no logic.
 * The benchmark's baseline (b): what a userspace capture-and-send bridge costs before rstlab adds sessions.
 * Usage: node build/bench/bare-forwarder.js IF_A IF_B
 */
import { LivePort } from '../src/ingress/live.js'

const [a, b] = process.argv.slice(2)
if (a === undefined || b === undefined) { process.stderr.write('usage: bare-forwarder IF_A IF_B\n'); process.exit(2) }
let forwarded = 0
let failed = 0
const ports: LivePort[] = []
ports[0] = new LivePort(a, (frame, len) => { try { ports[1]!.send(frame, len); forwarded++ } catch { failed++ } })
ports[1] = new LivePort(b, (frame, len) => { try { ports[0]!.send(frame, len); forwarded++ } catch { failed++ } })
process.stdout.write('ready\n')
const stop = (): void => {
  for (const p of ports) p.close()
  process.stderr.write(`forwarded ${forwarded} failed ${failed}\n`)
  process.exit(0)
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
