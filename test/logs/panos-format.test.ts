/**
 * The PAN-OS renderers on constructed records: column counts and positions as PAN-OS 9.1 documents
 * them (spot-checked by index here, independent of the formatter's own table), time format, quoting,
 * JSON keys (custom log format variable names), IPv6 "no NAT" addresses, and the replay/bridge shape.
 */
import t from 'tap'
import { PanosLogFormatter, csvField, panosLogTime, TRAFFIC_FIELDS, THREAT_FIELDS } from '../../src/logs/panos-format.js'
import type { ThreatLogRecord, TrafficLogRecord } from '../../src/engine/types.js'

const START = Date.UTC(2026, 11, 2, 7, 5, 9) * 1000 + 250_000 // µs since the epoch (a capture's clock)
const rec: TrafficLogRecord = {
  type: 'TRAFFIC', subtype: 'end', sessionId: 42, rule: 'allow web', action: 'allow', application: 'web-browsing',
  fromZone: 'trust', toZone: 'untrust', src: '198.18.0.1', sport: 40000, dst: '198.18.1.2', dport: 80, proto: 'tcp',
  bytesC2s: 1000, bytesS2c: 20000, packetsC2s: 10, packetsS2c: 20, startUs: START, elapsedS: 61, endUs: START + 61_900_000,
  endReason: 'tcp-fin',
}
const threat: ThreatLogRecord = {
  type: 'THREAT', sessionId: 42, signature: 'evil-get', severity: 'high', action: 'reset-both', direction: 's2c',
  src: '2001:db8::1', sport: 40000, dst: '2001:db8::2', dport: 80, proto: 'tcp', application: 'web-browsing', timeUs: START,
  rule: 'web', fromZone: 'trust', toZone: 'untrust',
}

t.test('column counts: PAN-OS 9.1 lists 75 traffic and 79 threat fields', async t => {
  t.equal(TRAFFIC_FIELDS.length, 75)
  t.equal(THREAT_FIELDS.length, 79)
})

t.test('traffic CSV: values at the documented positions (1-based, PAN-OS 9.1 "Traffic Log Fields")', async t => {
  const f = new PanosLogFormatter({ wallMs: us => us / 1000 })
  const c = f.trafficCsv(rec).split(',')
  t.equal(c.length, 75)
  const at = (i: number): string => c[i - 1]!
  t.equal(at(1), '1', 'FUTURE_USE as PAN-OS writes it')
  t.equal(at(2), '2026/12/02 07:06:11', 'Receive Time = the end (start 07:05:09.25 + 61.9 s)')
  t.equal(at(4), 'TRAFFIC'); t.equal(at(5), 'end'); t.equal(at(7), '2026/12/02 07:06:11', 'Generated Time')
  t.equal(at(8), '198.18.0.1'); t.equal(at(9), '198.18.1.2'); t.equal(at(10), '0.0.0.0'); t.equal(at(11), '0.0.0.0')
  t.equal(at(12), 'allow web'); t.equal(at(15), 'web-browsing'); t.equal(at(16), 'vsys1')
  t.equal(at(17), 'trust'); t.equal(at(18), 'untrust'); t.equal(at(23), '42'); t.equal(at(24), '1')
  t.equal(at(25), '40000'); t.equal(at(26), '80'); t.equal(at(30), 'tcp'); t.equal(at(31), 'allow')
  t.equal(at(32), '21000'); t.equal(at(33), '1000'); t.equal(at(34), '20000'); t.equal(at(35), '30')
  t.equal(at(36), '2026/12/02 07:05:09', 'Start Time'); t.equal(at(37), '61', 'Elapsed Time')
  t.equal(at(40), '1', 'Sequence Number: the first log'); t.equal(at(45), '10'); t.equal(at(46), '20')
  t.equal(at(47), 'tcp-fin', 'Session End Reason')
  t.equal(f.trafficCsv(rec).split(',')[39], '2', 'the next log has the next sequence number')
})

