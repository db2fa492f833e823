import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  goFormatFloat,
  goNumberType,
  goValueSyntax,
  resolvePlainScalar,
  scalarKeyText,
} from '../../src/model/aws-auth/v2-scalars.js';

// How go-yaml v2 resolves each plain scalar, and the JSON key sigs.k8s.io/yaml makes of it, as Go
// answered (test/referee/scalar-oracle/main.go, run against Debian's gopkg.in/yaml.v2 2.4.0 and
// sigs.k8s.io/yaml 1.3.0; answers committed in scalar-answers.json).
interface GoAnswer {
  scalar: string;
  goType: string;
  value?: unknown;
  text: string;
  /** fmt's %#v of the value, and of a list holding it. */
  syntax: string;
  nested: string;
  keyJSON?: string;
  keyError?: string;
}
const answers = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', 'referee', 'scalar-answers.json'), 'utf8'),
) as GoAnswer[];

const KIND_OF_GO_TYPE: Record<string, string> = {
  bool: 'bool',
  int: 'number',
  uint64: 'number',
  float64: 'number',
  string: 'string',
  '<nil>': 'null',
};

describe('resolvePlainScalar resolves as go-yaml v2 does', () => {
  it.each(answers.filter((a) => a.scalar !== ''))('$scalar → $goType $text', (go) => {
    const model = resolvePlainScalar(go.scalar, 3);
    expect(model.kind).toBe(KIND_OF_GO_TYPE[go.goType]);
    expect(model.at).toBe(3);
    if (model.kind === 'bool' || model.kind === 'string') expect(model.value).toBe(go.value);
    if (model.kind === 'number') {
      if (go.value === undefined)
        expect(String(model.value)).toBe(go.text.replace('+Inf', 'Infinity').replace('-Inf', '-Infinity'));
      // === : Go's integer 0 is the model's -0 for `-0`.
      else expect(model.value === go.value, `${model.value} vs ${String(go.value)}`).toBe(true);
    }
  });
});

describe('goValueSyntax prints a value as fmt’s %#v does', () => {
  const resolved = answers;
  it.each(resolved)('$scalar → $syntax', (go) => {
    expect(goValueSyntax(resolvePlainScalar(go.scalar, 0))).toBe(go.syntax);
  });

  it.each(resolved)('[$scalar] → $nested', (go) => {
    expect(goValueSyntax({ kind: 'seq', items: [resolvePlainScalar(go.scalar, 0)], at: 0 })).toBe(go.nested);
  });

  it.each(resolved.filter((a) => a.goType === 'float64'))('float64 $scalar → %v $text', (go) => {
    const model = resolvePlainScalar(go.scalar, 0);
    expect(model.kind).toBe('number');
    if (model.kind === 'number') expect(goFormatFloat(model.value, 64)).toBe(go.text);
  });
});

describe('scalarKeyText makes the JSON key sigs.k8s.io/yaml makes', () => {
  const keyed = answers.filter((a) => a.keyJSON !== undefined);
  it.each(keyed)('$scalar → $keyJSON', (go) => {
    const key = Object.keys(JSON.parse(go.keyJSON ?? '{}') as object)[0];
    expect(scalarKeyText(resolvePlainScalar(go.scalar, 0))).toBe(key);
  });

  it.each(answers.filter((a) => a.goType === 'uint64'))('$scalar is a uint64, which is no JSON key', (go) => {
    expect(goNumberType(go.scalar)).toBe('uint64');
  });

  it('a null key has the text null (sigs.k8s.io/yaml refuses it; parse.ts reports that)', () => {
    expect(scalarKeyText(resolvePlainScalar('~', 0))).toBe('null');
  });
});
