/**
 * PAN-OS log rendering at the edge (issue #16): the engine hands out traffic/threat records as data
 * (engine/types.ts); this module turns them into the two shapes PAN-OS tooling already reads:
 *
 * - `csv`: the syslog payload of a PAN-OS firewall, fields in the order of PAN-OS 9.1's "Traffic Log
 *   Fields" / "Threat Log Fields" (the tables below), times `YYYY/MM/DD HH:MM:SS` (UTC);
 * - `json`: one object per record keyed by PAN-OS's custom log format variable names (`src`, `sport`,
 *   `rule`, `app`, `from`, `bytes_sent`, `session_end_reason`, …), only the fields rstlab fills.
 *
 * Times: records carry engine microseconds; `wallMs` (given by the front end) maps them to wall-clock
 * milliseconds: the identity (/1000) for replay (capture time), the real clock for the bridge. Field
 * choices for values rstlab does not have are listed in docs/logs.md.
 */
import type { ThreatLogRecord, TrafficLogRecord } from '../engine/types.js'

export type LogFormat = 'pino' | 'json' | 'csv'
export const LOG_FORMATS: readonly LogFormat[] = ['pino', 'json', 'csv']

/** The first 31 columns, through Action: the same in traffic and threat lines. */
const HEAD_FIELDS: ReadonlyArray<readonly [string, string]> = [
  ['FUTURE_USE', ''], ['Receive Time', 'receive_time'], ['Serial Number', 'serial'], ['Type', 'type'],
  ['Threat/Content Type', 'subtype'], ['FUTURE_USE', ''], ['Generated Time', 'time_generated'],
  ['Source Address', 'src'], ['Destination Address', 'dst'], ['NAT Source IP', 'natsrc'], ['NAT Destination IP', 'natdst'],
  ['Rule Name', 'rule'], ['Source User', 'srcuser'], ['Destination User', 'dstuser'], ['Application', 'app'],
  ['Virtual System', 'vsys'], ['Source Zone', 'from'], ['Destination Zone', 'to'], ['Inbound Interface', 'inbound_if'],
  ['Outbound Interface', 'outbound_if'], ['Log Action', 'logset'], ['FUTURE_USE', ''], ['Session ID', 'sessionid'],
  ['Repeat Count', 'repeatcnt'], ['Source Port', 'sport'], ['Destination Port', 'dport'], ['NAT Source Port', 'natsport'],
  ['NAT Destination Port', 'natdport'], ['Flags', 'flags'], ['Protocol', 'proto'], ['Action', 'action'],
]

/**
 * The CSV columns: [PAN-OS field title, custom-format variable] in PAN-OS 9.1 order. The variable is
 * '' for FUTURE_USE columns. Traffic: 75 columns; threat: 79.
 */
export const TRAFFIC_FIELDS: ReadonlyArray<readonly [string, string]> = [
  ...HEAD_FIELDS,
  ['Bytes', 'bytes'], ['Bytes Sent', 'bytes_sent'], ['Bytes Received', 'bytes_received'], ['Packets', 'packets'],
  ['Start Time', 'start'], ['Elapsed Time', 'elapsed'], ['Category', 'category'], ['FUTURE_USE', ''],
  ['Sequence Number', 'seqno'], ['Action Flags', 'actionflags'], ['Source Location', 'srcloc'],
  ['Destination Location', 'dstloc'], ['FUTURE_USE', ''], ['Packets Sent', 'pkts_sent'], ['Packets Received', 'pkts_received'],
  ['Session End Reason', 'session_end_reason'], ['Device Group Hierarchy Level 1', 'dg_hier_level_1'],
  ['Device Group Hierarchy Level 2', 'dg_hier_level_2'], ['Device Group Hierarchy Level 3', 'dg_hier_level_3'],
  ['Device Group Hierarchy Level 4', 'dg_hier_level_4'], ['Virtual System Name', 'vsys_name'], ['Device Name', 'device_name'],
  ['Action Source', 'action_source'], ['Source VM UUID', 'src_uuid'], ['Destination VM UUID', 'dst_uuid'],
  ['Tunnel ID/IMSI', 'tunnelid'], ['Monitor Tag/IMEI', 'monitortag'], ['Parent Session ID', 'parent_session_id'],
  ['Parent Start Time', 'parent_start_time'], ['Tunnel Type', 'tunnel'], ['SCTP Association ID', 'assoc_id'],
  ['SCTP Chunks', 'chunks'], ['SCTP Chunks Sent', 'chunks_sent'], ['SCTP Chunks Received', 'chunks_received'],
  ['Rule UUID', 'rule_uuid'], ['HTTP/2 Connection', 'http2_connection'], ['App Flap Count', 'link_change_count'],
  ['Policy ID', 'policy_id'], ['Link Switches', 'link_switches'], ['SD-WAN Cluster', 'sdwan_cluster'],
  ['SD-WAN Device Type', 'sdwan_device_type'], ['SD-WAN Cluster Type', 'sdwan_cluster_type'], ['SD-WAN Site', 'sdwan_site'],
  ['Dynamic User Group Name', 'dynusergroup_name'],
]

