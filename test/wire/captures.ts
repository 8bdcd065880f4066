/**
 * A tiny capture reader for wire tests only (the real streaming reader lives in src/pcap/).
 * Reads classic pcap (both byte orders, µs/ns) and pcapng (IDB link types, EPB/SPB/OPB).
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { sharedCaptures } from '../helpers/shared.js'

export interface CapturedFrame { file: string, index: number, linkType: number, data: Buffer }

export function readCapture (file: string): CapturedFrame[] {
  const b = readFileSync(file)
  const name = path.basename(file)
  const out: CapturedFrame[] = []
  const magic = b.readUInt32LE(0)
  if (magic === 0xa1b2c3d4 || magic === 0xa1b23c4d || magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1) {
    const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d
    const r32 = (o: number): number => le ? b.readUInt32LE(o) : b.readUInt32BE(o)
    const linkType = r32(20) & 0xffff
    let o = 24
    while (o + 16 <= b.length) {
      const incl = r32(o + 8)
      if (o + 16 + incl > b.length) break
      out.push({ file: name, index: out.length, linkType, data: b.subarray(o + 16, o + 16 + incl) })
      o += 16 + incl
    }
    return out
  }
  if (magic === 0x0a0d0d0a) {
    let o = 0
    let le = true
    const links: number[] = []
    while (o + 12 <= b.length) {
      if (b.readUInt32LE(o) === 0x0a0d0d0a) { le = b.readUInt32LE(o + 8) === 0x1a2b3c4d; links.length = 0 }
      const r32 = (x: number): number => le ? b.readUInt32LE(x) : b.readUInt32BE(x)
      const r16 = (x: number): number => le ? b.readUInt16LE(x) : b.readUInt16BE(x)
      const type = r32(o)
      const len = r32(o + 4)
      if (len < 12 || o + len > b.length) break
      if (type === 1) links.push(r16(o + 8))
      else if (type === 6) {
        const iface = r32(o + 8); const cap = r32(o + 20)
        out.push({ file: name, index: out.length, linkType: links[iface] ?? 1, data: b.subarray(o + 28, o + 28 + cap) })
      } else if (type === 3) {
        const orig = r32(o + 8)
        out.push({ file: name, index: out.length, linkType: links[0] ?? 1, data: b.subarray(o + 12, o + 12 + Math.min(orig, len - 16)) })
      }
      o += len
    }
    return out
  }
  throw new Error(`${name}: not a capture file`)
}

/** Every frame of every shared capture. */
export function allSharedFrames (): CapturedFrame[] {
  return sharedCaptures().flatMap(readCapture)
}
