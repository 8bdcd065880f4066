/**
 * The live runner's log batching (src/cli/live/log-batch.ts): lines come out in order and whole, at
 * the end of the event-loop turn or once a chunk is full; a line longer than a chunk passes alone;
 * lines a bounded destination drops are counted; and with a real SonicBoom in buffer mode the file
 * holds exactly the lines written.
 */
import t from 'tap'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import pino from 'pino'
import { LogBatch, type LogDest } from '../../src/cli/live/log-batch.js'
import { pinoRecordLine } from '../../src/cli/log-output.js'
import type { TrafficLogRecord } from '../../src/engine/types.js'

const turn = (): Promise<void> => new Promise(resolve => setImmediate(resolve))

class Fake implements LogDest {
  chunks: Buffer[] = []
  private drop: ((d: Buffer) => void) | undefined
  refuse = false
  write (b: Buffer): boolean { if (this.refuse) this.drop?.(b); else this.chunks.push(Buffer.from(b)); return true }
  on (_ev: 'drop', fn: (d: Buffer) => void): void { this.drop = fn }
  text (): string { return Buffer.concat(this.chunks).toString('utf8') }
}

t.test('lines wait for the end of the turn, then go out in order, whole', async t => {
  const d = new Fake()
  const b = new LogBatch(d)
  b.write('a\n'); b.write('é€\n'); b.write('c\n')
  t.equal(d.chunks.length, 0, 'nothing handed over within the turn')
  await turn()
  t.equal(d.chunks.length, 1, 'one chunk at the end of the turn')
  t.equal(d.text(), 'a\né€\nc\n', 'in order, UTF-8 intact')
})

t.test('a full chunk is handed over at once; a line longer than a chunk passes alone', async t => {
  const d = new Fake()
  const b = new LogBatch(d)
  const line = 'x'.repeat(999) + '\n'
  const lines: string[] = []
  for (let i = 0; i < 600; i++) { lines.push(line); b.write(line) } // 600 KB: over two chunks of 256 KB
  t.ok(d.chunks.length >= 2, `chunks handed over within the turn (${d.chunks.length})`)
  const big = 'y'.repeat(300 * 1024) + '\n'
  b.write(big); lines.push(big)
  b.write('z\n'); lines.push('z\n')
  await turn()
  t.equal(d.text(), lines.join(''), 'every byte, in order')
  t.ok(d.chunks.every(c => c.length <= 300 * 1024 + 1), 'no chunk larger than its longest line needs')
})

t.test('lines the destination drops are counted', async t => {
  const d = new Fake()
  const b = new LogBatch(d)
  d.refuse = true
  b.write('1\n'); b.write('2\n'); b.write('3\n')
  await turn()
  t.equal(b.dropped, 3, 'three lines dropped')
  d.refuse = false
  b.write('4\n')
  await turn()
  t.equal(d.text(), '4\n', 'later lines pass')
  t.equal(b.dropped, 3)
})

t.test('through a real SonicBoom (buffer mode, maxWrite 1 MB): the file holds every line', async t => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rstlab-logbatch-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const file = path.join(dir, 'log')
  const sonic = pino.destination({ dest: file, sync: false, maxWrite: 1024 * 1024, maxLength: 64 * 1024 * 1024, contentMode: 'buffer' })
  await new Promise(resolve => sonic.once('ready', resolve))
  const b = new LogBatch(sonic as unknown as LogDest)
  let want = ''
  for (let i = 0; i < 20_000; i++) {
    const l = `{"n":${i},"s":"${'ü'.repeat(i % 50)}"}\n`
    want += l
    b.write(l)
    if (i % 1000 === 0) await turn()
  }
  await b.end()
  t.equal(readFileSync(file, 'utf8'), want, '20,000 lines, byte for byte, in order, after end()')
  t.equal(b.dropped, 0)
})

t.test('traffic records and lines: in order, each record as pinoRecordLine writes it, across chunk boundaries', async t => {
  const d = new Fake()
  const b = new LogBatch(d)
  const want: string[] = []
  for (let i = 0; i < 3000; i++) {
    const rec: TrafficLogRecord = {
      type: 'TRAFFIC', subtype: 'end', sessionId: i, rule: i % 7 === 0 ? 'r"é' : 'allow-all', action: 'allow', application: 'incomplete',
      fromZone: 'trust', toZone: 'untrust', src: '198.18.0.1', sport: 1024 + i, dst: '198.19.0.1', dport: 80, proto: 'tcp',
      bytesC2s: i * 1000, bytesS2c: 0, packetsC2s: 1, packetsS2c: 0, startUs: 1700000000000000 + i, elapsedS: i / 8, endUs: 1700000001000000, endReason: 'aged-out',
    }
    if (i % 5 === 0) { const l = `line ${i}\n`; b.write(l); want.push(l); continue }
    t.equal(b.traffic(30, 1700000000000 + i, 42, rec, 'traffic', 'TRAFFIC'), true)
    want.push(pinoRecordLine(30, 1700000000000 + i, 42, rec, 'traffic', 'TRAFFIC')!)
  }
  await turn()
  t.ok(d.chunks.length > 1, `more than one chunk (${d.chunks.length})`)
  t.equal(d.text(), want.join(''), 'every line and record, in order, whole')
})