export const THREAT_FIELDS: ReadonlyArray<readonly [string, string]> = [
  ...HEAD_FIELDS,
  ['URL/Filename', 'misc'], ['Threat ID', 'threatid'], ['Category', 'category'], ['Severity', 'severity'],
  ['Direction', 'direction'], ['Sequence Number', 'seqno'], ['Action Flags', 'actionflags'], ['Source Location', 'srcloc'],
  ['Destination Location', 'dstloc'], ['FUTURE_USE', ''], ['Content Type', 'contenttype'], ['PCAP_ID', 'pcap_id'],
  ['File Digest', 'filedigest'], ['Cloud', 'cloud'], ['URL Index', 'url_idx'], ['User Agent', 'user_agent'],
  ['File Type', 'filetype'], ['X-Forwarded-For', 'xff'], ['Referer', 'referer'], ['Sender', 'sender'], ['Subject', 'subject'],
  ['Recipient', 'recipient'], ['Report ID', 'reportid'], ['Device Group Hierarchy Level 1', 'dg_hier_level_1'],
  ['Device Group Hierarchy Level 2', 'dg_hier_level_2'], ['Device Group Hierarchy Level 3', 'dg_hier_level_3'],
  ['Device Group Hierarchy Level 4', 'dg_hier_level_4'], ['Virtual System Name', 'vsys_name'], ['Device Name', 'device_name'],
  ['FUTURE_USE', ''], ['Source VM UUID', 'src_uuid'], ['Destination VM UUID', 'dst_uuid'], ['HTTP Method', 'http_method'],
  ['Tunnel ID/IMSI', 'tunnelid'], ['Monitor Tag/IMEI', 'monitortag'], ['Parent Session ID', 'parent_session_id'],
  ['Parent Start Time', 'parent_start_time'], ['Tunnel Type', 'tunnel'], ['Threat Category', 'thr_category'],
  ['Content Version', 'contentver'], ['FUTURE_USE', ''], ['SCTP Association ID', 'assoc_id'],
  ['Payload Protocol ID', 'ppid'], ['HTTP Headers', 'http_headers'], ['URL Category List', 'url_category_list'],
  ['Rule UUID', 'rule_uuid'], ['HTTP/2 Connection', 'http2_connection'], ['Dynamic User Group Name', 'dynusergroup_name'],
]

/** Where the records come from: the clock mapping and what the front end knows about ports. */
export interface LogContext {
  /** Engine µs → wall-clock ms since the epoch. */
  wallMs: (us: number) => number
  /** The interface a zone's traffic uses (bridge); '' when unknown (replay, scenarios). */
  interfaceOf?: (zone: string) => string
}

const pad2 = (n: number): string => (n < 10 ? '0' : '') + String(n)

/** `YYYY/MM/DD HH:MM:SS` in UTC for wall-clock milliseconds (PAN-OS's log time format). */
export function panosLogTime (ms: number): string {
  const d = new Date(Math.floor(ms / 1000) * 1000)
  return `${d.getUTCFullYear()}/${pad2(d.getUTCMonth() + 1)}/${pad2(d.getUTCDate())} ` +
    `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`
}

/** A CSV field as PAN-OS writes it: quoted (inner quotes doubled) only when it holds a comma, quote or line break. */
export function csvField (v: string | number): string {
  if (typeof v === 'number') return String(v)
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v
}

/** The JSON / CSV values of one traffic record, keyed by custom-format variable (fields rstlab fills). */
export type PanosFields = Record<string, string | number>

const NO_NAT4 = '0.0.0.0'
const NO_NAT6 = '::'

export class PanosLogFormatter {
  /** PAN-OS numbers every log it writes (Sequence Number); per formatter here, from 1. */
  private seq = 0
  private lastSec = -1
  private lastTime = ''

  constructor (private readonly ctx: LogContext) {}

  private time (us: number): string {
    const ms = this.ctx.wallMs(us)
    const sec = Math.floor(ms / 1000)
    if (sec !== this.lastSec) { this.lastSec = sec; this.lastTime = panosLogTime(ms) }
    return this.lastTime
  }

