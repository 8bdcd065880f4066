/** The deterministic payload both directions of a live transfer send: byte i = (i * 7 + 3) & 0xff. */
export function pattern (size: number): Buffer {
  const b = Buffer.allocUnsafe(size)
  for (let i = 0; i < size; i++) b[i] = (i * 7 + 3) & 0xff
  return b
}
