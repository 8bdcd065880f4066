/**
 * `rstlab decode FILE [--json]`: one line per frame of a pcap/pcapng capture — tcpdump-like text
 * (`formatSummary`) or one JSON object — including frames that fail to decode, with their error.
 * Damage in the file is a warning on stderr (with the byte offset) after the last good frame.
 * Exit 0 when the file could be read at all, 2 when it is missing or not a capture.
 */
import type { Argv, CommandModule } from 'yargs'
import { openCapture, type CaptureRecord, type RecordView } from '../../pcap/index.js'
import { decodeFrame, summaryAddr } from '../../wire/decode.js'
import { formatSummary } from '../../wire/format.js'
import { formatTcpFlags } from '../../wire/build.js'
import { DECODE_CODE_NAMES, FrameSummary } from '../../wire/summary.js'
import { LineSink } from '../lines.js'

const SINK_CHUNK = 64 * 1024

interface DecodeArgs {
  file: string
  json: boolean
}

/** The JSON form of one decoded frame (`rstlab decode --json`). Absent fields are null. */
export interface DecodedFrameJson {
  n: number
  tsUs: number
  linkType: number
  /** Bytes captured; `origLen` is the length on the wire. */
  len: number
  origLen: number
  error: string | null
  errorOffset: number | null
  vlan: number[]
  ipVersion: number | null
  src: string | null
  dst: string | null
  proto: number | null
  sport: number | null
  dport: number | null
  flags: string | null
  seq: number | null
  ack: number | null
  win: number | null
  ttl: number | null
  fragment: boolean
  payloadLen: number
  icmpType: number | null
  icmpCode: number | null
  comment: string | null
}

export function frameJson (rec: CaptureRecord, s: FrameSummary): DecodedFrameJson {
  const ip = s.l3Off >= 0
  const ports = ip && (s.proto === 6 || s.proto === 17) && s.fragOffset === 0 && (s.l4Off >= 0 || s.srcPort !== 0 || s.dstPort !== 0)
  const tcp = ip && s.proto === 6 && s.l4Off >= 0
  const vlan: number[] = []
  if (s.vlanCount > 0) vlan.push(s.vlanTci0 & 0xfff)
  if (s.vlanCount > 1) vlan.push(s.vlanTci1 & 0xfff)
  return {
    n: rec.n,
    tsUs: rec.tsUs,
    linkType: rec.linkType,
    len: rec.caplen,
    origLen: rec.origLen,
    error: s.error === 0 ? null : DECODE_CODE_NAMES[s.error] ?? `code-${s.error}`,
    errorOffset: s.error === 0 ? null : s.errorOffset,
    vlan,
    ipVersion: ip ? s.ipVersion : null,
    src: s.srcOff >= 0 ? summaryAddr(s, 'src') : null,
    dst: s.dstOff >= 0 ? summaryAddr(s, 'dst') : null,
    proto: ip ? s.proto : null,
    sport: ports ? s.srcPort : null,
    dport: ports ? s.dstPort : null,
    flags: tcp ? formatTcpFlags(s.tcpFlags) : null,
    seq: tcp ? s.seq : null,
    ack: tcp ? s.ack : null,
    win: tcp ? s.window : null,
    ttl: ip ? s.ttl : null,
    fragment: s.isFragment,
    payloadLen: s.payloadLen,
    icmpType: s.icmpType >= 0 ? s.icmpType : null,
    icmpCode: s.icmpCode >= 0 ? s.icmpCode : null,
    comment: rec.comment ?? null,
  }
}

/** `v ?? null` as JSON (numbers and null only). */
function num (ok: boolean, v: number): string {
  return ok ? String(v) : 'null'
}

/**
 * `JSON.stringify(frameJson(rec, s))`, built as one string without the intermediate object (the
 * per-frame cost of `decode --json`). Same keys, same order, same escaping (strings that may need it
 * go through JSON.stringify).
 */
