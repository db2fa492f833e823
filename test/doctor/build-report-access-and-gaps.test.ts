import { describe, expect, test } from 'vitest';
import { buildDoctorReport, completeFrom } from '../../src/doctor/build-report.js';
import type { ApiProbe, ClusterInfo, Evidence } from '../../src/model/evidence.js';
import { creatorFromArn } from '../../src/model/principal.js';
import { ACCOUNT, awsAuthFrom, principal } from '../helpers/evidence.js';

// What doctor adds to the model's answer: the `--can` answers and, when it could not read something,
// the exact command that completes the diagnosis from an identity that can.
const ROLE = `arn:aws:iam::${ACCOUNT}:role/Admin`;
const SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/eksauth`;
const CREATOR = `arn:aws:iam::${ACCOUNT}:role/Creator`;
const CLUSTER: ClusterInfo = {
  name: 'prod',
  region: 'eu-west-1',
  accountId: ACCOUNT,
  authenticationMode: 'CONFIG_MAP',
};
const caller = {
  arn: `arn:aws:iam::${ACCOUNT}:user/ops`,
  account: ACCOUNT,
  userId: 'AIDAEXAMPLE',
  credentialSource: 'env',
};
type Review = NonNullable<ApiProbe['accessReviews']>[number];
const mapped = awsAuthFrom({ mapRoles: `- rolearn: ${ROLE}\n  username: admin\n  groups: [ops, dev]\n` });

describe('--can answers', () => {
  const access = (reviews: Review[], probe: Partial<ApiProbe> = {}) =>
    buildDoctorReport(
      {
        cluster: CLUSTER,
        principal: principal(SESSION),
        awsAuth: mapped,
        probe: { status: 200, error: null, accessReviews: reviews, ...probe },
      },
      'prod',
    ).access;

  test('allowed and denied, each with the rule or the missing rule; unrequested reviews are not listed', () => {
    expect(
      access([
        {
          verb: 'get',
          resource: 'pods',
          namespace: 'web',
          allowed: true,
          reason: 'RBAC: allowed by RoleBinding "r"',
          requested: true,
        },
        { verb: 'list', resource: 'deployments', group: 'apps', allowed: true, requested: true },
        { verb: 'delete', resource: 'nodes', allowed: false, requested: true },
        {
          verb: 'create',
          resource: 'secrets',
          namespace: 'kube-system',
          allowed: false,
          reason: 'no RBAC policy matched',
          requested: true,
        },
        { verb: 'get', resource: 'namespaces', allowed: true, requested: false },
      ]),
    ).toEqual([
      { request: 'get pods -n web', allowed: true, rule: 'RBAC: allowed by RoleBinding "r"' },
      {
        request: 'list deployments.apps (cluster-wide)',
        allowed: true,
        rule: 'allowed (the API server gave no reason)',
      },
      {
        request: 'delete nodes (cluster-wide)',
        allowed: false,
        rule: 'no rule grants it: no RoleBinding or ClusterRoleBinding for "admin" or its groups [ops, dev], and no access policy, allows it',
      },
      {
        request: 'create secrets -n kube-system',
        allowed: false,
        rule: 'no rule grants it: no RoleBinding or ClusterRoleBinding for "admin" or its groups [ops, dev], and no access policy, allows it (no RBAC policy matched)',
      },
    ]);
  });

  test('the self-subject review names the user and groups when there is one; no groups, none listed', () => {
    const denied: Review = { verb: 'delete', resource: 'nodes', allowed: false, requested: true };
    expect(access([denied], { selfSubjectReview: { username: 'seen', groups: [] } })?.[0]?.rule).toBe(
      'no rule grants it: no RoleBinding or ClusterRoleBinding for "seen", and no access policy, allows it',
    );
  });

  test('nothing requested: no access section', () => {
    expect(access([{ verb: 'get', resource: 'pods', allowed: true }])).toBeUndefined();
    expect(access([])).toBeUndefined();
  });
});

describe('completing a diagnosis from another identity', () => {
  test('the creator found in CloudTrail, diagnosing the locked-out role', () => {
    const evidence: Evidence = {
      cluster: CLUSTER,
      principal: principal(SESSION),
      caller,
      creator: creatorFromArn(`arn:aws:sts::${ACCOUNT}:assumed-role/Creator/bootstrap`, 'cloudtrail'),
    };
    expect(completeFrom(evidence, 'prod')).toEqual({
      how: `run doctor again from the cluster creator ${CREATOR} (CloudTrail CreateCluster), as CREATOR_PROFILE, diagnosing the same principal`,
      command: `eksauth doctor --cluster prod --region eu-west-1 --profile CREATOR_PROFILE --role-arn ${ROLE}`,
    });
  });

  test('a creator given by flag is "given"; the region may come from the lookup', () => {
    const evidence: Evidence = {
      clusterLookup: { name: 'prod', region: 'us-east-2', regionSource: '--region', found: false },
      principal: principal(ROLE),
      creator: { arn: CREATOR, source: 'flag' },
    };
    expect(completeFrom(evidence, 'prod')).toEqual({
      how: `run doctor again from the cluster creator ${CREATOR} (given), as CREATOR_PROFILE, diagnosing the same principal`,
      command: `eksauth doctor --cluster prod --region us-east-2 --profile CREATOR_PROFILE --role-arn ${ROLE}`,
    });
  });

  test('the creator is the principal itself, or the operator that just failed: an admin profile instead', () => {
    const admin =
      'run doctor again from an identity that can read kube-system/aws-auth (cluster admin), as ADMIN_PROFILE, diagnosing the same principal';
    const asPrincipal = completeFrom(
      { principal: principal(SESSION), creator: { arn: ROLE, source: 'cloudtrail' } },
      'prod',
    );
    expect(asPrincipal).toEqual({
      how: admin,
      command: `eksauth doctor --cluster prod --profile ADMIN_PROFILE --role-arn ${ROLE}`,
    });
    const asCaller = completeFrom(
      {
        principal: principal(SESSION),
        caller: { ...caller, arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Creator/x` },
        creator: { arn: CREATOR, source: 'cloudtrail' },
      },
      'prod',
    );
    expect(asCaller.how).toBe(admin);
  });

  test('a user principal from a profile is named with --target-profile', () => {
    const evidence: Evidence = {
      principal: principal(`arn:aws:iam::${ACCOUNT}:user/bob`),
      credentialEnv: { profile: 'bob', profileFrom: 'AWS_PROFILE', staticKeys: false },
    };
    expect(completeFrom(evidence, 'prod').command).toBe(
      'eksauth doctor --cluster prod --profile ADMIN_PROFILE --target-profile bob',
    );
    expect(completeFrom({ principal: principal(`arn:aws:iam::${ACCOUNT}:user/bob`) }, 'prod').command).toBe(
      'eksauth doctor --cluster prod --profile ADMIN_PROFILE',
    );
  });
});

