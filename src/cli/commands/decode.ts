/**
 * `rstlab decode FILE [--json]`: one line per frame of a pcap/pcapng capture — tcpdump-like text
 * (`formatSummary`) or one JSON object — including frames that fail to decode, with their error.
 * Damage in the file is a warning on stderr (with the byte offset) after the last good frame.
 * Exit 0 when the file could be read at all, 2 when it is missing or not a capture.
 */
import type { Argv, CommandModule } from 'yargs'
import { openCapture, type CaptureRecord, type RecordView } from '../../pcap/index.js'
import { decodeFrameAt, summaryAddr } from '../../wire/decode.js'
import { formatIp } from '../../wire/addr.js'
import { formatSummary } from '../../wire/format.js'
import { formatTcpFlags } from '../../wire/build.js'
import { DECODE_CODE_NAMES, FrameSummary } from '../../wire/summary.js'
import { LineSink } from '../lines.js'
import { ByteLines, ascii, type Ascii } from '../byte-lines.js'

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

/** The literal pieces of a `decode --json` line, as bytes. */
const L = {
  n: ascii('{"n":'), tsUs: ascii(',"tsUs":'), linkType: ascii(',"linkType":'), len: ascii(',"len":'), origLen: ascii(',"origLen":'),
  error: ascii(',"error":'), errorOffset: ascii(',"errorOffset":'), vlan: ascii(',"vlan":'), ipVersion: ascii(',"ipVersion":'),
  src: ascii(',"src":'), dst: ascii(',"dst":'), proto: ascii(',"proto":'), sport: ascii(',"sport":'), dport: ascii(',"dport":'),
  flags: ascii(',"flags":'), seq: ascii(',"seq":'), ack: ascii(',"ack":'), win: ascii(',"win":'), ttl: ascii(',"ttl":'),
  fragment: ascii(',"fragment":'), payloadLen: ascii(',"payloadLen":'), icmpType: ascii(',"icmpType":'), icmpCode: ascii(',"icmpCode":'),
  comment: ascii(',"comment":'), end: ascii('}\n'), clean: ascii(',"error":null,"errorOffset":null,"vlan":[],"ipVersion":'),
  cleanSrc: ascii(',"error":null,"errorOffset":null,"vlan":[],"ipVersion":4,"src":"'), quotedDst: ascii('","dst":"'),
  quotedTcpSport: ascii('","proto":6,"sport":'),
  plainEnd: ascii(',"icmpType":null,"icmpCode":null,"comment":null}\n'), null: ascii('null'), true: ascii('true'), false: ascii('false'), noVlan: ascii('[]'),
}
/** More than a line takes without `text` (addresses of IPv6, comments and odd numbers): literals ~330 bytes, 14 numbers of at most 16 digits. */
const LINE_MAX = 1024
/** `,"linkType":1,"len":` by link type below 256 (the plain IPv4 TCP line), made on first use. */
const LINK_LEN: Array<Ascii | undefined> = new Array(256).fill(undefined)
/** `,"ttl":64,"fragment":false,"payloadLen":` by TTL (the plain IPv4 TCP line), made on first use. */
const TTL_PAYLOAD: Array<Ascii | undefined> = new Array(256).fill(undefined)
/** `,"flags":"S.","seq":` by flag bits, made on first use (the plain IPv4 TCP line). */
const FLAGS_SEQ: Array<Ascii | undefined> = new Array(512).fill(undefined)
/** `"flags"` values by flag bits (9 bits with NS), quoted, made on first use. */
const FLAG_TEXT: Array<Ascii | undefined> = new Array(512).fill(undefined)
const ERROR_TEXT: Array<Ascii | undefined> = []

function numOrNull (o: ByteLines, ok: boolean, v: number): void {
  if (ok) o.num(v); else o.lit(L.null)
}

/**
 * `JSON.stringify(frameJson(v, s))` and its newline, written as bytes into `o` (the `decode --json`
 * loop): the same bytes, without the object or a string per field or line (test/pcap/fast-path.test.ts
 * compares the two).
 */
