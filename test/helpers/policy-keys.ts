/**
 * Random lookup keys for the property tests that compare two ways of answering `Policy.lookup` (the index
 * against the first-match scan, a policy against its trip through a worker). The zones and applications
 * are the ones those tests' random rules use; unknown and empty zones, odd ports and IPv6 are mixed in.
 */
import type { LookupKey } from '../../src/policy/types.js'

export const KEY_ZONES = ['a', 'b', 'c']
export const KEY_APPS = ['ssh', 'web-browsing', 'dns']

export function randomKey (rnd: () => number): LookupKey {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!
  const six = rnd() < 0.3
  const ad = (): Uint8Array => six
    ? Uint8Array.from([0x20, 1, 0x0d, 0xb8, 0, Math.floor(rnd() * 3), ...Array.from({ length: 10 }, () => Math.floor(rnd() * 3))])
    : Uint8Array.from([198, 18 + Math.floor(rnd() * 2), Math.floor(rnd() * 4), Math.floor(rnd() * 256)])
  const k: LookupKey = {
    fromZone: pick([...KEY_ZONES, undefined, '', 'nowhere']), toZone: pick([...KEY_ZONES, undefined]), src: ad(), dst: ad(),
    proto: pick([6, 17, 1]), sport: 40000, dport: pick([22, 53, 80, 443, 1005, 8080, 8050, 5, 65535]),
  }
  if (rnd() < 0.6) k.app = pick([...KEY_APPS, 'unknown-tcp'])
  return k
}
