/**
 * The control socket against hostile paths and clients: it never removes a file that is not a dead
 * socket, refuses a directory others can write, and holds a bounded amount for a client that pipelines
 * requests without reading the replies, disconnecting it once it stalls.
 */
import t from 'tap'
import net from 'node:net'
import { spawn } from 'node:child_process'
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { ControlServer, MAX_UNREAD } from '../../src/control/server.js'
import { controlRequest } from '../../src/control/client.js'

function dir (t: { teardown: (f: () => void) => void }): string {
  const d = mkdtempSync(path.join(tmpdir(), 'rstlab-ctl-'))
  t.teardown(() => rmSync(d, { recursive: true, force: true }))
  return d
}

t.test('an existing path that is not a dead socket is refused and left as it was', async t => {
  const d = dir(t)
  const file = path.join(d, 'precious.txt')
  writeFileSync(file, 'keep me\n')
  await t.rejects(ControlServer.listen(file, () => 1), { code: 'RSTLAB_ERR_CONTROL', message: /precious\.txt already exists and is a regular file/ })
  t.equal(readFileSync(file, 'utf8'), 'keep me\n', 'the file is untouched')
  const sub = path.join(d, 'adir')
  mkdirSync(sub)
  await t.rejects(ControlServer.listen(sub, () => 1), { message: /is a directory/ })
  const link = path.join(d, 'link.sock')
  symlinkSync(file, link)
  await t.rejects(ControlServer.listen(link, () => 1), { message: /is a symbolic link/ })
  t.equal(readFileSync(file, 'utf8'), 'keep me\n', 'the link target is untouched')
  // A dead socket (nobody accepting) is replaced.
  const sock = path.join(d, 'c.sock')
  const dead = net.createServer()
  await new Promise<void>(resolve => dead.listen(sock, resolve))
  ;(dead as unknown as { _handle: { close: () => void } | null })._handle?.close() // closes the listener, keeps the file
  const srv = await ControlServer.listen(sock, () => 'new')
  t.teardown(() => srv.close())
  t.equal(await controlRequest(sock, { cmd: 'rules' }), 'new', 'a stale socket is replaced')
})

t.test('a control directory others could write or that is not ours is refused', async t => {
  const d = dir(t)
  const open = path.join(d, 'open')
  mkdirSync(open)
  chmodSync(open, 0o777)
  await t.rejects(ControlServer.listen(path.join(open, 'c.sock'), () => 1), { message: /writable by everyone \(mode 0777\)/ })
  chmodSync(open, 0o770)
  await t.rejects(ControlServer.listen(path.join(open, 'c.sock'), () => 1), { message: /writable by its group/ })
  if (process.getuid?.() === 0) {
    const theirs = path.join(d, 'theirs')
    mkdirSync(theirs, { mode: 0o700 })
    chownSync(theirs, 65534, 65534)
    await t.rejects(ControlServer.listen(path.join(theirs, 'c.sock'), () => 1), { message: /belongs to uid 65534/ })
  }
})

t.test('200,000 pipelined requests from a client that never reads: bounded, then disconnected', async t => {
  const sock = path.join(dir(t), 'c.sock')
  const reply = { sessions: Array.from({ length: 8 }, (_, i) => ({ id: i, state: 'ACTIVE' })) }
  const srv = await ControlServer.listen(sock, () => reply, { stallMs: 500 })
  t.teardown(() => srv.close())
  // The client runs in its own process so its own send buffer does not count against this one.
  const client = spawn(process.execPath, ['-e', `
    const c = require('node:net').connect(${JSON.stringify(sock)}, () => {
      const line = JSON.stringify({ id: 1, cmd: 'sessions' }) + '\\n'
      for (let i = 0; i < 200000; i++) c.write(line)
    })
    c.pause() // never read
    c.on('close', () => { process.stdout.write('closed'); process.exit(0) })
    c.on('error', () => {})
  `], { stdio: ['ignore', 'pipe', 'inherit'] })
  t.teardown(() => { client.kill() })
  let out = ''
  client.stdout.on('data', (b: Buffer) => { out += b.toString() })
  let maxBuffered = 0
  const started = Date.now()
  const sampler = setInterval(() => { maxBuffered = Math.max(maxBuffered, srv.bufferedBytes()) }, 5)
  await new Promise<void>(resolve => client.on('exit', () => resolve()))
  clearInterval(sampler)
  t.equal(out, 'closed', 'the server disconnected the stalled client')
  t.ok(Date.now() - started < 20_000, 'within the stall timeout (plus load)')
  t.ok(maxBuffered <= MAX_UNREAD + 4096, `unread replies held stayed bounded (max ${maxBuffered} bytes, bound ${MAX_UNREAD})`)
  t.ok(maxBuffered > 0, 'the client did make the server buffer')
  await new Promise(resolve => setTimeout(resolve, 50))
  t.equal(srv.clients, 0, 'nothing left for the client')
  t.equal(srv.bufferedBytes(), 0)
  t.same(await controlRequest(sock, { cmd: 'sessions' }), reply, 'and the server still answers others')
})
