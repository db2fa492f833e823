// Go's strconv.Quote, which the authenticator's messages (fmt's %q and %#v) and logrus' text
// formatter use for strings. Shared by the aws-auth model's Go-worded errors and the sandbox's
// authenticator log lines, so both quote exactly as Go does. (src/token/go-compat.ts keeps its own
// for Go byte strings that may hold invalid UTF-8.)

/** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
const GO_PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
const GO_QUOTE_ESCAPES: Record<string, string> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '"': '\\"',
  '\\': '\\\\',
};

/** strconv.Quote of valid UTF-8 text: what fmt's %q and %#v print for a string. */
export function goQuote(text: string): string {
  let quoted = '"';
  for (const char of text) {
    const point = char.codePointAt(0) ?? 0;
    const hex = point.toString(16).padStart(point < 0x80 ? 2 : point < 0x10000 ? 4 : 8, '0');
    const escape = point < 0x20 || point === 0x7f ? `\\x${hex}` : point < 0x10000 ? `\\u${hex}` : `\\U${hex}`;
    quoted += GO_QUOTE_ESCAPES[char] ?? (GO_PRINTABLE.test(char) ? char : escape);
  }
  return `${quoted}"`;
}
