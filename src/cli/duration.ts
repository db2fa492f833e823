import { UsageError } from './errors.js';

const UNIT_MS: Readonly<Record<string, number>> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
/** CloudWatch Logs keeps what it is told to; two weeks of control-plane logs is already many pages. */
const MAX_MS = 14 * 86_400_000;

/**
 * `--logs-since 2h`, `90m`, `1h30m`, `1d`: how far back to read control-plane logs, in ms.
 * Anything else is a one-line usage error.
 */
export function parseLogsSince(text: string, flag = '--logs-since'): number {
  const trimmed = text.trim();
  const parts = [...trimmed.matchAll(/(\d{1,6})([smhd])/g)];
  const whole = parts.map((p) => p[0]).join('');
  if (parts.length === 0 || whole !== trimmed)
    throw new UsageError(`${flag} must be a duration such as 30m, 2h or 1h30m (units s, m, h, d), not "${text}"`);
  const ms = parts.reduce((sum, [, n, unit]) => sum + Number(n) * (UNIT_MS[unit ?? ''] ?? 0), 0);
  if (ms <= 0) throw new UsageError(`${flag} must be longer than zero, not "${text}"`);
  if (ms > MAX_MS) throw new UsageError(`${flag} may reach back at most 14d, not "${text}"`);
  return ms;
}
