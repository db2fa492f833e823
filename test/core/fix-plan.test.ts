import { describe, expect, test } from 'vitest';
import { entrySteps, modeChangeStep } from '../../checks/_fix.js';
import { sh, script } from '../../src/core/command.js';
import { renderFix } from '../../src/core/fix.js';
import { planFix } from '../../src/core/fix-plan.js';
import type { Finding, FixStep } from '../../src/core/types.js';
import type { Evidence } from '../../src/model/evidence.js';
import { ACCOUNT } from '../helpers/evidence.js';
import { CLUSTER } from '../checks/_live.js';

const finding = (checkId: string, steps: FixStep[], fields: Partial<Finding> = {}): Finding => ({
  checkId,
  messageId: 'm',
  severity: 'error',
  stage: 'authentication',
  title: checkId,
  message: checkId,
  remediation: checkId,
  docsUrl: '',
  subject: { kind: 'principal', name: 'p' },
  affectsPrincipal: true,
  ...(steps.length > 0 ? { fix: renderFix(steps, [`risk of ${checkId}`]) } : {}),
  ...fields,
});
const step = (title: string, argv: string, extra: Partial<FixStep> = {}): FixStep => ({
  title,
  kubectl: script(sh`kubectl ${argv.split(' ')}`),
  ...extra,
});
const configMapCluster: Evidence = { cluster: { ...CLUSTER, name: 'orders', authenticationMode: 'CONFIG_MAP' } };
const plan = (arn: string) => ({ principalArn: arn, type: 'STANDARD' as const, groups: [], policies: [] });

