import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { CHECKS } from '../../checks/index.js';
import { STAGES } from '../../src/model/trace.js';

const ROOT = join(import.meta.dirname, '../..');

describe('check registry', () => {
  test('ids are unique and shaped area/name', () => {
    const ids = CHECKS.map((c) => c.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*\/[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  test('the registry is in stage order', () => {
    const stages = CHECKS.map((c) => STAGES.indexOf(c.meta.stage));
    expect(stages).toEqual([...stages].sort((a, b) => a - b));
  });

  describe.each(CHECKS.map((c) => [c.meta.id, c] as const))('%s', (id, check) => {
    test('lives in checks/<id>.ts and has test/checks/<id>.test.ts', () => {
      expect(existsSync(join(ROOT, 'checks', `${id}.ts`))).toBe(true);
      expect(existsSync(join(ROOT, 'test/checks', `${id}.test.ts`))).toBe(true);
    });

    test('messages are sentences', () => {
      for (const spec of Object.values(check.meta.messages)) {
        for (const text of [spec.text, spec.remediation]) expect(text).toMatch(/^[A-Z`{].*[.]$/s);
      }
    });
  });
});
