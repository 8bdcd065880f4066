/**
 * `npm run lab -- up|down|status`: the namespace lab with fixed names (`rstlab-client`, `rstlab-fw`,
 * `rstlab-server`) for trying rstlab by hand. See docs/lab.md.
 */
import { Lab, LAB, liveUnavailable } from './netns.js'

const cmd = process.argv[2]
const kernelBridge = process.argv.includes('--kernel-bridge')
const lab = new Lab({ prefix: 'rstlab', kernelBridge })

function usage (): never {
  process.stderr.write('usage: npm run lab -- up [--kernel-bridge] | down\n')
  process.exit(2)
}

const why = liveUnavailable()
if (why !== undefined) { process.stderr.write(`lab: cannot build the lab: ${why}\n`); process.exit(2) }

if (cmd === 'up') {
  lab.down()
  try { lab.up() } catch (e) { process.stderr.write(`${(e as Error).message}\n`); process.exit(1) }
  const { client, fw, server } = lab.names
  process.stdout.write(`lab up:
  ${client}: ${LAB.clientIf} ${LAB.client4} ${LAB.client6}
  ${fw}: ${LAB.fwClientIf} (client side) ${LAB.fwServerIf} (server side), no addresses${kernelBridge ? ', kernel bridge br0' : ''}
  ${server}: ${LAB.serverIf} ${LAB.server4} ${LAB.server6} (TTL/hop limit ${LAB.serverTtl})
next:
  sudo ip netns exec ${fw} node bin/rstlab.js bridge ${LAB.fwClientIf} ${LAB.fwServerIf} --policy policies/lab.yaml
  sudo ip netns exec ${client} curl http://${LAB.server4}:8080/
`)
} else if (cmd === 'down') {
  lab.down()
  process.stdout.write('lab down\n')
} else usage()
