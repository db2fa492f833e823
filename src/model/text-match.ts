/**
 * IAM ArnLike matching (`*` any run, `?` one character), case-insensitive: what the author of a
 * wildcard aws-auth row hoped it would match. Two pointers with backtracking to the last `*`, so it
 * stays O(n·m): a RegExp of `.*` runs backtracks exponentially in the number of stars.
 */
export function arnLikeMatches(pattern: string, value: string): boolean {
  const p = pattern.toLowerCase();
  const s = value.toLowerCase();
  let pi = 0;
  let si = 0;
  let star = -1;
  let mark = 0;
  while (si < s.length) {
    // Past the pattern's end p[pi] is undefined: it is no `?`, no `*`, and equals no character of s.
    if (p[pi] === '?' || (p[pi] !== '*' && p[pi] === s[si])) {
      pi++;
      si++;
    } else if (p[pi] === '*') {
      star = pi++;
      mark = si;
    } else if (star !== -1) {
      pi = star + 1;
      si = ++mark;
    } else {
      return false;
    }
  }
  while (p[pi] === '*') pi++;
  return pi === p.length;
}

/**
 * Levenshtein distance, for "did you mean" suggestions. Strings whose lengths differ by more than
 * `cap` are at least that far apart, so they return `cap + 1` without the quadratic work.
 */
export function editDistance(a: string, b: string, cap = 3): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  // Stryker disable next-line ArithmeticOperator: previous always has b.length + 1 entries
  return previous[b.length] ?? cap + 1;
}
