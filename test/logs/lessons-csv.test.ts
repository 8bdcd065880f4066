/**
 * `rstlab run LESSON --log-format csv` for every lesson: the lines are parsed with PAN-OS's documented
 * field order (written out here from PAN-OS 9.1 "Traffic Log Fields" / "Threat Log Fields", not taken
 * from rstlab's formatter) and checked against ground truth from outside the log: the scenario's own
 * host and policy declarations, and tshark's reading of the per-host captures (--pcap-dir): addresses,
 * ports, byte and packet totals per direction, start time; plus bytes = sent + received, packets =
 * sent + received, an end reason from PAN-OS's list, and the same sessions `run --json` reports.
 */
import t from 'tap'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { REPO_ROOT } from '../helpers/shared.js'
import { mapLimit, requireTshark, tsharkFields } from '../helpers/tshark.js'

// PAN-OS 9.1 "Traffic Log Fields", Format line, in order (https://docs.paloaltonetworks.com/pan-os/9-1/
// pan-os-admin/monitoring/use-syslog-for-monitoring/syslog-field-descriptions/traffic-log-fields).
const TRAFFIC = ('FUTURE_USE, Receive Time, Serial Number, Type, Threat/Content Type, FUTURE_USE, Generated Time, Source Address, ' +
  'Destination Address, NAT Source IP, NAT Destination IP, Rule Name, Source User, Destination User, Application, Virtual System, ' +
  'Source Zone, Destination Zone, Inbound Interface, Outbound Interface, Log Action, FUTURE_USE, Session ID, Repeat Count, ' +
  'Source Port, Destination Port, NAT Source Port, NAT Destination Port, Flags, Protocol, Action, Bytes, Bytes Sent, ' +
  'Bytes Received, Packets, Start Time, Elapsed Time, Category, FUTURE_USE, Sequence Number, Action Flags, Source Location, ' +
  'Destination Location, FUTURE_USE, Packets Sent, Packets Received, Session End Reason, Device Group Hierarchy Level 1, ' +
  'Device Group Hierarchy Level 2, Device Group Hierarchy Level 3, Device Group Hierarchy Level 4, Virtual System Name, ' +
  'Device Name, Action Source, Source VM UUID, Destination VM UUID, Tunnel ID/IMSI, Monitor Tag/IMEI, Parent Session ID, ' +
  'Parent Start Time, Tunnel Type, SCTP Association ID, SCTP Chunks, SCTP Chunks Sent, SCTP Chunks Received, Rule UUID, ' +
  'HTTP/2 Connection, App Flap Count, Policy ID, Link Switches, SD-WAN Cluster, SD-WAN Device Type, SD-WAN Cluster Type, ' +
  'SD-WAN Site, Dynamic User Group Name').split(', ')
// PAN-OS 9.1 "Threat Log Fields", Format line, in order (…/syslog-field-descriptions/threat-log-fields).
const THREAT = ('FUTURE_USE, Receive Time, Serial Number, Type, Threat/Content Type, FUTURE_USE, Generated Time, Source Address, ' +
  'Destination Address, NAT Source IP, NAT Destination IP, Rule Name, Source User, Destination User, Application, Virtual System, ' +
  'Source Zone, Destination Zone, Inbound Interface, Outbound Interface, Log Action, FUTURE_USE, Session ID, Repeat Count, ' +
  'Source Port, Destination Port, NAT Source Port, NAT Destination Port, Flags, Protocol, Action, URL/Filename, Threat ID, ' +
  'Category, Severity, Direction, Sequence Number, Action Flags, Source Location, Destination Location, FUTURE_USE, ' +
  'Content Type, PCAP_ID, File Digest, Cloud, URL Index, User Agent, File Type, X-Forwarded-For, Referer, Sender, Subject, ' +
  'Recipient, Report ID, Device Group Hierarchy Level 1, Device Group Hierarchy Level 2, Device Group Hierarchy Level 3, ' +
  'Device Group Hierarchy Level 4, Virtual System Name, Device Name, FUTURE_USE, Source VM UUID, Destination VM UUID, ' +
  'HTTP Method, Tunnel ID/IMSI, Monitor Tag/IMEI, Parent Session ID, Parent Start Time, Tunnel Type, Threat Category, ' +
  'Content Version, FUTURE_USE, SCTP Association ID, Payload Protocol ID, HTTP Headers, URL Category List, Rule UUID, ' +
  'HTTP/2 Connection, Dynamic User Group Name').split(', ')
// PAN-OS session end reasons (KB "PAN-OS 7.1 New 'session end' reasons").
const END_REASONS = ['threat', 'policy-deny', 'decrypt-cert-validation', 'decrypt-unsupport-param', 'decrypt-error',
  'tcp-rst-from-client', 'tcp-rst-from-server', 'resources-unavailable', 'tcp-fin', 'tcp-reuse', 'decoder', 'aged-out', 'unknown']