describe('the report fix plan covers every blocking finding, one step per change, in order', () => {
  test('root cause first, then the other blocking findings in stage order; warnings and bystanders left out', () => {
    const fix = planFix(
      [
        finding('token/expired', [step('renew', 'config view')], { stage: 'token' }),
        finding('aws-auth/role-arn-has-path', [step('strip path', 'patch configmap aws-auth')]),
        finding('nodes/shared-node-role', [step('warn', 'get nodes')], { severity: 'warning' }),
        finding('aws-auth/duplicate-arn', [step('other row', 'patch other')], { affectsPrincipal: false }),
      ],
      'aws-auth/role-arn-has-path',
      true,
    );
    expect(fix?.findings).toEqual(['aws-auth/role-arn-has-path', 'token/expired']);
    expect(fix?.steps.map((s) => [s.title, s.findings])).toEqual([
      ['strip path', ['aws-auth/role-arn-has-path']],
      ['renew', ['token/expired']],
    ]);
    expect(fix?.kubectl).toMatch(/^# Step 1: strip path\nkubectl patch configmap aws-auth\n# Step 2: renew\n/);
    expect(fix?.risks).toEqual(['risk of aws-auth/role-arn-has-path', 'risk of token/expired']);
  });

  test('without a principal (lint) every error finding counts', () => {
    const fix = planFix([finding('a/b', [step('x', 'x')], { affectsPrincipal: false })], 'a/b', false);
    expect(fix?.findings).toEqual(['a/b']);
  });

  test('one key, one step: the first rewrite of a block is kept and clears both findings', () => {
    const fix = planFix(
      [
        finding('aws-auth/role-arn-has-path', [
          step('rewrite mapRoles (all rows)', 'patch a', { key: 'aws-auth:mapRoles' }),
        ]),
        finding('aws-auth/unknown-template', [step('rewrite mapRoles again', 'patch b', { key: 'aws-auth:mapRoles' })]),
      ],
      'aws-auth/role-arn-has-path',
      true,
    );
    expect(fix?.steps).toHaveLength(1);
    expect(fix?.steps[0]?.findings).toEqual(['aws-auth/role-arn-has-path', 'aws-auth/unknown-template']);
  });

  test('the same commands from two findings are one step', () => {
    const fix = planFix(
      [finding('a/one', [step('relogin', 'login')]), finding('a/two', [step('log in again', 'login')])],
      'a/one',
      true,
    );
    expect(fix?.steps.map((s) => s.findings)).toEqual([['a/one', 'a/two']]);
  });

  test('CONFIG_MAP: one one-way mode change, before every access entry that needs it', () => {
    const a = `arn:aws:iam::${ACCOUNT}:role/admin`;
    const b = `arn:aws:iam::${ACCOUNT}:role/nodes`;
    const fix = planFix(
      [
        finding('identity/principal-not-mapped', entrySteps(configMapCluster, 'Create an entry for admin', [plan(a)])),
        finding('nodes/node-role-unmapped', entrySteps(configMapCluster, 'Create an entry for nodes', [plan(b)])),
      ],
      'identity/principal-not-mapped',
      true,
    );
    expect(fix?.steps.map((s) => s.title)).toEqual([
      modeChangeStep(configMapCluster).title,
      'Create an entry for admin',
      'Create an entry for nodes',
    ]);
    expect(fix?.steps[0]?.oneWay).toMatch(/cannot switch an authentication mode back/);
    expect(fix?.steps[0]?.findings).toEqual(['identity/principal-not-mapped', 'nodes/node-role-unmapped']);
    expect(fix?.aws).toMatch(/^# Step 1: Switch the cluster .* \(ONE-WAY\)\naws eks update-cluster-config/);
    const awsText = fix?.aws ?? '';
    expect(awsText.indexOf('update-cluster-config')).toBeLessThan(awsText.indexOf('create-access-entry'));
  });

  test('a blocking finding without steps is named as uncovered; nothing to plan: no plan', () => {
    const fix = planFix([finding('a/one', [step('x', 'x')]), finding('a/prose', [])], 'a/one', true);
    expect(fix?.uncovered).toEqual(['a/prose']);
    expect(planFix([finding('a/prose', [])], 'a/prose', true)).toBeUndefined();
  });

  test('a step that needs another identity says so in the joined text', () => {
    const fix = planFix(
      [finding('a/one', [step('a', 'a')]), finding('a/two', [step('b', 'b', { identity: 'the cluster creator' })])],
      'a/one',
      true,
    );
    expect(fix?.kubectl).toContain('# Step 2: b (run as the cluster creator)');
    expect(fix?.steps[1]?.identity).toBe('the cluster creator');
  });
});

describe('through the engine: the seed stories', () => {
  test('seed 1 (lint): one aws-auth rewrite clears yaml-invalid and role-arn-has-path, and names who may write it', async () => {
    const { readFileSync } = await import('node:fs');
    const { diagnose } = await import('../../src/core/diagnose.js');
    const { CHECKS } = await import('../../checks/index.js');
    const { awsAuthFromText } = await import('../helpers/evidence.js');
    const text = readFileSync(new URL('../../examples/seed1-invalid-aws-auth/aws-auth.yaml', import.meta.url), 'utf8');
    const report = diagnose('lint', { awsAuth: awsAuthFromText(text) }, CHECKS);
    expect(report.fix?.findings).toEqual(['aws-auth/yaml-invalid', 'aws-auth/role-arn-has-path']);
    expect(report.fix?.steps).toHaveLength(1);
    expect(report.fix?.steps[0]?.findings).toEqual(['aws-auth/yaml-invalid', 'aws-auth/role-arn-has-path']);
    expect(report.fix?.steps[0]?.identity).toMatch(/may write the aws-auth ConfigMap/);
  });

  test('seed 2 (explain): every aws and eksctl command names the cluster region', async () => {
    const { readFileSync } = await import('node:fs');
    const { diagnose } = await import('../../src/core/diagnose.js');
    const { CHECKS } = await import('../../checks/index.js');
    const { awsAuthFromText, principal } = await import('../helpers/evidence.js');
    const dir = new URL('../../examples/seed2-terraform-cloud-agent/', import.meta.url);
    const report = diagnose(
      'explain',
      {
        principal: principal(`arn:aws:iam::${ACCOUNT}:role/tfc-agent`),
        cluster: { ...CLUSTER, name: 'platform', region: 'us-west-2', authenticationMode: 'CONFIG_MAP' },
        awsAuth: awsAuthFromText(readFileSync(new URL('aws-auth.yaml', dir), 'utf8')),
      },
      CHECKS,
    );
    const commands = (report.fix?.steps ?? []).flatMap((s) => [
      ...(s.aws?.commands ?? []),
      ...(s.eksctl?.commands ?? []),
    ]);
    expect(commands.length).toBeGreaterThan(0);
    for (const c of commands) expect(c.argv, c.argv.join(' ')).toContain('us-west-2');
  });
});
