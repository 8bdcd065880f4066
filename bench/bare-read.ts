/**
 * The bare baseline of `npm run bench:replay`: read a classic pcap in 4 MiB chunks and touch two
 * bytes of every record (the low byte of its caplen and the first byte of its frame). No decoding,
 * no output. Usage: node build/bench/bare-read.js FILE  → prints the record count.
 */
import { openSync, readSync, closeSync } from 'node:fs'

const CHUNK = 4 * 1024 * 1024
const fd = openSync(process.argv[2]!, 'r')
let buf = Buffer.allocUnsafe(CHUNK)
let have = readSync(fd, buf, 0, buf.length, null)
let pos = 24 // after the file header
let records = 0
let sink = 0
for (;;) {
  while (pos + 16 <= have) {
    const caplen = buf.readUInt32LE(pos + 8)
    if (pos + 16 + caplen > have) break
    sink += buf[pos + 16]! + buf[pos + 8]!
    records++
    pos += 16 + caplen
  }
  // Move the unread tail to the front (a larger buffer if one record needs it) and top up.
  const tail = have - pos
  const next = tail + 16 + (tail >= 16 ? buf.readUInt32LE(pos + 8) : 0) > buf.length ? Buffer.allocUnsafe(2 * buf.length) : buf
  buf.copy(next, 0, pos, have)
  buf = next
  have = tail
  pos = 0
  const n = readSync(fd, buf, have, buf.length - have, null)
  if (n === 0) break
  have += n
}
closeSync(fd)
process.stdout.write(`${records} ${sink & 0xff}\n`)