/** RFC 4180-style split (PAN-OS quotes fields holding commas, doubling inner quotes). */
function splitCsv (line: string): string[] {
  const out: string[] = []
  let cur = ''
  let q = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!
    if (q) {
      if (c === '"' && line[i + 1] === '"') { cur += '"'; i++ } else if (c === '"') q = false; else cur += c
    } else if (c === '"') q = true
    else if (c === ',') { out.push(cur); cur = '' } else cur += c
  }
  out.push(cur)
  return out
}

function byName (names: string[], cells: string[]): Map<string, string> {
  const m = new Map<string, string>()
  names.forEach((n, i) => { if (!m.has(n)) m.set(n, cells[i]!) })
  return m
}

const fmtTime = (s: number): string => new Date(s * 1000).toISOString().replace(/-/g, '/').replace('T', ' ').slice(0, 19)

interface Frame { time: number, len: number, src: string, dst: string, sport: number, dport: number, forged: boolean }

const BIN = path.join(REPO_ROOT, 'bin', 'rstlab.js')
const LESSONS = path.join(REPO_ROOT, 'scenarios', 'lessons')

if (requireTshark(t)) {
  const dir = mkdtempSync(path.join(tmpdir(), 'rstlab-lessons-csv-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const files = readdirSync(LESSONS).filter(f => f.endsWith('.scn')).sort()

  t.test('every lesson\'s sessions in PAN-OS CSV, checked against the scenario and tshark', async t => {
    // One run of every lesson; each scenario numbers its log lines from 1 (Sequence Number), which splits the log.
    const pcapDir = path.join(dir, 'pcaps')
    const log = path.join(dir, 'lessons.csv')
    const report = JSON.parse(execFileSync(process.execPath, [BIN, 'run', LESSONS, '--json', '--pcap-dir', pcapDir, '--log-format', 'csv', '--log', log],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })) as { files: Array<{ file: string, trafficLog: Array<{ sessionId: number }> }> }
    const groups: string[][] = []
    for (const line of readFileSync(log, 'utf8').split('\n').filter(Boolean)) {
      const c = splitCsv(line)
      const seq = c[3] === 'TRAFFIC' ? byName(TRAFFIC, c).get('Sequence Number') : byName(THREAT, c).get('Sequence Number')
      if (seq === '1') groups.push([])
      groups.at(-1)!.push(line)
    }
    t.equal(groups.length, files.length, 'one group of log lines per lesson')
    t.same(report.files.map(x => path.basename(x.file)), files, 'lessons in file order')
    const results = await mapLimit(files.map((f, i) => ({ f, i })), 2, async ({ f, i }) => {
      const scn = path.join(LESSONS, f)
      const lines = groups[i] ?? []
      const base = f.replace(/\.scn$/, '')
      const text = readFileSync(scn, 'utf8')
      const hosts = new Map([...text.matchAll(/^host\s+(\S+)\s+(\S+)/gm)].map(m => [m[2]!, m[1]!]))
      const policyName = /^policy\s+(\S+)/m.exec(text)?.[1]
      const policy = policyName === undefined ? 'rules: [{ name: allow-all }]' : readFileSync(path.join(LESSONS, 'policies', policyName), 'utf8')
      const frames = new Map<string, Frame[]>()
      for (const c of readdirSync(pcapDir).filter(x => x.startsWith(base + '.'))) {
        const host = /\.([^.]+)\.pcapng$/.exec(c)![1]!
        const rows = await tsharkFields(path.join(pcapDir, c), ['frame.time_epoch', 'frame.len', 'ip.src', 'ipv6.src', 'ip.dst', 'ipv6.dst',
          'tcp.srcport', 'udp.srcport', 'tcp.dstport', 'udp.dstport', 'icmp.type', 'icmpv6.type', 'frame.comment'])
        frames.set(host, rows.map(r => {
          // ICMP errors travel with the session they quote (outer addresses, the quoted packet's ports reversed).
          const err = r['icmp.type']![0] === '3' || r['icmp.type']![0] === '11' || r['icmpv6.type']![0] === '1'
          const sport = Number(r['tcp.srcport']![0] ?? r['udp.srcport']![0] ?? 0)
          const dport = Number(r['tcp.dstport']![0] ?? r['udp.dstport']![0] ?? 0)
          return {
            time: Number(r['frame.time_epoch']![0]), len: Number(r['frame.len']![0]),
            src: (r['ip.src']![0] ?? r['ipv6.src']![0])!, dst: (r['ip.dst']![0] ?? r['ipv6.dst']![0])!,
            sport: err ? dport : sport, dport: err ? sport : dport,
            forged: /^rstlab forged/.test(r['frame.comment']![0] ?? ''),
          }
        }))
      }
      return { f, lines, trafficJson: report.files[i]!.trafficLog, hosts, policy, frames }
    })
    let sessions = 0
    let exact = 0
    let inexact = 0
    for (const r of results) {
      const trafficJson = r.trafficJson
      const traffic = r.lines.map(splitCsv).filter(c => c[3] === 'TRAFFIC')
      const threats = r.lines.map(splitCsv).filter(c => c[3] === 'THREAT')
      t.equal(traffic.length + threats.length, r.lines.length, `${r.f}: every line is TRAFFIC or THREAT`)
      const ids = new Set(traffic.map(c => byName(TRAFFIC, c).get('Session ID')).filter(x => x !== '0'))
      for (const s of trafficJson) if (s.sessionId !== 0) t.ok(ids.has(String(s.sessionId)), `${r.f}: session ${s.sessionId} of run --json is in the CSV`)
      for (const c of threats) {
        t.equal(c.length, THREAT.length, `${r.f}: threat line has the ${THREAT.length} documented fields`)
        const m = byName(THREAT, c)
        t.ok(r.hosts.has(m.get('Source Address')!) && r.hosts.has(m.get('Destination Address')!), `${r.f}: threat addresses are scenario hosts`)
        t.match(m.get('Severity'), /^(informational|low|medium|high|critical)$/, `${r.f}: threat severity`)
        t.match(m.get('Direction'), /^(client-to-server|server-to-client)$/, `${r.f}: threat direction`)
      }
      for (const c of traffic) {
        sessions++
        const m = byName(TRAFFIC, c)
        const id = `${r.f} session ${m.get('Session ID')}`
        t.equal(c.length, TRAFFIC.length, `${id}: ${TRAFFIC.length} documented fields`)
        const src = m.get('Source Address')!
        const dst = m.get('Destination Address')!
        t.ok(r.hosts.has(src) && r.hosts.has(dst), `${id}: ${src} -> ${dst} are hosts the scenario declares`)
        const rule = m.get('Rule Name')!
        t.ok(rule === '' ? m.get('Session End Reason') === 'resources-unavailable' : r.policy.includes(rule) || /^(intra|inter)zone-default$/.test(rule),
          `${id}: rule ${rule} is in the policy`)
        for (const z of [m.get('Source Zone')!, m.get('Destination Zone')!]) t.ok(r.policy.includes(z), `${id}: zone ${z} is in the policy`)
        t.ok(END_REASONS.includes(m.get('Session End Reason')!), `${id}: end reason ${m.get('Session End Reason')} is PAN-OS's`)
        const n = (k: string): number => Number(m.get(k))
        t.equal(n('Bytes'), n('Bytes Sent') + n('Bytes Received'), `${id}: bytes = sent + received`)
        t.equal(n('Packets'), n('Packets Sent') + n('Packets Received'), `${id}: packets = sent + received`)
        t.match(m.get('Start Time'), /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d$/, `${id}: start time YYYY/MM/DD HH:MM:SS`)
        t.match(m.get('Application'), /\S/, `${id}: an application`)
        // Ground truth from the hosts' own captures (tshark). Upper bound: what the client (server) sent on
        // this flow during the session; lower bound: what of it reached the other host (forwarded, not
        // forged). Packets the firewall drops (e.g. out-of-window RSTs) are not counted in the session.
        const sp = n('Source Port')
        const dp = n('Destination Port')
        const t0 = Date.parse(m.get('Start Time')!.replace(/\//g, '-').replace(' ', 'T') + 'Z') / 1000
        const within = (x: Frame): boolean => x.time >= t0 && x.time < t0 + n('Elapsed Time') + 1
        const flow = (host: string, a: string, b: string, pa: number, pb: number): Frame[] =>
          (r.frames.get(r.hosts.get(host)!) ?? []).filter(x => x.src === a && x.dst === b && x.sport === pa && x.dport === pb && within(x) && !x.forged)
        const sum = (xs: Frame[]): number => xs.reduce((a, x) => a + x.len, 0)
        const c2sSent = flow(src, src, dst, sp, dp)
        const c2sGot = flow(dst, src, dst, sp, dp)
        const s2cSent = flow(dst, dst, src, dp, sp)
        const s2cGot = flow(src, dst, src, dp, sp)
        t.ok(c2sSent.length > 0, `${id}: the client sent ${src}:${sp} -> ${dst}:${dp}`)
        if (c2sSent.length > 0) t.equal(m.get('Start Time'), fmtTime(Math.floor(c2sSent[0]!.time)), `${id}: start time is the client's first packet's`)
        const between = (v: number, lo: number, hi: number, what: string): void => {
          t.ok(v >= lo && v <= hi, `${id}: ${what} ${v} within [${lo}, ${hi}] (tshark: reached the other side .. sent)`)
          if (v === hi) exact++; else inexact++
        }
        between(n('Bytes Sent'), sum(c2sGot), sum(c2sSent), 'bytes sent')
        between(n('Packets Sent'), c2sGot.length, c2sSent.length, 'packets sent')
        between(n('Bytes Received'), sum(s2cGot), sum(s2cSent), 'bytes received')
        between(n('Packets Received'), s2cGot.length, s2cSent.length, 'packets received')
      }
    }
    t.comment(`${exact} counts equal everything the endpoint sent, ${inexact} lower (the firewall dropped some)`)
    t.ok(sessions >= files.length, `${sessions} sessions checked in ${files.length} lessons`)
  })
}
