/**
 * The one sanitiser for everything eksauth prints to a terminal (issue 10, "no code runs from what
 * we print"). Values from outside (ARNs, aws-auth YAML, usernames, AWS and kubectl error texts,
 * evidence and expectation files) may carry what a terminal obeys: ESC sequences (OSC 52 writes
 * the clipboard, CSI 2J clears the screen, OSC 8 hides a link), C1 controls (0x9b is a one-byte
 * CSI), BEL, CR (rewrites the line); or what hides and reorders text: bidi overrides (U+202E),
 * zero-width and other format characters, line separators.
 *
 * Where it applies, and why there: to the whole text at the write boundary (src/cli/io.ts, the
 * only module allowed to write to stdout or stderr, which eslint enforces), not to each value. A
 * per-value `show(value)` is one forgotten call away from a hole; a final pass over the rendered
 * text has no such call to forget. The cost is that it cannot tell our escape sequences from
 * anyone else's, so ours are never written as escape sequences until the very end: Style
 * (style.ts) emits `sgr()` markers that carry a random per-process nonce, printable characters
 * that pass the escaping unchanged, and `forTerminal` turns only markers with that nonce into SGR
 * codes. Outside text cannot forge one without the nonce, which is never printed.
 *
 * How: each unsafe character becomes a visible `\uXXXX` (one per UTF-16 unit), so the engineer
 * sees that something odd is there instead of having it silently vanish. The notation is also a
 * JSON string escape, so `--output json` passes through with every value unchanged.
 *
 * Newline is the only control character kept. Tab is escaped too: all of our alignment uses
 * spaces, so a tab can only come from outside, where it hides how a value really reads (a tab in
 * a rolearn looks like spaces and is why the row never matches).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is this module's job
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u115f\u1160\u3164\uffa0\p{Cf}\p{Cs}]/gu;

const hex4 = (unit: number): string => `\\u${unit.toString(16).padStart(4, '0')}`;

/** Every unsafe character as visible `\uXXXX`; everything else, newlines included, unchanged. */
export function escapeUnsafe(text: string): string {
  return text.replace(UNSAFE, (char) => {
    let out = '';
    for (let i = 0; i < char.length; i++) out += hex4(char.charCodeAt(i));
    return out;
  });
}

/** Private-use characters around a marker: printable, so escapeUnsafe leaves them alone. */
const OPEN = '\uE000';
const CLOSE = '\uE001';

/**
 * Made on first use, not at load: the token path (run by kubectl on every call) never styles, and
 * must not pay for random bytes it does not need.
 */
let nonce: string | undefined;
const markerNonce = (): string =>
  (nonce ??= Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(12))).toString('hex'));

/** A Select Graphic Rendition code (colour, bold) that only forTerminal turns into `ESC [ code m`. */
export const sgr = (code: number): string => `${OPEN}${markerNonce()}:${code}${CLOSE}`;

/** Back to the start of the line and erase it (`CR ESC [ K`), for a line rewritten in place. */
export const eraseLine = (): string => `${OPEN}${markerNonce()}:K${CLOSE}`;

/** Text fit for a terminal: outside control characters escaped, our own styling markers made real. */
export function forTerminal(text: string): string {
  const escaped = escapeUnsafe(text);
  if (nonce === undefined) return escaped;
  const marker = new RegExp(`${OPEN}${nonce}:(\\d{1,3}|K)${CLOSE}`, 'g');
  return escaped.replace(marker, (_, code: string) => (code === 'K' ? '\r\x1b[K' : `\x1b[${code}m`));
}
