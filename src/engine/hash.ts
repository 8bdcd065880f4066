/**
 * MurmurHash3's 32-bit steps, for the zone-protection keys (SYN cookies in zone-guard.ts, scan
 * sources and values in scan-guard.ts): `mix` folds one word into the running hash, `fmix` is the
 * finaliser (unsigned result).
 */
export function mix (h: number, w: number): number {
  h = Math.imul(h ^ w, 0xcc9e2d51)
  h = (h << 15) | (h >>> 17)
  return (Math.imul(h, 0x1b873593) + 0xe6546b64) | 0
}

export function fmix (h: number): number {
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}
