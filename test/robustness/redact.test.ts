import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  REDACTED,
  execEnvSecrets,
  maskAccessKeyId,
  maskReviewExtra,
  redactDeep,
  redactExecEnv,
  redactSecrets,
} from '../../src/core/redact.js';

const SIGNATURE = 'cba9bd377415a3220a1bcd92a40fef0c7b222bf9fe0450ff5dec6cd5689b3fe8';
const SESSION = 'IQoJb3JpZ2luX2VjEXAMPLEsessionTOKEN';
const KEY_ID = 'ASIAIOSFODNN7EXAMPLE';
const url = (names = { signature: 'X-Amz-Signature', token: 'X-Amz-Security-Token' }) =>
  `https://sts.amazonaws.com/?Action=GetCallerIdentity&X-Amz-Credential=${KEY_ID}%2F20240101%2Fus-east-1%2Fsts%2Faws4_request&${names.token}=${SESSION}&${names.signature}=${SIGNATURE}`;

/** One character of a parameter name written as itself, in the other case, or percent-encoded (once or twice). */
const spelling = (c: string) =>
  fc.constantFrom(
    c,
    c.toUpperCase(),
    c.toLowerCase(),
    `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
    `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
    `%25${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
const spelled = (name: string) => fc.tuple(...[...name].map(spelling)).map((parts) => parts.join(''));

describe('redactSecrets', () => {
  test('removes signature and session token, masks the key id, keeps the rest', () => {
    const out = redactSecrets(`parse "${url()}": missing ']' in host`);
    expect(out).not.toContain(SIGNATURE);
    expect(out).not.toContain(SESSION);
    expect(out).not.toContain(KEY_ID);
    expect(out).toContain(`X-Amz-Signature=${REDACTED}`);
    expect(out).toContain('X-Amz-Credential=ASIA…MPLE%2F20240101');
    expect(out).toMatch(/": missing '\]' in host$/);
  });

  test('X-Amz-%53ignature and X-Amz-Security-%54oken: names are read decoded', () => {
    const out = redactSecrets(url({ signature: 'X-Amz-%53ignature', token: 'X-Amz-Security-%54oken' }));
    expect(out).not.toContain(SIGNATURE);
    expect(out).not.toContain(SESSION);
    expect(out).toContain(`X-Amz-%53ignature=${REDACTED}`);
  });

  test('any mixture of case and (double) percent-encoding in the name, and an encoded `=`', () => {
    fc.assert(
      fc.property(
        spelled('x-amz-signature'),
        spelled('x-amz-security-token'),
        fc.constantFrom('=', '%3d', '%3D', '%253D'),
        (signature, token, equals) => {
          const text = url({ signature, token }).replaceAll(`${signature}=`, `${signature}${equals}`);
          const out = redactSecrets(text);
          return !out.includes(SIGNATURE) && !out.includes(SESSION) && !out.includes(KEY_ID);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('a known secret is found however it is encoded', () => {
    const secret = 'abc+/def=ghi';
    expect(redactSecrets(`got abc%2B%2Fdef%3Dghi and abc+/def=ghi`, [secret])).toBe(`got ${REDACTED} and ${REDACTED}`);
    // Short values (a region, a flag) are never treated as secrets.
    expect(redactSecrets('us-east-1', ['east'])).toBe('us-east-1');
  });

  test('bearer tokens and free-text access key ids', () => {
    expect(redactSecrets('token k8s-aws-v1.aHR0cHM6Ly9zdHM_abc-def= end')).toBe(`token k8s-aws-v1.${REDACTED} end`);
    expect(redactSecrets(`The key ${KEY_ID} is invalid (AKIAIOSFODNN7EXAMPLE).`)).toBe(
      'The key ASIA…MPLE is invalid (AKIA…MPLE).',
    );
    // Unique ids of users and roles are not credentials.
    expect(redactSecrets('AIDAIOSFODNN7EXAMPLE AROAIOSFODNN7EXAMPLE')).toBe(
      'AIDAIOSFODNN7EXAMPLE AROAIOSFODNN7EXAMPLE',
    );
  });

  test('text without secrets is returned unchanged, escapes and all', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        fc.pre(!/x-amz|k8s-aws-v1|A[KSBC][IC]A/i.test(decodeURIComponentSafe(text)));
        return redactSecrets(text) === text;
      }),
    );
  });
});

function decodeURIComponentSafe(text: string): string {
  return text.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

describe('passwords in URLs (HTTPS_PROXY=http://user:pass@proxy:3128)', () => {
  test.each([
    ['proxy http://me:hunter22@proxy.corp:3128 refused', 'proxy http://<redacted>@proxy.corp:3128 refused'],
    ['HTTPS_PROXY=https://me%40corp:p%40ss@proxy:443/', 'HTTPS_PROXY=https://<redacted>@proxy:443/'],
    ['socks5://token@proxy', 'socks5://<redacted>@proxy'],
    ['no user: http://proxy:3128 and me@example.com', 'no user: http://proxy:3128 and me@example.com'],
  ])('%s', (text, expected) => {
    expect(redactSecrets(text)).toBe(expected);
  });
});

describe('structured redaction', () => {
  test('exec env: every name stays, values only for harmless ones (allow-list)', () => {
    const env = {
      AWS_PROFILE: 'dev',
      AWS_REGION: 'eu-west-1',
      AWS_STS_REGIONAL_ENDPOINTS: 'regional',
      AWS_ACCESS_KEY_ID: KEY_ID,
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      AWS_SESSION_TOKEN: SESSION,
      HTTPS_PROXY: 'http://me:hunter22@proxy:3128',
      SOMETHING_NOBODY_THOUGHT_OF: 'value',
    };
    expect(redactExecEnv(env)).toEqual({
      AWS_PROFILE: 'dev',
      AWS_REGION: 'eu-west-1',
      AWS_STS_REGIONAL_ENDPOINTS: 'regional',
      AWS_ACCESS_KEY_ID: REDACTED,
      AWS_SECRET_ACCESS_KEY: REDACTED,
      AWS_SESSION_TOKEN: REDACTED,
      HTTPS_PROXY: REDACTED,
      SOMETHING_NOBODY_THOUGHT_OF: REDACTED,
    });
    expect(execEnvSecrets(env)).not.toContain('dev');
    expect(execEnvSecrets(env)).toContain(SESSION);
  });

  test("a SelfSubjectReview's accessKeyId is masked, whatever its key's case", () => {
    expect(maskReviewExtra({ accessKeyId: [KEY_ID], AccessKeyID: [KEY_ID], sessionName: ['me'] })).toEqual({
      accessKeyId: ['ASIA…MPLE'],
      AccessKeyID: ['ASIA…MPLE'],
      sessionName: ['me'],
    });
    expect(maskAccessKeyId('short')).toBe('*****');
  });

  test('redactDeep reaches every string of a JSON value and keeps its shape', () => {
    const value = { a: [{ b: `x ${KEY_ID}` }, 3, null, true], ['__proto__']: 'k8s-aws-v1.abc' };
    const out = redactDeep(JSON.parse(JSON.stringify(value)) as unknown);
    expect(JSON.stringify(out)).not.toContain(KEY_ID);
    expect(out).toEqual(JSON.parse(`{"a":[{"b":"x ASIA…MPLE"},3,null,true],"__proto__":"k8s-aws-v1.${REDACTED}"}`));
  });
});
