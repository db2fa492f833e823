import { describe, expect, test } from 'vitest';
import { parseLogsSince } from '../../src/cli/duration.js';
import { UsageError } from '../../src/cli/errors.js';

describe('--logs-since', () => {
  test.each([
    ['1h', 3_600_000],
    ['2h', 7_200_000],
    ['90m', 5_400_000],
    ['1h30m', 5_400_000],
    ['45s', 45_000],
    ['1d', 86_400_000],
  ])('%s', (text, ms) => {
    expect(parseLogsSince(text)).toBe(ms);
  });

  test.each(['', '2', 'h', '2 h', '-1h', '1.5h', '2w', '0m', '15d', '1h;rm'])('refuses %j in one line', (text) => {
    let error: unknown;
    try {
      parseLogsSince(text);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/^--logs-since /);
    expect((error as Error).message).not.toContain('\n');
  });
});