t.test('threat CSV: positions, quoted empty URL/Filename, direction words, IPv6 no-NAT', async t => {
  const f = new PanosLogFormatter({ wallMs: us => us / 1000, interfaceOf: z => (z === 'trust' ? 'eth0' : 'eth1') })
  const line = f.threatCsv(threat)
  const c = line.split(',')
  t.equal(c.length, 79)
  const at = (i: number): string => c[i - 1]!
  t.equal(at(4), 'THREAT'); t.equal(at(5), 'vulnerability'); t.equal(at(10), '::'); t.equal(at(12), 'web')
  t.equal(at(17), 'trust'); t.equal(at(18), 'untrust'); t.equal(at(19), 'eth0'); t.equal(at(20), 'eth1')
  t.equal(at(31), 'reset-both'); t.equal(at(32), '""'); t.equal(at(33), 'evil-get'); t.equal(at(35), 'high')
  t.equal(at(36), 'server-to-client')
  const flood = f.threatCsv({ ...threat, subtype: 'flood', threatId: 8501, signature: 'TCP Flood', direction: 'c2s', sessionId: 0 }).split(',')
  t.equal(flood[32], 'TCP Flood(8501)', 'Threat ID as Name(ID)')
  t.equal(flood[4], 'flood')
})

t.test('quoting and time format', async t => {
  t.equal(csvField('a,b'), '"a,b"')
  t.equal(csvField('say "hi"'), '"say ""hi"""')
  t.equal(csvField('plain'), 'plain')
  t.equal(panosLogTime(Date.UTC(2026, 0, 5, 3, 4, 5, 999)), '2026/01/05 03:04:05')
  const f = new PanosLogFormatter({ wallMs: us => us / 1000 })
  const c = f.trafficCsv({ ...rec, rule: 'a, b' })
  t.match(c, /,"a, b",/, 'a rule name with a comma is quoted')
})

t.test('JSON: PAN-OS custom-format variable names, same keys for every record', async t => {
  const f = new PanosLogFormatter({ wallMs: us => us / 1000 })
  const j = JSON.parse(f.trafficJson(rec))
  t.match(j, {
    type: 'TRAFFIC', subtype: 'end', src: '198.18.0.1', dst: '198.18.1.2', sport: 40000, dport: 80, rule: 'allow web', app: 'web-browsing',
    from: 'trust', to: 'untrust', sessionid: 42, bytes: 21000, bytes_sent: 1000, bytes_received: 20000, packets: 30,
    pkts_sent: 10, pkts_received: 20, start: '2026/12/02 07:05:09', elapsed: 61, session_end_reason: 'tcp-fin', proto: 'tcp',
  })
  for (const k of ['sessionId', 'bytesC2s', 'startUs', 'fromZone', 'application']) t.notOk(k in j, `no engine name ${k}`)
  const other = JSON.parse(f.trafficJson({ ...rec, subtype: 'drop', bytesS2c: 0 }))
  t.same(Object.keys(other), Object.keys(j), 'one record shape')
  // Every JSON key is a variable of the CSV table: json and csv carry the same fields.
  const vars = new Set(TRAFFIC_FIELDS.map(x => x[1]))
  for (const k of Object.keys(j)) t.ok(vars.has(k), `${k} is a traffic log variable`)
})

t.test('bridge times: engine µs mapped to the wall clock at the edge', async t => {
  // A monotonic engine clock near 0 µs, mapped as the bridge does (timeOrigin + µs/1000).
  const origin = Date.UTC(2026, 11, 2, 7, 0, 0)
  const f = new PanosLogFormatter({ wallMs: us => origin + us / 1000 })
  const c = f.trafficCsv({ ...rec, startUs: 5_000_000, elapsedS: 10, endUs: 15_000_000 }).split(',')
  t.equal(c[35], '2026/12/02 07:00:05', 'start time is wall-clock')
  t.equal(c[1], '2026/12/02 07:00:15', 'receive time is wall-clock')
})
