/**
 * Capture I/O benchmark: writes a large pcapng with the streaming writer, reads it back with the
 * streaming reader and reports throughput and peak RSS (which must stay flat: nothing is loaded
 * whole). Usage: `node build/bench/pcap.js [MB=256] [dir=os.tmpdir()]`. Prints figures; asserts nothing.
 */
import { rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { PcapngWriter, openCapture } from '../src/pcap/index.js'

async function main (): Promise<void> {
  const mb = Number(process.argv[2] ?? 256)
  const file = path.join(process.argv[3] ?? tmpdir(), `rstlab-bench-${process.pid}.pcapng`)
  const frame = Buffer.alloc(1500, 0x5a)
  const n = Math.ceil(mb * 1024 * 1024 / (frame.length + 32))
  let peak = 0
  const sample = (): void => { peak = Math.max(peak, process.memoryUsage().rss) }
  try {
    let t0 = process.hrtime.bigint()
    const w = await PcapngWriter.open(file)
    for (let i = 0; i < n; i++) {
      await w.write({ tsUs: 1_700_000_000_000_000 + i, linkType: 1, data: frame, comment: i % 1000 === 0 ? 'c' : undefined })
      if ((i & 4095) === 0) sample()
    }
    await w.close()
    const size = statSync(file).size
    const wS = Number(process.hrtime.bigint() - t0) / 1e9
    console.log(`write: ${n} packets, ${(size / 1048576).toFixed(0)} MiB in ${wS.toFixed(2)} s = ${(size / 1048576 / wS).toFixed(0)} MiB/s, peak RSS ${(peak / 1048576).toFixed(0)} MiB`)
    peak = 0
    t0 = process.hrtime.bigint()
    const r = await openCapture(file)
    let count = 0
    let bytes = 0
    for await (const rec of r) {
      count++; bytes += rec.caplen
      if ((count & 4095) === 0) sample()
    }
    const rS = Number(process.hrtime.bigint() - t0) / 1e9
    console.log(`read:  ${count} packets, ${(bytes / 1048576).toFixed(0)} MiB of frames in ${rS.toFixed(2)} s = ${(count / rS / 1e6).toFixed(2)} Mpps, ${(size / 1048576 / rS).toFixed(0)} MiB/s, peak RSS ${(peak / 1048576).toFixed(0)} MiB`)
  } finally {
    rmSync(file, { force: true })
  }
}

await main()
