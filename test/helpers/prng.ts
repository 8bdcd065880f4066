/**
 * Seeded randomness for property tests: mulberry32 (small, fast, reproducible) and the seed convention
 * every property test follows — `RSTLAB_SEED=<n>` replays one round with that seed; otherwise a seed is
 * drawn from the clock and `rounds` rounds run with seeds base, base+1, …; tests print the seed they use.
 */
export function mulberry32 (a: number): () => number {
  return () => {
    a |= 0; a = (a + 0x6d2b79f5) | 0
    let x = Math.imul(a ^ (a >>> 15), 1 | a)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}

/** The first seed and how many rounds to run. */
export function seedRounds (rounds: number): { base: number, rounds: number } {
  const env = process.env.RSTLAB_SEED
  return env !== undefined ? { base: Number(env), rounds: 1 } : { base: Date.now() % 1_000_000, rounds }
}
