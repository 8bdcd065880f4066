/**
 * Shared round-trip check for the per-header codecs (after dns-packet's `testEncoder`):
 * emit → parse → deep-equal, the emitted length equals the codec's header length, and emitting
 * into a larger buffer at an offset writes the same bytes and touches nothing outside its range.
 */
import type { Test } from 'tap'

export interface Codec<R> {
  /** Bytes `emit` writes for `r` (header, or header + payload when the codec needs the payload for its checksum). */
  len: (r: R) => number
  emit: (r: R, buf: Buffer) => void
  parse: (buf: Buffer) => R
}

export function roundTrip<R> (t: Test, name: string, codec: Codec<R>, repr: R): Buffer {
  const len = codec.len(repr)
  const buf = Buffer.alloc(len)
  codec.emit(repr, buf)
  t.same(codec.parse(buf), repr, `${name}: emit → parse gives the repr back`)
  const bigger = Buffer.alloc(len + 20, 0xa5)
  bigger.fill(0, 10, 10 + len) // the payload area (zeros, as in `buf`): emit writes headers only
  codec.emit(repr, bigger.subarray(10, 10 + len))
  t.same(bigger.subarray(10, 10 + len), buf, `${name}: emit at offset 10 writes the same bytes`)
  t.ok(bigger.subarray(0, 10).every(b => b === 0xa5) && bigger.subarray(10 + len).every(b => b === 0xa5), `${name}: nothing written outside the range`)
  t.same(codec.parse(Buffer.from(bigger.subarray(10, 10 + len))), repr, `${name}: parse of the offset copy`)
  return buf
}

/** Hex with spaces/newlines/comments (`# ...` to end of line) removed. */
export function hex (s: string): Buffer {
  return Buffer.from(s.replace(/#[^\n]*/g, '').replace(/[^0-9a-fA-F]/g, ''), 'hex')
}
