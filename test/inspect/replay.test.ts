/**
 * Real captures through the engine with App-ID and threat policies: the applications the traffic log
 * names, and a threat reset whose sequence numbers are the capture's own.
 */
import t from 'tap'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { Engine } from '../../src/engine/engine.js'
import type { ThreatLogRecord, TrafficLogRecord } from '../../src/engine/types.js'
import { PORT_UNKNOWN } from '../../src/engine/types.js'
import { readCaptureBuffer } from '../../src/pcap/index.js'
import { loadPolicyText } from '../../src/policy/load.js'
import { decodeFrame } from '../../src/wire/decode.js'
import { FrameSummary } from '../../src/wire/summary.js'
import { PCAP_DIR } from '../helpers/shared.js'

function replay (file: string, policyYaml: string): { logs: TrafficLogRecord[], threats: ThreatLogRecord[], forged: FrameSummary[], frames: FrameSummary[] } {
  const logs: TrafficLogRecord[] = []
  const threats: ThreatLogRecord[] = []
  const forged: FrameSummary[] = []
  const frames: FrameSummary[] = []
  const engine = new Engine({ policy: loadPolicyText(policyYaml, 'test.yaml'), hooks: { trafficLog: r => logs.push(r), threatLog: r => threats.push(r) } })
  const cap = readCaptureBuffer(readFileSync(path.join(PCAP_DIR, file)), file)
  let last = 0
  for (const rec of cap.records) {
    frames.push(decodeFrame(rec.data, rec.linkType, new FrameSummary()))
    const r = engine.process(rec.data, PORT_UNKNOWN, rec.tsUs, rec.linkType)
    for (const e of r.emits) forged.push(decodeFrame(e.frame, e.linkType ?? 1, new FrameSummary()))
    last = rec.tsUs
  }
  engine.endAll(last)
  return { logs, threats, forged, frames }
}

const APP_POLICY = `
rules:
  - { name: no-ssh, application: [ssh], action: deny }
  - { name: rest, action: allow }
`

const cases: Array<[string, Array<[number, string]>]> = [
  ['zeek__web.pcap', [[12345, 'incomplete'], [80, 'web-browsing']]],
  ['suricata-verify__bug-3616-smtp__input.pcap', [[53, 'dns'], [25, 'smtp']]],
  ['suricata-verify__tls-fin-close-data-01__debug-s13.pcap', [[443, 'ssl']]],
  ['suricata-verify__community-id-ipv6__input.pcap', [[443, 'ssl']]],
  ['suricata-verify__tcp-rst-unacked-stream-09__TLPW1-990-49230.pcap', [[990, 'web-browsing']]],
]

for (const [file, want] of cases) {
  t.test(`replay ${file}: the traffic log names the application`, { skip: existsSync(path.join(PCAP_DIR, file)) ? false : 'capture missing' }, async t => {
    const { logs } = replay(file, APP_POLICY)
    for (const [port, app] of want) {
      t.equal(logs.find(l => l.dport === port)?.application, app, `port ${port}`)
    }
  })
}

t.test('replay zeek__web.pcap with a threat profile: RSTs carry the capture\'s own sequence numbers', { skip: existsSync(path.join(PCAP_DIR, 'zeek__web.pcap')) ? false : 'capture missing' }, async t => {
  const { logs, threats, forged, frames } = replay('zeek__web.pcap', `
threats:
  signatures:
    - { name: host-hdr, content: "Host: ", direction: c2s, severity: high, action: reset-both }
  profiles:
    p: [host-hdr]
rules:
  - { name: all, action: allow, profile: p }
`)
  // The request (frame 6) starts at the client's next seq; the server has sent only its SYN-ACK.
  const req = frames[5]!
  t.ok(req.payloadLen > 0, 'frame 6 is the request')
  t.match(threats, [{ signature: 'host-hdr', direction: 'c2s', application: 'web-browsing', dport: 80 }])
  t.equal(forged.length, 2)
  const [toClient, toServer] = forged
  t.same([toClient!.srcPort, toClient!.seq, toClient!.ack], [80, req.ack, req.seq], 'to the client: seq = server next, ack = client next')
  t.same([toServer!.dstPort, toServer!.seq, toServer!.ack], [80, req.seq, req.ack], 'to the server: seq = where the dropped request started')
  t.match(logs.find(l => l.dport === 80), { endReason: 'threat', action: 'allow', application: 'web-browsing' })
})