describe('what the verdict says is missing', () => {
  const missing = (evidence: Evidence) => buildDoctorReport(evidence, 'prod').verdict?.missing ?? [];

  test('aws-auth unreadable: the gap carries the command that completes the diagnosis', () => {
    const gaps = missing({
      cluster: CLUSTER,
      principal: principal(SESSION),
      caller,
      creator: { arn: CREATOR, source: 'cloudtrail' },
      unavailable: { awsAuth: 'Unauthorized (401)' },
    });
    const awsAuth = gaps.find((g) => g.what === 'the aws-auth ConfigMap');
    expect(awsAuth).toMatchObject({
      how: `run doctor again from the cluster creator ${CREATOR} (CloudTrail CreateCluster), as CREATOR_PROFILE, diagnosing the same principal`,
      command: `eksauth doctor --cluster prod --region eu-west-1 --profile CREATOR_PROFILE --role-arn ${ROLE}`,
    });
  });

  test('the cluster undescribed because access was denied: which permission to use', () => {
    const gaps = missing({
      principal: principal(SESSION),
      caller,
      unavailable: { cluster: 'AccessDenied' },
      failures: { cluster: { code: 'access-denied', action: 'eks:DescribeCluster', message: 'denied' } },
    });
    expect(gaps.map((g) => g.how)).toContain(
      'run again once eks:DescribeCluster answers, from an identity allowed eks:DescribeCluster on the cluster; offline, `eksauth explain --mode MODE` with the mode you know',
    );
    const timedOut = missing({ principal: principal(SESSION), caller, unavailable: { cluster: 'timeout' } });
    expect(timedOut.map((g) => g.how)).toContain(
      'run again once eks:DescribeCluster answers; offline, `eksauth explain --mode MODE` with the mode you know',
    );
  });

  test('no principal: who it is, why not, and how to name it', () => {
    expect(missing({ cluster: CLUSTER, unavailable: { caller: 'InvalidClientTokenId' } })).toContainEqual({
      what: 'who the principal is',
      why: 'InvalidClientTokenId',
      how: 'fix the credentials named above, or name the principal with --role-arn or --target-profile',
    });
    const steps =
      buildDoctorReport({ cluster: CLUSTER, unavailable: { assumeRole: 'AccessDenied on sts:AssumeRole' } }, 'prod')
        .steps ?? [];
    expect(steps.find((s) => s.title === 'Simulation')).toEqual({
      stage: 'authentication',
      title: 'Simulation',
      status: 'skip',
      detail: 'the principal is unknown: AccessDenied on sts:AssumeRole',
    });
  });
});