  private iface (zone: string | undefined): string {
    return zone === undefined || zone === '' || this.ctx.interfaceOf === undefined ? '' : this.ctx.interfaceOf(zone)
  }

  /** The fields of a traffic record (PAN-OS variable names; values as PAN-OS renders them). */
  traffic (r: TrafficLogRecord): PanosFields {
    const gen = this.time(r.endUs)
    const noNat = r.src.includes(':') ? NO_NAT6 : NO_NAT4
    return {
      receive_time: gen, serial: '', type: 'TRAFFIC', subtype: r.subtype, time_generated: gen,
      src: r.src, dst: r.dst, natsrc: noNat, natdst: noNat, rule: r.rule, app: r.application, vsys: 'vsys1',
      from: r.fromZone, to: r.toZone, inbound_if: this.iface(r.fromZone), outbound_if: this.iface(r.toZone),
      sessionid: r.sessionId, repeatcnt: 1, sport: r.sport, dport: r.dport, natsport: 0, natdport: 0, flags: '0x0',
      proto: r.proto, action: r.action,
      bytes: r.bytesC2s + r.bytesS2c, bytes_sent: r.bytesC2s, bytes_received: r.bytesS2c,
      packets: r.packetsC2s + r.packetsS2c, start: this.time(r.startUs), elapsed: r.elapsedS, category: 'any',
      seqno: ++this.seq, actionflags: '0x0', pkts_sent: r.packetsC2s, pkts_received: r.packetsS2c,
      session_end_reason: r.endReason, dg_hier_level_1: 0, dg_hier_level_2: 0, dg_hier_level_3: 0, dg_hier_level_4: 0,
      action_source: 'from-policy',
    }
  }

  /** The fields of a threat record. */
  threat (r: ThreatLogRecord): PanosFields {
    const gen = this.time(r.timeUs)
    const noNat = r.src.includes(':') ? NO_NAT6 : NO_NAT4
    const from = r.fromZone ?? ''
    const to = r.toZone ?? ''
    return {
      receive_time: gen, serial: '', type: 'THREAT', subtype: r.subtype ?? 'vulnerability', time_generated: gen,
      src: r.src, dst: r.dst, natsrc: noNat, natdst: noNat, rule: r.rule ?? '', app: r.application, vsys: 'vsys1',
      from, to, inbound_if: this.iface(from), outbound_if: this.iface(to),
      sessionid: r.sessionId, repeatcnt: 1, sport: r.sport, dport: r.dport, natsport: 0, natdport: 0, flags: '0x0',
      proto: r.proto, action: r.action, misc: '',
      threatid: r.threatId !== undefined ? `${r.signature}(${r.threatId})` : r.signature,
      category: 'any', severity: r.severity, direction: r.direction === 'c2s' ? 'client-to-server' : 'server-to-client',
      seqno: ++this.seq, actionflags: '0x0', dg_hier_level_1: 0, dg_hier_level_2: 0, dg_hier_level_3: 0, dg_hier_level_4: 0,
    }
  }

  trafficJson (r: TrafficLogRecord): string { return JSON.stringify(this.traffic(r)) }
  threatJson (r: ThreatLogRecord): string { return JSON.stringify(this.threat(r)) }
  trafficCsv (r: TrafficLogRecord): string { return csvLine(TRAFFIC_FIELDS, this.traffic(r)) }
  threatCsv (r: ThreatLogRecord): string { return csvLine(THREAT_FIELDS, this.threat(r)) }

  /** One line (no newline) in `format` ('json' or 'csv'). */
  line (format: 'json' | 'csv', r: TrafficLogRecord | ThreatLogRecord): string {
    if (r.type === 'TRAFFIC') return format === 'csv' ? this.trafficCsv(r) : this.trafficJson(r)
    return format === 'csv' ? this.threatCsv(r) : this.threatJson(r)
  }
}

/**
 * The columns in order; FUTURE_USE columns hold what PAN-OS's own lines hold there: `1` in the first
 * and second (before Generated Time), empty elsewhere. The threat line's URL/Filename is quoted even
 * when empty, as PAN-OS writes it.
 */
function csvLine (cols: ReadonlyArray<readonly [string, string]>, f: PanosFields): string {
  let out = ''
  for (let i = 0; i < cols.length; i++) {
    const key = cols[i]![1]
    let v: string
    if (key === '') v = i === 0 || i === 5 ? '1' : ''
    else if (key === 'misc') v = `"${String(f.misc ?? '').replace(/"/g, '""')}"`
    else { const x = f[key]; v = x === undefined ? '' : csvField(x) }
    out += i === 0 ? v : ',' + v
  }
  return out
}
