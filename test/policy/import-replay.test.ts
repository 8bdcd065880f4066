/**
 * Traffic through an imported policy: a real capture replayed against a PAN-OS `reset-client` rule
 * (set commands and XML) forges exactly the frames the equivalent hand-written YAML forges, and tshark
 * (outside rstlab) reads the forged frame as the server's RST to the client.
 */
import t from 'tap'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { PcapngWriter, readCaptureBuffer } from '../../src/pcap/index.js'
import { replayFile } from '../../src/ingress/replay.js'
import { loadPolicyText } from '../../src/policy/load.js'
import { importPolicyText } from '../../src/policy/import/index.js'
import { exportXml } from '../../src/policy/import/export.js'
import type { Policy } from '../../src/policy/types.js'
import { PCAP_DIR } from '../helpers/shared.js'
import { RAW_FIELD_OPTS, requireTshark, tsharkFields } from '../helpers/tshark.js'

// arkime__tcp_handshake_synthetic.pcap: clients in 192.0.2.0/24 open TCP sessions to 198.51.100.5:8080.
const CAPTURE = path.join(PCAP_DIR, 'arkime__tcp_handshake_synthetic.pcap')

const SET = `configure
set network interface ethernet ethernet1/1 layer3 ip 192.0.2.1/24
set network interface ethernet ethernet1/2 layer3 ip 198.51.100.1/24
set zone trust network layer3 ethernet1/1
set zone untrust network layer3 ethernet1/2
set address web-server ip-netmask 198.51.100.5
set service web-alt protocol tcp port 8080
set rulebase security rules "block web-alt" from trust to untrust source any destination web-server application any service web-alt action reset-client
set rulebase security rules "block web-alt" log-setting default
commit
`
const YAML = `settings:
  emulator: { addresses: { trust: [192.0.2.1/24], untrust: [198.51.100.1/24] } }
zones:
  trust: { type: layer3, interfaces: [ethernet1/1], networks: [192.0.2.0/24] }
  untrust: { type: layer3, interfaces: [ethernet1/2], networks: [198.51.100.0/24] }
rules:
  - { name: block web-alt, from: [trust], to: [untrust], destination: [198.51.100.5], service: [tcp/8080], action: reset-client }
`

async function replayTo (policy: Policy, file: string): Promise<{ frames: Buffer[], forged: number }> {
  const out = await PcapngWriter.open(file)
  const s = await replayFile(CAPTURE, { policy, out })
  await out.close()
  return { frames: readCaptureBuffer(readFileSync(file)).records.map(r => Buffer.from(r.data)), forged: s.frames.forged }
}

t.test('an imported reset-client rule forges the same RST, byte for byte, as the hand-written YAML', async t => {
  if (!existsSync(CAPTURE)) {
    if (process.env.CI === 'true') t.fail(`${CAPTURE} missing`)
    else t.comment(`skipped: ${CAPTURE} not present`)
    return
  }
  const dir = t.testdir({})
  const fromSet = importPolicyText(SET, 'fw.set').policy
  const fromXml = importPolicyText(exportXml(fromSet), 'fw.xml').policy
  const byHand = loadPolicyText(YAML, 'fw.yaml')
  const a = await replayTo(fromSet, path.join(dir, 'set.pcapng'))
  const b = await replayTo(fromXml, path.join(dir, 'xml.pcapng'))
  const c = await replayTo(byHand, path.join(dir, 'yaml.pcapng'))
  t.ok(c.forged > 0, `the YAML policy forges (${c.forged} frames)`)
  t.equal(a.forged, c.forged)
  t.equal(a.frames.length, c.frames.length)
  t.ok(a.frames.every((f, i) => f.equals(c.frames[i]!)), 'set import: every output frame identical to the YAML run')
  t.ok(b.frames.every((f, i) => f.equals(c.frames[i]!)) && b.frames.length === c.frames.length, 'XML import: the same')
  if (!requireTshark(t)) return
  const rows = await tsharkFields(path.join(dir, 'set.pcapng'), ['ip.src', 'ip.dst', 'tcp.srcport', 'tcp.flags.reset', 'frame.comment'],
    ['-o', 'tcp.check_checksum:TRUE', ...RAW_FIELD_OPTS])
  const rst = rows.filter(r => r['tcp.flags.reset']?.[0] === '1' || r['tcp.flags.reset']?.[0] === 'True')
  t.ok(rst.length > 0, 'tshark finds the forged RST')
  for (const r of rst) t.same([r['ip.src']?.[0], r['ip.dst']?.[0], r['tcp.srcport']?.[0]], ['198.51.100.5', '192.0.2.10', '8080'], 'spoofed from the server to the client')
})
