/**
 * The synthetic trace shared by the engine and replay benchmarks: FLOWS concurrent TCP connections
 * (clients 198.18.0.0/16, servers 198.19.0.0/16: the RFC 2544 benchmarking range), each with a
 * handshake, DATA_ROUNDS request/response rounds and a FIN close, interleaved round-robin so every
 * connection is open at once. With 10 000 flows and 47 rounds: 1 M frames.
 */
import { buildFrame } from '../src/wire/build.js'
import { PcapWriter } from '../src/pcap/index.js'

/** The trace's frames, as views into one backing buffer, in wire order. */
export function buildTrace (flows: number, dataRounds: number): Buffer[] {
  const perFlow: Buffer[][] = []
  for (let i = 0; i < flows; i++) {
    const c = `198.18.${(i >> 8) & 0xff}.${i & 0xff}`
    const s = `198.19.${(i >> 8) & 0x7f}.${(i & 0xff) | 1}`
    const cport = 20000 + (i % 40000)
    let cs = (i * 2654435761) >>> 0
    let ss = (i * 40503 + 7) >>> 0
    const frames: Buffer[] = []
    const mk = (c2s: boolean, flags: string, len: number): void => {
      frames.push(buildFrame({
        src: c2s ? c : s, dst: c2s ? s : c,
        tcp: { sport: c2s ? cport : 443, dport: c2s ? 443 : cport, seq: c2s ? cs : ss, ack: flags === 'S' ? 0 : (c2s ? ss : cs), flags, window: 65000 },
        payload: len > 0 ? len : undefined,
      }))
      const adv = len + (flags.includes('S') ? 1 : 0) + (flags.includes('F') ? 1 : 0)
      if (c2s) cs = (cs + adv) >>> 0; else ss = (ss + adv) >>> 0
    }
    mk(true, 'S', 0); mk(false, 'S.', 0); mk(true, '.', 0)
    for (let r = 0; r < dataRounds; r++) {
      mk(true, 'P.', 40 + (r & 7) * 8)
      mk(false, 'P.', 200 + (r & 3) * 100)
    }
    mk(true, 'F.', 0); mk(false, 'F.', 0); mk(true, '.', 0)
    perFlow.push(frames)
  }
  const total = perFlow.reduce((n, f) => n + f.length, 0)
  const backing = Buffer.alloc(perFlow.reduce((n, f) => n + f.reduce((m, b) => m + b.length, 0), 0))
  const out: Buffer[] = new Array(total)
  let k = 0
  let off = 0
  const len = perFlow[0]!.length
  for (let j = 0; j < len; j++) {
    for (let i = 0; i < flows; i++) {
      const b = perFlow[i]![j]!
      b.copy(backing, off)
      out[k++] = backing.subarray(off, off + b.length)
      off += b.length
    }
  }
  return out
}

/** Capture time of the trace's first frame (2023-11-14) and the gap between frames (µs). */
export const TRACE_START_US = 1_700_000_000_000_000
export const TRACE_GAP_US = 2

/** Write the trace as a classic pcap (µs), frame i at TRACE_START_US + i * TRACE_GAP_US. */
export async function writeTracePcap (file: string, flows: number, dataRounds: number): Promise<number> {
  const frames = buildTrace(flows, dataRounds)
  const w = await PcapWriter.open(file, { linkType: 1 })
  for (let i = 0; i < frames.length; i++) await w.write({ tsUs: TRACE_START_US + i * TRACE_GAP_US, linkType: 1, data: frames[i]! })
  await w.close()
  return frames.length
}
