/** "Did you mean …?" for unknown keys and names. */

/** Edit distance (Levenshtein), small strings only. */
export function editDistance (a: string, b: string): number {
  const prev = new Array<number>(b.length + 1)
  for (let j = 0; j <= b.length; j++) prev[j] = j
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!
    prev[0] = i
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1))
      diag = up
    }
  }
  return prev[b.length]!
}

/** The closest candidate, if it is close enough to be a plausible typo (1 edit for short words, 2 up to 6 letters, then a third). */
export function closest (word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined
  let bestD = Infinity
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase())
    if (d < bestD) { best = c; bestD = d }
  }
  const n = word.length
  return bestD <= (n <= 3 ? 1 : n <= 6 ? 2 : Math.max(2, Math.floor(n / 3))) ? best : undefined
}

/** ` (did you mean 'x'?)` or ''. */
export function didYouMean (word: string, candidates: readonly string[]): string {
  const c = closest(word, candidates)
  return c === undefined ? '' : ` (did you mean '${c}'?)`
}
