import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { CHECKS } from '../../checks/index.js';
import { diagnose } from '../../src/core/diagnose.js';
import { canonicalizeArn } from '../../src/model/arn.js';
import { parseAwsAuth } from '../../src/model/aws-auth/parse.js';
import { principalFromArn } from '../../src/model/principal.js';
import { schemaErrors } from '../helpers/schema.js';

/** Pieces real aws-auth rows are made of, so mutations land on interesting shapes. */
const FRAGMENTS = [
  '- rolearn: arn:aws:iam::111122223333:role/Admin\n',
  '  username: {{SessionName}}\n',
  '  username: "{{SessionName}}"\n',
  '  username: system:node:{{EC2PrivateDNSName}}\n',
  '  groups:\n    - system:masters\n',
  '  groups: system:masters\n',
  '- userarn: arn:aws:iam::111122223333:user/a\n',
  '- rolearn: arn:aws:sts::111122223333:assumed-role/A/s\n',
  '- rolearn: arn:aws:iam::111122223333:role/aws-reserved/\n',
  '\t- x\n',
  '  - &a [*a]\n',
  '- sso:\n    permissionSetName: Admin\n    accountID: "1"\n',
  '{"rolearn": "x"}',
  '- [a, b]\n',
  '  ? [k]\n  : v\n',
  '- <<: {username: m}\n',
  '   ',
  '#',
  '"',
  "'",
  ':',
];

const blockText = fc.oneof(
  fc.string(),
  fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 12 }).map((parts) => parts.join('')),
  fc
    .tuple(fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 8 }), fc.string({ maxLength: 5 }), fc.nat(200))
    .map(([parts, noise, at]) => {
      const text = parts.join('');
      const cut = at % (text.length + 1);
      return text.slice(0, cut) + noise + text.slice(cut);
    }),
);

const configMapText = fc.oneof(
  fc
    .record({ mapRoles: blockText, mapUsers: blockText, mapAccounts: blockText })
    .map((data) => JSON.stringify({ kind: 'ConfigMap', metadata: { name: 'aws-auth' }, data })),
  fc.record({ mapRoles: blockText }).map(
    ({ mapRoles }) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aws-auth\ndata:\n  mapRoles: |\n${mapRoles
        .split('\n')
        .map((l) => `    ${l}`)
        .join('\n')}\n`,
  ),
  fc.string(),
);

const arnLike = fc.oneof(
  fc.string(),
  fc
    .tuple(
      fc.constantFrom('arn', 'ARN', ''),
      fc.constantFrom('aws', 'aws-cn', 'aws-us-gov', 'aws-foo', ''),
      fc.constantFrom('iam', 'sts', 's3', ''),
      fc.string({ maxLength: 3 }),
      fc.constantFrom('111122223333', '1', ''),
      fc.constantFrom(
        'role/A',
        'role/a/b/C',
        'user/u',
        'root',
        'assumed-role/R/s',
        'assumed-role/R',
        'federated-user/f',
        'group/g',
        'role/',
        '',
      ),
    )
    .map((parts) => parts.join(':')),
);

describe('no input makes the model throw', () => {
  test('random and mutated aws-auth documents end in a parse result or a clear error', () => {
    fc.assert(
      fc.property(configMapText, (text) => {
        const parsed = parseAwsAuth(text);
        if (!parsed.ok) {
          expect(parsed.error.length).toBeGreaterThan(0);
          return;
        }
        const report = diagnose('lint', { awsAuth: { state: 'present', configMap: parsed.value } }, CHECKS);
        expect(schemaErrors(JSON.parse(JSON.stringify(report)))).toBe('');
        for (const finding of report.findings)
          if (finding.location) expect(finding.location.line).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 400 },
    );
  });

  test('random ARNs canonicalise or are refused with a message', () => {
    fc.assert(
      fc.property(arnLike, (arn) => {
        const canonical = canonicalizeArn(arn);
        expect(canonical.ok || canonical.error.length > 0).toBe(true);
        const principal = principalFromArn(arn);
        if (principal.ok) expect(principal.value.canonicalArn).toMatch(/^arn:/);
      }),
      { numRuns: 1000 },
    );
  });

  test('every explain run ends in a decision', () => {
    fc.assert(
      fc.property(
        configMapText,
        fc.constantFrom(
          'arn:aws:sts::111122223333:assumed-role/Admin/s',
          'arn:aws:iam::111122223333:user/a',
          'arn:aws:iam::111122223333:role/x/y/Z',
        ),
        (text, arn) => {
          const parsed = parseAwsAuth(text);
          const principal = principalFromArn(arn);
          if (!parsed.ok || !principal.ok) return;
          const report = diagnose(
            'explain',
            { principal: principal.value, awsAuth: { state: 'present', configMap: parsed.value } },
            CHECKS,
          );
          expect(typeof report.decision?.authenticated).toBe('boolean');
          expect(report.steps?.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  // Found by the property above (seed 1504599699): the yaml library reads an alias inside its own
  // anchor but cannot write the block back, and the fix's exact patch threw.
  test('an alias inside its own anchor gives a decision and a hand-edit fix, not a throw', () => {
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aws-auth\ndata:\n  mapRoles: |\n      - !&a [*a]\n    \n';
    const parsed = parseAwsAuth(text);
    const principal = principalFromArn('arn:aws:sts::111122223333:assumed-role/Admin/s');
    if (!parsed.ok || !principal.ok) throw new Error('the regression input no longer parses');
    const report = diagnose(
      'explain',
      { principal: principal.value, awsAuth: { state: 'present', configMap: parsed.value } },
      CHECKS,
    );
    expect(report.decision?.authenticated).toBe(false);
    expect(report.rootCause).toBe('identity/principal-not-mapped');
  });
});

describe('the Kubernetes size limit', () => {
  test('a 1 MiB ConfigMap is read in full', () => {
    const rows: string[] = [];
    for (let i = 0, size = 0; size < 1024 * 1024 - 200; i++) {
      rows.push(`- rolearn: arn:aws:iam::111122223333:role/r-${i}\n  username: u-${i}\n  groups:\n    - g\n`);
      size += rows[i]?.length ?? 0;
    }
    const parsed = parseAwsAuth(
      JSON.stringify({ kind: 'ConfigMap', metadata: { name: 'aws-auth' }, data: { mapRoles: rows.join('') } }),
    );
    expect(parsed.ok && parsed.value.roleRows.length).toBe(rows.length);
    const report = diagnose(
      'lint',
      { awsAuth: parsed.ok ? { state: 'present', configMap: parsed.value } : { state: 'absent' } },
      CHECKS,
    );
    expect(report.schemaVersion).toBe(1);
  });
});
