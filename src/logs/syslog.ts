/**
 * Syslog framing for the PAN-OS log lines (pure: the caller passes the time and host name). Two
 * message formats, as a PAN-OS syslog server profile offers them:
 *
 * - `bsd` (RFC 3164): `<PRI>Mmm dd hh:mm:ss HOSTNAME MSG` (day space-padded, local time of the
 *   sender in RFC 3164; rstlab writes UTC, like its log times). No TAG, as PAN-OS sends its CSV.
 * - `ietf` (RFC 5424): `<PRI>1 TIMESTAMP HOSTNAME rstlab - - - MSG` (RFC 3339 time in UTC with
 *   milliseconds, no structured data).
 *
 * Transport framing: UDP carries one message per datagram (RFC 5426 for IETF); TCP uses RFC 6587
 * octet counting (`LEN SP MSG`) for `ietf` and LF-terminated messages (RFC 6587 non-transparent
 * framing) for `bsd`, the usual pairing of collectors (rsyslog, syslog-ng) and what PAN-OS sends.
 *
 * PRI = facility × 8 + severity. Facility: LOG_USER (1), PAN-OS's default. Severity: traffic logs
 * informational (6); threat logs from their severity (critical 2, high 3, medium 4, low 5,
 * informational 6).
 */
export type SyslogFormat = 'bsd' | 'ietf'
export const SYSLOG_FORMATS: readonly SyslogFormat[] = ['bsd', 'ietf']

export const FACILITY_USER = 1
const SEVERITY: Record<string, number> = { critical: 2, high: 3, medium: 4, low: 5, informational: 6 }

/** The syslog severity for a PAN-OS log line (traffic: 6; threat: from its Severity word). */
export function syslogSeverity (panosSeverity: string | undefined): number {
  return panosSeverity === undefined ? 6 : SEVERITY[panosSeverity] ?? 6
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const p2 = (n: number): string => (n < 10 ? '0' : '') + String(n)

/** One syslog message (without transport framing). */
export function syslogMessage (format: SyslogFormat, msg: string, o: { timeMs: number, host: string, severity: number, facility?: number }): string {
  const pri = (o.facility ?? FACILITY_USER) * 8 + o.severity
  const d = new Date(o.timeMs)
  // RFC 3164 and 5424 both want a HOSTNAME without spaces; '-' is 5424's nil value.
  const host = o.host.replace(/\s+/g, '') || '-'
  if (format === 'bsd') {
    const day = String(d.getUTCDate()).padStart(2, ' ')
    return `<${pri}>${MONTHS[d.getUTCMonth()]} ${day} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} ${host} ${msg}`
  }
  return `<${pri}>1 ${d.toISOString()} ${host} rstlab - - - ${msg}`
}

/** TCP framing of one message: octet counting for `ietf`, LF for `bsd` (see above). */
export function tcpFrame (format: SyslogFormat, message: string): string {
  return format === 'ietf' ? `${Buffer.byteLength(message)} ${message}` : `${message}\n`
}

export interface SyslogTarget { host: string, port: number, transport: 'udp' | 'tcp' }

/**
 * `HOST:PORT[/udp|/tcp]` (IPv6 in brackets: `[::1]:514/tcp`); UDP when no transport is named.
 * Returns an error message instead of throwing (the CLI wraps it).
 */
export function parseSyslogTarget (spec: string): SyslogTarget | string {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^\s:/[\]]+)):(\d{1,5})(?:\/(udp|tcp))?$/.exec(spec)
  if (m === null) return `--syslog takes HOST:PORT[/udp|/tcp], not \`${spec}\``
  const port = Number(m[3])
  if (port < 1 || port > 65535) return `--syslog port must be 1-65535, got ${port}`
  return { host: m[1] ?? m[2]!, port, transport: (m[4] as 'udp' | 'tcp' | undefined) ?? 'udp' }
}
