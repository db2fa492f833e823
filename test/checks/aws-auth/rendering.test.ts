import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { AWS_AUTH_CHECKS } from '../../../checks/aws-auth/index.js';
import { renderHit } from '../../../src/core/run-checks.js';
import { unfilledPlaceholders } from '../../../src/core/render.js';
import type { Finding } from '../../../src/core/types.js';
import type { Evidence } from '../../../src/model/evidence.js';
import { ACCOUNT, awsAuthFromText, contextFor, principal } from '../../helpers/evidence.js';
import { configMapText, nodeRow, row } from './_configmap.js';

const arn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const nodegroups = [{ nodegroupName: 'ng-1', nodeRole: arn('NodeRole'), healthIssues: [] }];
const text = (data: Record<string, string>) => awsAuthFromText(configMapText(data));

/** Inputs that between them trigger every message of every aws-auth check. */
const SCENARIOS: Evidence[] = [
  {
    awsAuth: awsAuthFromText(
      readFileSync(join(import.meta.dirname, '../../../examples/seed1-invalid-aws-auth/aws-auth.yaml'), 'utf8'),
    ),
    cluster: { name: 'prod' },
  },
  { awsAuth: { state: 'absent' } },
  { awsAuth: { state: 'absent' }, nodegroups },
  { awsAuth: text({ maproles: row('rolearn', arn('A')) }) },
  { awsAuth: text({ maproles: row('rolearn', arn('A')) }), nodegroups },
  { awsAuth: text({ mapRoles: row('rolearn', arn('Admin')) }), nodegroups },
  { awsAuth: text({ mapRoles: `- rolearn: ${arn('A')}\n  username: a\n   groups:\n    - g\n` }) },
  { awsAuth: text({ mapRoles: `rolearn: ${arn('A')}\n` }) },
  {
    awsAuth: awsAuthFromText(
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aws-auth\ndata:\n  mapRoles:\n    - rolearn: x\n',
    ),
  },
  {
    cluster: { name: 'prod', region: 'us-east-1' },
    nodegroups,
    awsAuth: text({
      mapRoles: [
        `- rolearn: ${arn('A')}\n  username: 12345\n  groups: system:masters\n`,
        `- username: x\n`,
        `- rolearn: ${arn('A')}\n  username: a\n  username: b\n  groups:\n    - system:bootstrappers\n     - system:nodes\n`,
        row('rolearn', `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/alice`),
        row('rolearn', `arn:aws:iam::${ACCOUNT}:user/bob`),
        `- userarn: arn:aws:iam::${ACCOUNT}:user/carol\n  username: carol\n`,
        row('roleARN', arn('Cased')),
        row('rolearn', `arn:aws:iam::${ACCOUNT}:group/Devs`),
        row('rolearn', arn('*')),
        row('rolearn', `arn:aws:iam::${ACCOUNT}:root`),
        row('rolearn', `"${arn('Space')} "`),
        row('rolearn', 'NotAnArn'),
        row('rolearn', `arn:aws-foo:iam::${ACCOUNT}:role/P`),
        row('rolearn', `arn:aws-cn:iam::${ACCOUNT}:role/P`),
        row('rolearn', `arn:aws:ec2::${ACCOUNT}:instance/i-1`),
        row('rolearn', `arn:aws:iam:us-east-1:${ACCOUNT}:role/R`),
        row('rolearn', 'arn:aws:iam::1234:role/R'),
        row('rolearn', `arn:aws:iam::${ACCOUNT}:instance-profile/ip`),
        row('rolearn', `arn:aws:iam::${ACCOUNT}:role/`),
        row('rolearn', `arn:aws:iam::${ACCOUNT}:role/a#b`),
        row('rolearn', arn('T'), '"{{SessionNameRaw }}"'),
        row('rolearn', arn('N'), 'system:node:{{EC2PrivateDnsName}}', ['system:nodes']),
        nodeRow(arn('terraform')),
        nodeRow(arn('cluster-role')),
      ].join(''),
      mapUsers: [
        row('userarn', arn('R')),
        `- rolearn: ${arn('X')}\n  username: x\n`,
        row('userarn', `arn:aws:iam::${ACCOUNT}:user/Eve`, 'e1'),
        row('userarn', `arn:aws:iam::${ACCOUNT}:user/eve`, 'e2'),
        row('userarn', `arn:aws:iam::${ACCOUNT}:user/bob`, 'b2'),
      ].join(''),
      mapAccounts: '- 555555555555\n- 1e3\n',
    }),
  },
  { awsAuth: text({ mapAccounts: 'a: b\n' }) },
  { awsAuth: text({ mapAccounts: '- a: b\n' }) },
  {
    awsAuth: text({
      mapRoles: `${row('rolearn', arn('Admin'), 'a', ['system:masters'])}${row('rolearn', arn('admin'), 'b', ['readers'])}`,
    }),
    principal: principal(arn('Admin')),
  },
  {
    awsAuth: text({ mapRoles: row('rolearn', arn('dev'), 'dev-{{SessionID}}', ['developers']) }),
    principal: principal(arn('dev')),
  },
  {
    awsAuth: text({ mapRoles: nodeRow(arn('eksClusterRole')) }),
    cluster: {
      name: 'prod',
      region: 'eu-west-1',
      authenticationMode: 'API_AND_CONFIG_MAP',
      roleArn: arn('eksClusterRole'),
    },
    nodegroups: [{ nodegroupName: 'ng-1', nodeRole: arn('eks-ng-1-role'), healthIssues: [] }],
  },
  // duplicate-arn#roleFoldVariants: ſ (U+017F) folds to s under strings.EqualFold.
  { awsAuth: text({ mapRoles: `${row('rolearn', arn('\u017Ftaff'))}${row('rolearn', arn('staff'))}` }) },
];

