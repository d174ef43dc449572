/**
 * Edit distance where an insertion, deletion, substitution or swap of two neighbouring characters
 * each count as one (optimal string alignment), because a swap is the commonest typo.
 */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (before[j - 2] ?? 0) + 1);
      }
      current[j] = best;
    }
    before = previous;
    previous = current;
  }
  return previous[b.length] ?? 0;
}

const MIN_PREFIX = 3;

/**
 * The candidate a mistyped word most likely meant, for "did you mean" hints: the smallest
 * case-insensitive edit distance up to `maxDistance`, else a shared prefix of at least three
 * characters (`adm` for `AdministratorAccess`); ties go to the earlier candidate.
 */
export function closest(word: string, candidates: readonly string[], maxDistance = 2): string | undefined {
  const typed = word.toLowerCase();
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const score = scoreOf(typed, candidate.toLowerCase(), maxDistance);
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

function scoreOf(typed: string, candidate: string, maxDistance: number): number {
  if (Math.abs(typed.length - candidate.length) <= maxDistance) {
    const distance = levenshtein(typed, candidate);
    if (distance <= maxDistance) return distance;
  }
  const shorter = Math.min(typed.length, candidate.length);
  if (shorter >= MIN_PREFIX && (candidate.startsWith(typed) || typed.startsWith(candidate))) {
    return maxDistance + 1;
  }
  return Number.POSITIVE_INFINITY;
}
