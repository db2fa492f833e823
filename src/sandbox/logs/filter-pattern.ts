/**
 * The subset of CloudWatch Logs filter-pattern syntax the sandbox understands, for unstructured
 * events (FilterLogEvents' `filterPattern`):
 *   - ``                  every event
 *   - `term another`       events containing every term (case-sensitive substrings)
 *   - `"a quoted phrase"`  the exact phrase; a term with anything but letters, digits and `_`
 *                          (an ARN, `access denied`) must be quoted, as CloudWatch requires
 *   - `?term ?"phrase"`    events containing any of the `?` terms
 *   - `-term`, `-"phrase"` events not containing it
 * JSON (`{ $.x = … }`), space-delimited (`[a, b]`) and regex (`%…%`) patterns are refused with
 * InvalidParameterException rather than answered wrongly.
 */

export class FilterPatternError extends Error {}

interface Term {
  text: string;
  mode: 'all' | 'any' | 'not';
}

export type EventMatcher = (message: string) => boolean;

export function compileFilterPattern(pattern: string): EventMatcher {
  const terms = tokenize(pattern.trim());
  const all = terms.filter((t) => t.mode === 'all');
  const any = terms.filter((t) => t.mode === 'any');
  const not = terms.filter((t) => t.mode === 'not');
  return (message) =>
    all.every((t) => message.includes(t.text)) &&
    (any.length === 0 || any.some((t) => message.includes(t.text))) &&
    !not.some((t) => message.includes(t.text));
}

function tokenize(pattern: string): Term[] {
  if (/^[{[%]/.test(pattern))
    throw new FilterPatternError(
      `the sandbox supports term and quoted-phrase filter patterns only, not ${pattern.startsWith('{') ? 'JSON' : pattern.startsWith('[') ? 'space-delimited' : 'regex'} patterns`,
    );
  const terms: Term[] = [];
  let i = 0;
  while (i < pattern.length) {
    if (pattern[i] === ' ') {
      i += 1;
      continue;
    }
    let mode: Term['mode'] = 'all';
    if (pattern[i] === '?' || pattern[i] === '-') {
      mode = pattern[i] === '?' ? 'any' : 'not';
      i += 1;
    }
    if (pattern[i] === '"') {
      let text = '';
      i += 1;
      while (i < pattern.length && pattern[i] !== '"') {
        // A backslash keeps the next character, so a phrase can hold a double quote.
        if (pattern[i] === '\\' && i + 1 < pattern.length) i += 1;
        text += pattern[i];
        i += 1;
      }
      if (i >= pattern.length) throw new FilterPatternError('Invalid filter pattern: unterminated quoted phrase');
      i += 1;
      if (text !== '') terms.push({ text, mode });
      continue;
    }
    const end = pattern.indexOf(' ', i);
    const text = pattern.slice(i, end === -1 ? pattern.length : end);
    i = end === -1 ? pattern.length : end;
    if (!/^[A-Za-z0-9_]+$/.test(text))
      throw new FilterPatternError(
        `Invalid character(s) in term '${text}': terms with characters other than letters, digits and _ must be in double quotes`,
      );
    terms.push({ text, mode });
  }
  return terms;
}
