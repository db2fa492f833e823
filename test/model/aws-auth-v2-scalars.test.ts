import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolvePlainScalar, scalarKeyText } from '../../src/model/aws-auth/v2-scalars.js';

// How go-yaml v2 resolves each plain scalar, and the JSON key sigs.k8s.io/yaml makes of it, as Go
// answered (test/referee/scalar-oracle/main.go, run against Debian's gopkg.in/yaml.v2 2.4.0 and
// sigs.k8s.io/yaml 1.3.0; answers committed in scalar-answers.json).
interface GoAnswer {
  scalar: string;
  goType: string;
  value?: unknown;
  text: string;
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

/** Where the model's key text differs from sigs.k8s.io/yaml's (it keeps a float's text, Go reformats it). */
const KNOWN_KEY_DIFFERENCES: Record<string, string> = {
  '1.50': 'Go prints the float key as 1.5',
  '.5': 'Go prints 0.5',
  '-.5': 'Go prints -0.5',
  '+.5': 'Go prints 0.5',
  '1._5': 'Go prints 1.5',
  '1e-3': 'Go prints 0.001',
  '9223372036854775807': 'JavaScript numbers lose the last digits of a 64-bit integer',
  '-9223372036854775808': 'JavaScript numbers lose the last digits of a 64-bit integer',
  '0.1_2': 'Go prints 0.12',
  '+.INF': 'Go prints .inf',
  '-.Inf': 'Go prints -.inf',
  '.NaN': 'Go prints .nan',
  '.NAN': 'Go prints .nan',
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

describe('scalarKeyText makes the JSON key sigs.k8s.io/yaml makes', () => {
  const keyed = answers.filter((a) => a.keyJSON !== undefined);
  it.each(keyed.filter((a) => !(a.scalar in KNOWN_KEY_DIFFERENCES)))('$scalar → $keyJSON', (go) => {
    const key = Object.keys(JSON.parse(go.keyJSON ?? '{}') as object)[0];
    expect(scalarKeyText(resolvePlainScalar(go.scalar, 0))).toBe(key);
  });

  it.each(keyed.filter((a) => a.scalar in KNOWN_KEY_DIFFERENCES))('known difference: $scalar → $keyJSON', (go) => {
    const key = Object.keys(JSON.parse(go.keyJSON ?? '{}') as object)[0];
    expect(scalarKeyText(resolvePlainScalar(go.scalar, 0))).not.toBe(key);
  });

  it('a null key has the text null (sigs.k8s.io/yaml refuses it; parse.ts reports that)', () => {
    expect(scalarKeyText(resolvePlainScalar('~', 0))).toBe('null');
  });
});
