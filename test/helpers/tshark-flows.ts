/**
 * Payloads of each TCP/UDP flow of a shared capture, per direction, extracted with tshark (one call per
 * file). Used to feed App-ID with real first payloads that nobody on this project wrote.
 * The client is the sender of a flow's first packet. TCP retransmissions are left out (App-ID is fed
 * in-order data only).
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { promisify } from 'node:util'
import path from 'node:path'
import { PCAP_DIR } from './shared.js'

export interface Flow {
  proto: 'tcp' | 'udp'
  stream: number
  client: string
  server: string
  /** Payload segments in capture order, with their direction. */
  segments: Array<{ dir: 'c2s' | 's2c', data: Buffer }>
}

/** Is a `tshark` executable on PATH? (Looked up, not run: starting tshark costs about half a second.) */
export function tsharkAvailable (): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some(d => d !== '' && existsSync(path.join(d, 'tshark')))
}

const execFileP = promisify(execFile)

/** Flows of one capture (file name inside the shared pcaps folder). Several calls run in parallel. */
export async function flowsOf (file: string): Promise<Flow[]> {
  const { stdout: out } = await execFileP('tshark', [
    '-r', path.join(PCAP_DIR, file), '-Y', '(tcp or udp) and not icmp and not icmpv6', '-T', 'fields', '-E', 'separator=|',
    '-e', 'tcp.stream', '-e', 'udp.stream', '-e', 'ip.src', '-e', 'ipv6.src', '-e', 'tcp.srcport', '-e', 'udp.srcport',
    '-e', 'tcp.analysis.retransmission', '-e', 'tcp.payload', '-e', 'udp.payload',
  ], { encoding: 'utf8', maxBuffer: 64 << 20 })
  const flows = new Map<string, Flow>()
  for (const line of out.split('\n')) {
    if (line === '') continue
    const [ts, us, s4, s6, tp, up, retrans, tpay, upay] = line.split('|')
    const proto = ts !== '' ? 'tcp' : 'udp'
    const key = `${proto}${proto === 'tcp' ? ts : us}`
    const endpoint = `${s4 || s6}:${tp || up}`
    let f = flows.get(key)
    if (f === undefined) {
      f = { proto, stream: Number(proto === 'tcp' ? ts : us), client: endpoint, server: '', segments: [] }
      flows.set(key, f)
    }
    if (endpoint !== f.client && f.server === '') f.server = endpoint
    const hex = (proto === 'tcp' ? tpay : upay) ?? ''
    if (hex === '' || retrans !== '') continue
    f.segments.push({ dir: endpoint === f.client ? 'c2s' : 's2c', data: Buffer.from(hex.replace(/:/g, ''), 'hex') })
  }
  return [...flows.values()]
}