export function frameJsonBytes (o: ByteLines, v: RecordView | CaptureRecord, s: FrameSummary): void {
  o.reserve(LINE_MAX)
  if (s.error === 0 && s.vlanCount === 0 && s.ipVersion === 4 && s.proto === 6 && s.l4Off >= 0 && !s.isFragment &&
    s.icmpType < 0 && v.comment === undefined) { plainTcp4Bytes(o, v, s); return }
  const ip = s.l3Off >= 0
  const ports = ip && (s.proto === 6 || s.proto === 17) && s.fragOffset === 0 && (s.l4Off >= 0 || s.srcPort !== 0 || s.dstPort !== 0)
  const tcp = ip && s.proto === 6 && s.l4Off >= 0
  o.lit(L.n); o.num(v.n)
  o.lit(L.tsUs); o.num(v.tsUs)
  o.lit(L.linkType); o.num(v.linkType)
  o.lit(L.len); o.num(v.caplen)
  o.lit(L.origLen); o.num(v.origLen)
  if (s.error === 0 && s.vlanCount === 0) {
    o.lit(L.clean) // the common case in one literal: no error, no VLAN tag
  } else {
    o.lit(L.error)
    if (s.error === 0) o.lit(L.null)
    else o.lit(ERROR_TEXT[s.error] ??= ascii(JSON.stringify(DECODE_CODE_NAMES[s.error] ?? `code-${s.error}`)))
    o.lit(L.errorOffset); numOrNull(o, s.error !== 0, s.errorOffset)
    o.lit(L.vlan)
    if (s.vlanCount === 0) o.lit(L.noVlan)
    else {
      o.byte(0x5b); o.num(s.vlanTci0 & 0xfff)
      if (s.vlanCount > 1) { o.byte(0x2c); o.num(s.vlanTci1 & 0xfff) }
      o.byte(0x5d)
    }
    o.lit(L.ipVersion)
  }
  numOrNull(o, ip, s.ipVersion)
  o.lit(L.src); address(o, s, s.srcOff)
  o.lit(L.dst); address(o, s, s.dstOff)
  o.lit(L.proto); numOrNull(o, ip, s.proto)
  o.lit(L.sport); numOrNull(o, ports, s.srcPort)
  o.lit(L.dport); numOrNull(o, ports, s.dstPort)
  o.lit(L.flags)
  if (tcp) o.lit(FLAG_TEXT[s.tcpFlags & 0x1ff] ??= ascii(`"${formatTcpFlags(s.tcpFlags & 0x1ff)}"`)); else o.lit(L.null)
  o.lit(L.seq); numOrNull(o, tcp, s.seq)
  o.lit(L.ack); numOrNull(o, tcp, s.ack)
  o.lit(L.win); numOrNull(o, tcp, s.window)
  o.lit(L.ttl); numOrNull(o, ip, s.ttl)
  o.lit(L.fragment); o.lit(s.isFragment ? L.true : L.false)
  o.lit(L.payloadLen); o.num(s.payloadLen)
  o.lit(L.icmpType); numOrNull(o, s.icmpType >= 0, s.icmpType)
  o.lit(L.icmpCode); numOrNull(o, s.icmpCode >= 0, s.icmpCode)
  o.lit(L.comment)
  if (v.comment === undefined) o.lit(L.null); else o.text(JSON.stringify(v.comment))
  o.lit(L.end)
}

/** The line of an undamaged, untagged, unfragmented IPv4 TCP frame without a comment: fewer, longer literals. */
function plainTcp4Bytes (o: ByteLines, v: RecordView | CaptureRecord, s: FrameSummary): void {
  o.lit(L.n); o.num(v.n)
  o.lit(L.tsUs); o.num(v.tsUs)
  if (v.linkType < 256) o.lit(LINK_LEN[v.linkType] ??= ascii(`,"linkType":${v.linkType},"len":`))
  else { o.lit(L.linkType); o.num(v.linkType); o.lit(L.len) }
  o.num(v.caplen)
  o.lit(L.origLen); o.num(v.origLen)
  o.lit(L.cleanSrc); o.ip4(s.frame, s.srcOff)
  o.lit(L.quotedDst); o.ip4(s.frame, s.dstOff)
  o.lit(L.quotedTcpSport); o.num(s.srcPort)
  o.lit(L.dport); o.num(s.dstPort)
  o.lit(FLAGS_SEQ[s.tcpFlags & 0x1ff] ??= ascii(`,"flags":"${formatTcpFlags(s.tcpFlags & 0x1ff)}","seq":`)); o.num(s.seq)
  o.lit(L.ack); o.num(s.ack)
  o.lit(L.win); o.num(s.window)
  o.lit(TTL_PAYLOAD[s.ttl & 0xff] ??= ascii(`,"ttl":${s.ttl & 0xff},"fragment":false,"payloadLen":`)); o.num(s.payloadLen)
  o.lit(L.plainEnd)
}

function address (o: ByteLines, s: FrameSummary, off: number): void {
  if (off < 0) { o.lit(L.null); return }
  o.byte(0x22)
  if (s.addrLen === 4) o.ip4(s.frame, off); else o.text(formatIp(s.frame, off, s.addrLen))
  o.byte(0x22)
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
  // The reader's reused views, each frame decoded where it lies in the read chunk; JSON lines are
  // written as bytes into output chunks (no string per line).
  const bytes = json ? new ByteLines(SINK_CHUNK) : undefined
  do {
    for (let v = reader.nextView(); v !== undefined; v = reader.nextView()) {
      decodeFrameAt(v.buf, v.off, v.caplen, v.linkType, s)
      frames++
      if (bytes !== undefined) {
        frameJsonBytes(bytes, v, s)
        if (!bytes.full) continue
        await sink.bytes(bytes.take())
      } else {
        sink.push(frameText(v, s))
        if (sink.pending < SINK_CHUNK) continue
        await sink.drain()
      }
      if (sink.closed) { await reader.close(); await sink.flush(); return frames }
    }
  } while (await reader.refill())
  if (bytes !== undefined && bytes.pos > 0) await sink.bytes(bytes.take())
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
