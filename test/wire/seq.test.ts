import t from 'tap'
import { seqAdd, seqGe, seqGt, seqInWindow, seqLe, seqLt, seqMax, seqMin, seqSub } from '../../src/wire/seq.js'

t.test('ordering across the 2^32 wrap', async t => {
  t.ok(seqLt(0xfffffff0, 0x10), '0xfffffff0 is before 0x10 (wrapped)')
  t.ok(seqGt(0x10, 0xfffffff0))
  t.notOk(seqLt(0x10, 0xfffffff0))
  t.ok(seqLe(5, 5)); t.ok(seqGe(5, 5)); t.notOk(seqLt(5, 5)); t.notOk(seqGt(5, 5))
  t.ok(seqLt(1, 2)); t.ok(seqGt(2, 1))
  // 2^31 - 1 ahead is still "after"
  t.ok(seqGt(0x7fffffff, 0))
})

t.test('add and subtract wrap to unsigned 32 bits', async t => {
  t.equal(seqAdd(0xffffffff, 1), 0)
  t.equal(seqAdd(0, -1), 0xffffffff)
  t.equal(seqAdd(0xfffffff0, 0x20), 0x10)
  t.equal(seqSub(0x10, 0xfffffff0), 0x20)
  t.equal(seqSub(0xfffffff0, 0x10), -0x20)
  t.equal(seqMax(0xfffffff0, 0x10), 0x10)
  t.equal(seqMin(0xfffffff0, 0x10), 0xfffffff0)
})

t.test('window membership is half-open and wraps', async t => {
  t.ok(seqInWindow(0xfffffffe, 0xfffffff0, 0x20))
  t.ok(seqInWindow(0x0f, 0xfffffff0, 0x20))
  t.notOk(seqInWindow(0x10, 0xfffffff0, 0x20), 'start + len excluded')
  t.ok(seqInWindow(0xfffffff0, 0xfffffff0, 0x20), 'start included')
  t.notOk(seqInWindow(0xffffffef, 0xfffffff0, 0x20))
  t.notOk(seqInWindow(100, 100, 0), 'empty window holds nothing')
})