function findingsOf(evidence: Evidence): Finding[] {
  const context = contextFor(evidence);
  return AWS_AUTH_CHECKS.flatMap((check) => check.run(context).map((hit) => renderHit(check, hit)));
}

test('the aws-auth checks are registered in check-catalog.md order', () => {
  expect(AWS_AUTH_CHECKS.map((c) => c.meta.id)).toEqual(
    [
      'missing-or-replaced',
      'yaml-invalid',
      'entry-shape',
      'role-arn-has-path',
      'assumed-role-arn',
      'wrong-section',
      'key-casing',
      'unsupported-principal',
      'duplicate-arn',
      'malformed-arn',
      'map-accounts-shape',
      'unknown-template',
      'human-role-as-node',
    ].map((name) => `aws-auth/${name}`),
  );
});

describe('aws-auth checks, rendered', () => {
  const findings = SCENARIOS.flatMap(findingsOf);

  test('the scenarios reach every message of every check', () => {
    const seen = new Set(findings.map((f) => `${f.checkId}#${f.messageId}`));
    const all = AWS_AUTH_CHECKS.flatMap((c) => Object.keys(c.meta.messages).map((m) => `${c.meta.id}#${m}`));
    expect(all.filter((id) => !seen.has(id))).toEqual([]);
  });

  test('every placeholder is filled, in messages, remediations, fixes and risks', () => {
    for (const f of findings) {
      const texts = [f.message, f.remediation, ...Object.values(f.fix ?? {}).flat()];
      // `{{SessionName}}` and friends (and the unknown ones the user wrote) are the authenticator's templates, not ours.
      const unfilled = texts.flatMap((t) => unfilledPlaceholders(String(t).replace(/\{\{[^{}]*\}\}/g, '')));
      expect(unfilled, `${f.checkId}#${f.messageId}`).toEqual([]);
    }
  });

  test('every finding about a row or block carries a 1-based location', () => {
    for (const f of findings) {
      if (f.subject.name === 'kube-system/aws-auth') continue;
      expect(f.location, `${f.checkId}#${f.messageId}`).toBeDefined();
      expect(f.location?.line).toBeGreaterThanOrEqual(1);
      expect(f.location?.column).toBeGreaterThanOrEqual(1);
    }
  });

  test('every fix names the cluster and lists its risks', () => {
    for (const f of findings) {
      expect(f.fix, f.checkId).toBeDefined();
      expect(f.fix?.risks?.length, f.checkId).toBeGreaterThan(0);
      for (const dialect of ['kubectl', 'eksctl', 'aws', 'terraform'] as const)
        expect(f.fix?.[dialect], `${f.checkId}#${f.messageId} ${dialect}`).toBeTruthy();
    }
    const prod = findingsOf(SCENARIOS[9] as Evidence).filter((f) => f.fix?.eksctl?.includes('--cluster'));
    expect(prod.length).toBeGreaterThan(0);
    for (const f of prod) expect(f.fix?.eksctl).toContain('--cluster prod');
  });

  test('without a principal nothing concerns a principal', () => {
    expect(
      SCENARIOS.filter((e) => !e.principal)
        .flatMap(findingsOf)
        .filter((f) => f.affectsPrincipal),
    ).toEqual([]);
  });

  test('seed 1 explained for the SSO admin: yaml-invalid is the error that concerns the principal, role-arn-has-path follows', () => {
    const evidence = {
      ...SCENARIOS[0],
      principal: principal(
        'arn:aws:sts::000000000000:assumed-role/AWSReservedSSO_AdministratorAccess_3d0c6bf1a2e4b5c7/jane@example.com',
      ),
    } as Evidence;
    const concerned = findingsOf(evidence).filter((f) => f.affectsPrincipal && f.severity === 'error');
    expect(concerned.map((f) => f.checkId)).toEqual(['aws-auth/yaml-invalid', 'aws-auth/role-arn-has-path']);
  });

  test('checks never throw on odd rows', () => {
    const odd = text({
      mapRoles: '- null\n- []\n- rolearn: [a]\n  username: {a: b}\n- rolearn: ""\n- {}\n',
      mapUsers: '- ~\n',
      mapAccounts: '- ~\n- ""\n',
    });
    expect(() => findingsOf({ awsAuth: odd, principal: principal(arn('A')) })).not.toThrow();
  });
});
