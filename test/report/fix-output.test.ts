import { describe, expect, test } from 'vitest';
import { entrySteps } from '../../checks/_fix.js';
import { script, sh, comment } from '../../src/core/command.js';
import { renderFix } from '../../src/core/fix.js';
import { planFix } from '../../src/core/fix-plan.js';
import type { Report } from '../../src/core/report.js';
import type { Finding, FixStep } from '../../src/core/types.js';
import type { Evidence } from '../../src/model/evidence.js';
import { renderHuman } from '../../src/report/human.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { ACCOUNT } from '../helpers/evidence.js';
import { CLUSTER } from '../checks/_live.js';

const finding = (checkId: string, steps: FixStep[], message = `${checkId} happened`): Finding => ({
  checkId,
  messageId: 'm',
  severity: 'error',
  stage: 'authentication',
  title: `title of ${checkId}`,
  message,
  remediation: `Do what ${checkId} needs.`,
  docsUrl: `https://example.invalid/${checkId}`,
  subject: { kind: 'principal', name: 'p' },
  affectsPrincipal: true,
  ...(steps.length > 0 ? { fix: renderFix(steps, [`Risk of ${checkId}.`]) } : {}),
});

const configMap: Evidence = { cluster: { ...CLUSTER, name: 'orders', authenticationMode: 'CONFIG_MAP' } };
const admin = `arn:aws:iam::${ACCOUNT}:role/admin`;

function report(findings: Finding[], extra: Partial<Report> = {}): Report {
  const fix = planFix(findings, findings[0]?.checkId ?? null, true);
  return {
    schemaVersion: 1,
    command: 'explain',
    rootCause: findings[0]?.checkId ?? null,
    findings,
    skipped: [],
    principal: { input: admin, canonicalArn: admin },
    decision: { authenticated: false, source: null, username: null, groups: [] },
    steps: [
      { stage: 'authentication', title: 'Read aws-auth', status: 'pass', detail: 'mapAccounts 0 accounts, canonical' },
    ],
    ...(fix ? { fix } : {}),
    ...extra,
  };
}

const twoFindings = (): Finding[] => [
  finding(
    'identity/principal-not-mapped',
    entrySteps(configMap, 'Create an access entry for admin', [
      { principalArn: admin, type: 'STANDARD', groups: [], policies: ['AmazonEKSClusterAdminPolicy'] },
    ]),
    'The principal is not mapped.',
  ),
  finding('rbac/forbidden', [
    {
      title: 'Grant group devs get pods',
      identity: 'a cluster administrator',
      kubectl: script(sh`kubectl create rolebinding x --role=y --group=devs`),
      aws: [comment('nothing for the aws CLI')],
    },
  ]),
];

describe('human output: the fix right after the root cause, numbered, each step with its dialects', () => {
  const text = renderHuman(report(twoFindings()), { color: false });
  const at = (needle: string): number => {
    const i = text.indexOf(needle);
    expect(i, needle).toBeGreaterThanOrEqual(0);
    return i;
  };

  test('order: root cause, fix, then what EKS did', () => {
    expect(at('Root cause')).toBeLessThan(at('\nFix\n'));
    expect(at('\nFix\n')).toBeLessThan(at('What EKS did'));
  });

  test('several steps are numbered, in the order to apply them, each with its own dialects', () => {
    const one = at('  1. Switch the cluster to API_AND_CONFIG_MAP');
    const two = at('  2. Create an access entry for admin');
    const three = at('  3. Grant group devs get pods');
    expect(one).toBeLessThan(two);
    expect(two).toBeLessThan(three);
    const stepTwo = text.slice(two, three);
    expect(stepTwo).toContain('     aws CLI\n       aws eks create-access-entry');
    expect(stepTwo).toContain('     eksctl\n');
    expect(stepTwo).toContain('     Terraform\n');
    expect(text.slice(one, two)).toMatch(/ONE-WAY: EKS cannot switch an authentication mode back/);
    expect(text.slice(three)).toContain('Run as a cluster administrator.');
    expect(text).toContain('These steps also clear rbac/forbidden.');
  });

  test('risks stay, after the steps', () => {
    expect(at('Risk of identity/principal-not-mapped.')).toBeGreaterThan(at('  3. Grant group devs'));
    expect(text).toContain('Risk of rbac/forbidden.');
  });

  test('one step: no number, the dialects straight under the fix', () => {
    const single = renderHuman(report([twoFindings()[1] as Finding]), { color: false });
    expect(single).not.toMatch(/^ {2}1\. /m);
    expect(single).toContain('\n  kubectl\n    kubectl create rolebinding x');
  });
});

describe('the glossary lists only the terms the prose uses', () => {
  const termsOf = (text: string): string[] =>
    text
      .slice(text.indexOf('Terms:'))
      .split('\n')
      .slice(1)
      .filter((l) => l.trim() !== '')
      .map((l) => l.trim().split(':')[0] ?? '');

  test.each<[string, Finding[], string[]]>([
    [
      'a term only in a command or in the trace is not explained (aws-auth in kubectl, mapAccounts and canonical in the trace)',
      [
        finding(
          'rbac/forbidden',
          [{ title: 'Grant', kubectl: script(sh`kubectl get configmap aws-auth -n kube-system`) }],
          'The request is forbidden.',
        ),
      ],
      [],
    ],
    [
      'words shared with ordinary prose do not pull in a term (a path, a creator of a file)',
      [finding('x/y', [], 'The path to the file was written by its creator.')],
      [],
    ],
    [
      "the checks' own wordings of a term still count",
      [finding('x/y', [], 'EKS never canonicalises rows; the creator keeps access; the IAM path is dropped.')],
      ['canonical ARN', 'cluster creator', 'IAM path'],
    ],
    [
      'the terms the message uses, once each',
      [finding('x/y', [], 'aws-auth maps it to system:masters; the cluster creator has access; CONFIG_MAP mode.')],
      ['aws-auth ConfigMap', 'authentication mode', 'cluster creator', 'system'],
    ],
  ])('%s', (_, findings, terms) => {
    const text = renderHuman(report(findings), { color: false });
    expect(text.includes('Terms:') ? termsOf(text) : []).toEqual(terms);
  });
});

describe('markdown: the same plan, a heading per step', () => {
  test('numbered steps with their one-way and who-runs-it notes', () => {
    const md = renderMarkdown(report(twoFindings()));
    expect(md).toMatch(/#### Step 1: Switch the cluster to API\\_AND[^\n]*\n\n\*\*One-way:\*\* EKS cannot/);
    expect(md).toContain('#### Step 3: Grant group devs get pods');
    expect(md).toContain('**Run as** a cluster administrator.');
    expect(md.indexOf('#### Step 1')).toBeLessThan(md.indexOf('#### Step 2'));
  });
});
