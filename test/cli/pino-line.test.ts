/**
 * pinoRecordLine (the live runner's traffic records written without a pino call) against pino itself:
 * the engine's real traffic-log records from the shared captures, and records with strings that need
 * escaping and odd numbers, logged through a pino logger configured as the bridge's (`base: { pid }`,
 * the default timestamp), give the same line but for the time stamp.
 */
import t from 'tap'
import path from 'node:path'
import { pino } from 'pino'
import { pinoFields, pinoRecordLine, trafficKeysInOrder, trafficRecordBytes, TRAFFIC_KEYS } from '../../src/cli/log-output.js'
import { ByteLines } from '../../src/cli/byte-lines.js'
import { replayFile } from '../../src/ingress/replay.js'
import { loadPolicyFile } from '../../src/policy/load.js'
import type { TrafficLogRecord } from '../../src/engine/types.js'
import { REPO_ROOT, sharedCaptures } from '../helpers/shared.js'

/** What pino writes for `info({ ...rec, log: 'traffic' }, 'TRAFFIC')`, with the time stamp taken out. */
function viaPino (rec: object): string {
  let out = ''
  const log = pino({ level: 'info', base: { pid: process.pid } }, { write (s: string) { out += s } })
  log.info({ ...rec, log: 'traffic' }, 'TRAFFIC')
  return out
}
const untimed = (line: string): string => line.replace(/"time":\d+,/, '"time":T,')

t.test('pinoRecordLine writes what pino writes, for real and awkward records', async t => {
  const records: object[] = []
  const policy = loadPolicyFile(path.join(REPO_ROOT, 'policies', 'allow-all.yaml'))
  for (const f of sharedCaptures().slice(0, 12)) {
    await replayFile(f, { policy, hooks: { trafficLog: (r: TrafficLogRecord) => { records.push(r) } } })
  }
  const fromEngine = records.length
  const base = { type: 'TRAFFIC', subtype: 'end', sessionId: 7, rule: 'allow-all', sport: 1, dport: 2 }
  records.push(
    { ...base, rule: 'with "quotes", \\ backslash, \n newline, \u0001 control, é, 😀' },
    { ...base, bytesC2s: Number.NaN, bytesS2c: Infinity, elapsedS: -0, endUs: 1.5 },
    { ...base, flag: true, none: null, gone: undefined },
    // One awkward character at a time (the plain-string fast path must hand each to JSON.stringify).
    ...['"', '\\', '\n', '\u0000', '\u001f', '\u007f', 'é', '😀', '\ud800', '\udfff', 'x\ud83dy', '', 'q"\ud800', '\\\ud800', 'y'.repeat(120) + '\ud800', 'z'.repeat(100) + '"'].map(c => ({ ...base, rule: `a${c}b`, application: c })),
  )
  let bad = 0
  for (const rec of records) {
    const mine = pinoRecordLine(30, 1700000000000, process.pid, rec, 'traffic', 'TRAFFIC')
    if (mine === undefined || untimed(mine) !== untimed(viaPino(rec))) {
      if (bad++ < 3) t.fail(`differs:\n  mine ${mine ?? 'undefined'}  pino ${viaPino(rec)}`)
    }
  }
  t.equal(bad, 0, `${records.length} records: the same line as pino's`)
  // The bytes the live runner writes into its log chunk: pinoRecordLine's line, byte for byte, for
  // the engine's records (which hold the traffic-log keys in order) and for records of that shape with
  // the awkward values above, at two levels and times; small chunks make lines cross the room reserved.
  const real = records.slice(0, fromEngine)
  t.ok(real.length > 20 && real.every(trafficKeysInOrder), `every traffic record of the engine's holds the traffic-log keys in order (${real.length})`)
  const shaped = records.slice(fromEngine).map(r => {
    const x: Record<string, unknown> = {}
    for (const k of TRAFFIC_KEYS) x[k] = (r as Record<string, unknown>)[k] ?? (real[0] as Record<string, unknown>)[k]
    return x
  })
  const o = new ByteLines(64, 16)
  let badBytes = 0
  for (const [i, rec] of [...real, ...shaped].entries()) {
    for (const [level, timeMs, pid, log, msg] of [[30, 1700000000000, process.pid, 'traffic', 'TRAFFIC'], [40, i, 1, 'other', 'OTHER']] as const) {
      const before = o.pos
      const took = trafficRecordBytes(o, level, timeMs, pid, rec as unknown as TrafficLogRecord, log, msg)
      const want = pinoRecordLine(level, timeMs, pid, rec, log, msg)
      // As bytes: the line's lone surrogates become U+FFFD when it is encoded (as the string way encodes it).
      const same = took && want !== undefined && o.buf.subarray(before, o.pos).equals(Buffer.from(want, 'utf8'))
      if (!same && badBytes++ < 3) t.fail(`bytes differ:\n  bytes ${took ? o.buf.toString('utf8', before, o.pos) : '(refused)'}  line  ${want ?? 'undefined'}`)
      if (o.full) o.take()
    }
  }
  t.equal(badBytes, 0, `${real.length + shaped.length} records: trafficRecordBytes writes pinoRecordLine's bytes`)
  const at = o.pos
  t.equal(trafficRecordBytes(o, 30, 0, 1, real[0] as TrafficLogRecord, 'tr"affic', 'TRAFFIC'), false, 'a log name that is not plain ASCII: refused')
  t.equal(o.pos, at, 'and nothing written')
  t.notOk(trafficKeysInOrder({ ...base }), 'another shape is told apart')
  t.ok(records.length > 20, `real engine records among them (${records.length})`)
  t.equal(pinoRecordLine(30, 0, 1, { ...base, nested: { a: 1 } }, 'traffic', 'TRAFFIC'), undefined, 'an object value: left to pino')

  // The replay's logger: no base, the capture's time in ms (`rstlab replay`'s traffic and threat lines).
  const viaReplayPino = (rec: object, msg: string): string => {
    let out = ''
    const log = pino({ base: undefined, timestamp: () => ',"time":1700000000123' }, { write (x: string) { out += x } })
    log.info(rec, msg)
    return out
  }
  let badReplay = 0
  for (const rec of records) {
    for (const msg of ['traffic', 'threat']) {
      const mine = `{"level":30,"time":1700000000123${pinoFields(rec) ?? '?'},"msg":"${msg}"}\n`
      if (mine !== viaReplayPino(rec, msg) && badReplay++ < 3) t.fail(`replay line differs:\n  mine ${mine}  pino ${viaReplayPino(rec, msg)}`)
    }
  }
  t.equal(badReplay, 0, `${records.length} records: the replay's line is pino's`)
  t.equal(pinoFields({ a: [1] }), undefined, 'an array value: left to pino')
})