export function frameJsonLine (v: RecordView | CaptureRecord, s: FrameSummary): string {
  const ip = s.l3Off >= 0
  const ports = ip && (s.proto === 6 || s.proto === 17) && s.fragOffset === 0 && (s.l4Off >= 0 || s.srcPort !== 0 || s.dstPort !== 0)
  const tcp = ip && s.proto === 6 && s.l4Off >= 0
  const vlan = s.vlanCount > 1 ? `[${s.vlanTci0 & 0xfff},${s.vlanTci1 & 0xfff}]` : s.vlanCount > 0 ? `[${s.vlanTci0 & 0xfff}]` : '[]'
  const error = s.error === 0 ? 'null' : JSON.stringify(DECODE_CODE_NAMES[s.error] ?? `code-${s.error}`)
  const src = s.srcOff >= 0 ? `"${summaryAddr(s, 'src')}"` : 'null'
  const dst = s.dstOff >= 0 ? `"${summaryAddr(s, 'dst')}"` : 'null'
  const comment = v.comment === undefined ? 'null' : JSON.stringify(v.comment)
  return `{"n":${v.n},"tsUs":${v.tsUs},"linkType":${v.linkType},"len":${v.caplen},"origLen":${v.origLen},` +
    `"error":${error},"errorOffset":${num(s.error !== 0, s.errorOffset)},"vlan":${vlan},"ipVersion":${num(ip, s.ipVersion)},` +
    `"src":${src},"dst":${dst},"proto":${num(ip, s.proto)},"sport":${num(ports, s.srcPort)},"dport":${num(ports, s.dstPort)},` +
    `"flags":${tcp ? `"${formatTcpFlags(s.tcpFlags)}"` : 'null'},"seq":${num(tcp, s.seq)},"ack":${num(tcp, s.ack)},"win":${num(tcp, s.window)},` +
    `"ttl":${num(ip, s.ttl)},"fragment":${s.isFragment ? 'true' : 'false'},"payloadLen":${s.payloadLen},` +
    `"icmpType":${num(s.icmpType >= 0, s.icmpType)},"icmpCode":${num(s.icmpCode >= 0, s.icmpCode)},"comment":${comment}}`
}

/** The text form: tcpdump-like summary, plus the pcapng comment if any (kept on the one line). */
export function frameText (rec: CaptureRecord | RecordView, s: FrameSummary): string {
  const line = formatSummary(s, rec.tsUs)
  return rec.comment === undefined ? line : `${line} # ${rec.comment.replace(/[\r\n]+/g, ' | ')}`
}

/**
 * Decode every frame of `file` to `sink`; warnings about damage go to `warn`.
 * @throws {RstlabError} RSTLAB_ERR_IO / RSTLAB_ERR_BAD_CAPTURE when the file cannot be read as a capture.
 */
export async function decodeFile (file: string, json: boolean, sink: LineSink,
  warn: (text: string) => void): Promise<number> {
  const reader = await openCapture(file, { onWarning: w => { warn(`${file}: ${w.message}`) } })
  const s = new FrameSummary()
  let frames = 0
  // The reader's reused views: one frame view for the decoder, no other object per frame.
  do {
    for (let v = reader.nextView(); v !== undefined; v = reader.nextView()) {
      decodeFrame(v.buf.subarray(v.off, v.off + v.caplen), v.linkType, s)
      sink.push(json ? frameJsonLine(v, s) : frameText(v, s))
      frames++
      if (sink.pending >= SINK_CHUNK) {
        await sink.drain()
        if (sink.closed) { await reader.close(); await sink.flush(); return frames }
      }
    }
  } while (await reader.refill())
  await sink.flush()
  return frames
}

export const decodeCommand: CommandModule<object, DecodeArgs> = {
  command: 'decode <file>',
  describe: 'print one line per frame of a pcap/pcapng capture (tcpdump-like, or JSON with --json)',
  builder: (y: Argv) => y
    .positional('file', { type: 'string', demandOption: true, describe: 'capture file (.pcap or .pcapng)' })
    .option('json', { type: 'boolean', default: false, describe: 'one JSON object per frame instead of text' })
    .example('$0 decode in.pcapng', 'tcpdump-like lines')
    .example('$0 decode in.pcap --json | jq .flags', 'machine-readable fields') as unknown as Argv<DecodeArgs>,
  handler: async (argv) => {
    const sink = new LineSink()
    await decodeFile(argv.file, argv.json, sink, (text) => { process.stderr.write(`rstlab: warning: ${text}\n`) })
    process.exitCode = 0
  },
}
