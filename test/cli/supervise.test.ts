/**
 * What the supervisor gives the bridge process it starts: glibc's mmap threshold fixed and a small
 * V8 young generation (both keep RSS near its baseline after a flood, docs/lab.md), unless the user
 * already chose either.
 */
import t from 'tap'
import { childTunables, childV8Options } from '../../src/cli/live/supervise.js'

t.test('GLIBC_TUNABLES: the mmap threshold is added, a user setting of it is kept', async t => {
  t.equal(childTunables(undefined), 'glibc.malloc.mmap_threshold=131072')
  t.equal(childTunables(''), 'glibc.malloc.mmap_threshold=131072')
  t.equal(childTunables('glibc.malloc.arena_max=2'), 'glibc.malloc.arena_max=2:glibc.malloc.mmap_threshold=131072')
  t.equal(childTunables('glibc.malloc.mmap_threshold=65536'), 'glibc.malloc.mmap_threshold=65536')
})

t.test('V8: a 2 MB semi-space unless the user set one (command line or NODE_OPTIONS)', async t => {
  t.same(childV8Options([], undefined), ['--max-semi-space-size=2'])
  t.same(childV8Options(['--enable-source-maps'], '--trace-warnings'), ['--max-semi-space-size=2'])
  t.same(childV8Options(['--max-semi-space-size=8'], undefined), [])
  t.same(childV8Options([], '--max-old-space-size=512 --max-semi-space-size=16'), [])
})
