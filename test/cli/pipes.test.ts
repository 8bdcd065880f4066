/**
 * rstlab as a Unix filter: a reader that goes away (`| head -1`) ends the process quietly with exit 0,
 * and a slow reader gets every line without Node warning about piled-up listeners.
 * Both failed before: `decode big.pcap | head` printed an EPIPE stack trace and exited 70, and the
 * drain/close race left one listener behind per backed-up write (MaxListenersExceededWarning).
 */
import t from 'tap'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { encodePcap } from '../../src/pcap/index.js'
import { buildFrame } from '../../src/wire/build.js'
import { REPO_ROOT } from '../helpers/shared.js'

const BIN = path.join(REPO_ROOT, 'bin', 'rstlab.js')
const FRAMES = 60_000
const env = { ...process.env, NODE_OPTIONS: '' }

const dir = mkdtempSync(path.join(tmpdir(), 'rstlab-pipes-'))
t.teardown(() => rmSync(dir, { recursive: true, force: true }))
const capture = path.join(dir, 'big.pcap')
{
  const frame = buildFrame({ src: '198.18.0.1', dst: '198.18.0.2', tcp: { sport: 40000, dport: 80, seq: 1, ack: 1, flags: '.', window: 512 }, payload: 20 })
  const packets = []
  for (let i = 0; i < FRAMES; i++) packets.push({ tsUs: 1_000_000 + i * 10, linkType: 1, data: frame })
  writeFileSync(capture, encodePcap(packets))
}

t.test('decode | head -1: exit 0, nothing on stderr', async t => {
  for (const json of [false, true]) {
    const r = await new Promise<{ out: string, err: string, rc: string }>(resolve => {
      const script = `"${process.execPath}" "${BIN}" decode "${capture}"${json ? ' --json' : ''} | head -n 1; echo "rc=\${PIPESTATUS[0]}" >&2`
      const p = spawn('bash', ['-c', script], { env })
      let out = ''; let err = ''
      p.stdout.on('data', (d: Buffer) => { out += d.toString() })
      p.stderr.on('data', (d: Buffer) => { err += d.toString() })
      p.on('close', () => resolve({ out, err: err.replace(/rc=\d+\n$/, ''), rc: /rc=(\d+)/.exec(err)?.[1] ?? '?' }))
    })
    t.equal(r.out.split('\n').filter(Boolean).length, 1, `one line through head${json ? ' (--json)' : ''}`)
    t.equal(r.rc, '0', 'rstlab exits 0 when its reader goes away')
    t.equal(r.err, '', 'and prints nothing on stderr (no EPIPE trace)')
  }
})

t.test('a slow reader gets every line and no MaxListenersExceededWarning', async t => {
  const p = spawn(process.execPath, [BIN, 'decode', capture], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let err = ''
  p.stderr.on('data', (d: Buffer) => { err += d.toString() })
  let lines = 0; let chunks = 0
  // Read a chunk, then stop reading for a few ms: the writer backs up and waits for 'drain' many times.
  p.stdout.on('data', (d: Buffer) => {
    for (let i = 0; i < d.length; i++) if (d[i] === 10) lines++
    chunks++; p.stdout.pause(); setTimeout(() => p.stdout.resume(), 25)
  })
  const code = await new Promise<number | null>(resolve => p.on('close', c => resolve(c)))
  t.equal(code, 0)
  t.equal(lines, FRAMES, 'every frame printed')
  t.ok(chunks > 40, `the reader really was slower than the writer (${chunks} reads)`)
  t.notMatch(err, /MaxListeners|Warning/, 'no listener-leak warning')
  t.equal(err, '')
})
