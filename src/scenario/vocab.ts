/**
 * The scenario language's vocabulary, taken from the tables that define it elsewhere (so a name
 * added there is a name scripts may use, and nothing here can drift):
 * - TCP flag letters: wire/build.ts (tcpdump's letters and print order), without the NS/AE bit,
 *   which scripts do not write;
 * - ICMP message names: wire/icmpv4.ts and wire/icmpv6.ts;
 * - session states: session/table.ts; end reasons: engine/records.ts.
 */
import { TCP_FLAG_LETTERS } from '../wire/build.js'
import { ICMP4_NAMES } from '../wire/icmpv4.js'
import { ICMP6_NAMES } from '../wire/icmpv6.js'
import { TcpFlag } from '../wire/summary.js'
import { SESSION_STATE_NAMES } from '../session/table.js'
import { END_REASONS } from '../engine/records.js'

const SCRIPT_FLAGS = TCP_FLAG_LETTERS.filter(([, bit]) => bit !== TcpFlag.NS)

/** TCP flag letter → bit (`.` = ACK). */
export const FLAG_LETTERS: Readonly<Record<string, number>> = Object.fromEntries(SCRIPT_FLAGS)
/** Print order, as tcpdump's print-tcp.c: F S R P . U E W. */
export const FLAG_ORDER: string = SCRIPT_FLAGS.map(([l]) => l).join('')

/** Values of `session … state S`. */
export const SESSION_STATES: readonly string[] = SESSION_STATE_NAMES
/** Values of `session … end R`. */
export const END_REASON_NAMES: readonly string[] = END_REASONS

/** ICMP name → [type, code], per IP version. */
export const ICMP_BY_NAME = { 4: ICMP4_NAMES, 6: ICMP6_NAMES } as const

/** `type/code` → ICMP name, per IP version (for describing packets). */
export const ICMP_NAME_OF: { readonly 4: Readonly<Record<string, string>>, readonly 6: Readonly<Record<string, string>> } = {
  4: Object.fromEntries(Object.entries(ICMP4_NAMES).map(([n, [t, c]]) => [`${t}/${c}`, n])),
  6: Object.fromEntries(Object.entries(ICMP6_NAMES).map(([n, [t, c]]) => [`${t}/${c}`, n])),
}
