/**
 * The CPU lock of the heavy live tests: a second holder waits until the first releases; a lock left
 * by a killed holder is taken over (its pid is gone).
 */
import t from 'tap'
import { spawn } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { cpuLock } from './cpu-lock.js'

const LOCK = path.join(tmpdir(), 'rstlab-live-cpu.lock')

t.test('a lock left by a dead pid is taken over; a live holder is waited for', async t => {
  // Wait for any real holder first (another run's heavy test), then work with the lock ourselves.
  let holder: ReturnType<typeof spawn> | undefined
  t.teardown(() => { holder?.kill('SIGKILL'); if (existsSync(LOCK) && readFileSync(path.join(LOCK, 'pid'), 'utf8').trim() === String(process.pid)) rmSync(LOCK, { recursive: true, force: true }) })
  await t.test('take it', async t => { await cpuLock(t); t.ok(existsSync(LOCK), 'held') })
  // A dead holder: a pid that existed and exited.
  const dead = spawn(process.execPath, ['-e', '0'])
  await new Promise(resolve => dead.once('exit', resolve))
  mkdirSync(LOCK)
  writeFileSync(path.join(LOCK, 'pid'), `${dead.pid!}\n`)
  await t.test('stale', async t => {
    const t0 = Date.now()
    await cpuLock(t)
    t.ok(Date.now() - t0 < 2000, 'taken over at once')
    t.equal(readFileSync(path.join(LOCK, 'pid'), 'utf8').trim(), String(process.pid))
  })
  t.notOk(existsSync(LOCK), 'released at the end of the holder\'s test')
  // A live holder: a child that holds it for 1.5 s, then releases.
  holder = spawn(process.execPath, ['-e', `
    const fs = require('fs'), p = require('path'); fs.mkdirSync(${JSON.stringify(LOCK)}); fs.writeFileSync(p.join(${JSON.stringify(LOCK)}, 'pid'), process.pid + '\\n');
    setTimeout(() => { fs.rmSync(${JSON.stringify(LOCK)}, { recursive: true, force: true }); process.exit(0) }, 1500)`])
  while (!existsSync(path.join(LOCK, 'pid'))) await new Promise(resolve => setTimeout(resolve, 20))
  await t.test('live', async t => {
    const t0 = Date.now()
    await cpuLock(t)
    t.ok(Date.now() - t0 >= 1000, `waited for the live holder (${Date.now() - t0} ms)`)
  })
  if (holder.exitCode === null) await new Promise(resolve => holder!.once('exit', resolve))
})
