import type { CallerIdentity, ClusterInfo, Evidence, KubeconfigFacts } from '../../src/model/evidence.js';
import { ACCOUNT, principal } from './evidence.js';
import { presigned, stsError, tokenEvidence, tokenOfUrl } from './token-evidence.js';

/**
 * Evidence that makes the checks no shipped scenario reaches report a finding with a fix (taken from
 * those checks' own tests), for the hostile-value property test of every check's fix.
 * `awsAuthText` is the ConfigMap the evidence holds, so the test can rewrite it with hostile values.
 */
export interface FixFixture {
  name: string;
  evidence: Evidence;
  awsAuthText?: string;
}

const CLUSTER: ClusterInfo = {
  name: 'platform',
  region: 'eu-west-1',
  accountId: ACCOUNT,
  authenticationMode: 'API_AND_CONFIG_MAP',
  status: 'ACTIVE',
  endpoint: 'https://0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com',
};

const kubeconfig = (
  fields: Partial<KubeconfigFacts> = {},
  exec: Partial<NonNullable<KubeconfigFacts['exec']>> = {},
): KubeconfigFacts => ({
  path: '/home/me/.kube/config',
  context: 'platform',
  server: CLUSTER.endpoint,
  caMatchesCluster: true,
  exec: {
    command: 'aws',
    args: ['--region', 'eu-west-1', 'eks', 'get-token', '--cluster-name', 'platform', '--profile', 'dev'],
    env: { AWS_PROFILE: 'dev' },
    apiVersion: 'client.authentication.k8s.io/v1beta1',
    commandFound: true,
    ...exec,
  },
  ...fields,
});

const sso: CallerIdentity = {
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/dev/alice`,
  account: ACCOUNT,
  userId: 'AROAEXAMPLE:alice',
  credentialSource: 'SSO (profile dev)',
};
const instanceRole: CallerIdentity = {
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/tfc-agent-instance-role/i-0abc`,
  account: ACCOUNT,
  userId: 'AROAINSTANCE:i-0abc',
  credentialSource: 'EC2 instance metadata',
};
const otherRowText = [
  'apiVersion: v1',
  'kind: ConfigMap',
  'metadata: { name: aws-auth, namespace: kube-system }',
  'data:',
  '  mapRoles: |',
  `    - rolearn: arn:aws:iam::${ACCOUNT}:role/tfc-agent`,
  '      username: agent',
  '      groups: [system:masters]',
  '',
].join('\n');

const token = tokenOfUrl(presigned({ clusterId: 'platform' }));
const mismatch = stsError(
  'SignatureDoesNotMatch',
  'The request signature we calculated does not match the signature you provided.',
);
const withToken = (t: Evidence['token']): Evidence => ({ cluster: CLUSTER, ...(t ? { token: t } : {}) });

export const FIX_FIXTURES: FixFixture[] = [
  {
    name: 'credentials missing for a profile',
    evidence: {
      cluster: CLUSTER,
      failures: {
        caller: {
          code: 'no-credentials',
          action: 'sts:GetCallerIdentity',
          message: 'Could not load credentials from any providers',
        },
      },
      credentialEnv: { profile: 'dev', profileFrom: 'AWS_PROFILE', staticKeys: false },
    },
  },
  {
    name: 'credentials rejected (SSO profile)',
    evidence: {
      cluster: CLUSTER,
      failures: {
        caller: {
          code: 'bad-credentials',
          action: 'sts:GetCallerIdentity',
          awsCode: 'InvalidClientTokenId',
          message: 'AWS rejected the credentials on sts:GetCallerIdentity (InvalidClientTokenId: …)',
        },
      },
      credentialEnv: { staticKeys: false, profile: 'dev', profileFrom: '--profile', source: 'SSO (profile dev)' },
    },
  },
  {
    name: 'kubectl runs as someone else',
    evidence: {
      principal: principal(`arn:aws:iam::${ACCOUNT}:role/deployer`),
      cluster: CLUSTER,
      kubeconfig: kubeconfig(
        { execIdentity: { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/intern/laptop` } },
        {
          args: ['eks', 'get-token', '--cluster-name', 'platform', '--role-arn', `arn:aws:iam::${ACCOUNT}:role/intern`],
        },
      ),
    },
  },
  {
    name: 'exec AWS_PROFILE loses to static keys',
    evidence: {
      caller: sso,
      credentialEnv: { staticKeys: true },
      kubeconfig: kubeconfig(
        { execIdentity: { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/intern/laptop` } },
        { args: ['eks', 'get-token', '--cluster-name', 'platform'], env: { AWS_PROFILE: 'dev' } },
      ),
    },
  },
  {
    name: 'a profile fell through to the instance role',
    evidence: {
      caller: instanceRole,
      credentialEnv: { profile: 'deploy', profileFrom: 'AWS_PROFILE', staticKeys: false },
      principal: principal(instanceRole.arn),
      cluster: { ...CLUSTER, authenticationMode: 'CONFIG_MAP' },
    },
    awsAuthText: otherRowText,
  },
  {
    name: 'exec apiVersion removed',
    evidence: { cluster: CLUSTER, kubeconfig: kubeconfig({}, { apiVersion: 'client.authentication.k8s.io/v1alpha1' }) },
  },
  {
    name: 'exec command not found',
    evidence: {
      cluster: CLUSTER,
      kubeconfig: kubeconfig({}, { command: 'aws-iam-authenticator', commandFound: false }),
    },
  },
  {
    name: 'kubeconfig points at an older cluster',
    evidence: {
      cluster: CLUSTER,
      kubeconfig: kubeconfig({ server: 'https://OLD.gr7.eu-west-1.eks.amazonaws.com', caMatchesCluster: false }),
    },
  },
  {
    name: 'requests arrive anonymous',
    evidence: {
      cluster: CLUSTER,
      probe: {
        status: 403,
        error:
          'namespaces is forbidden: User "system:anonymous" cannot list resource "namespaces" in API group "" at the cluster scope',
      },
      kubeconfig: { path: '/k', context: 'old' },
    },
  },
  {
    name: 'the proxy refuses CONNECT',
    evidence: {
      cluster: CLUSTER,
      network: {
        host: '0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com',
        port: 443,
        dns: { ok: true, resolvedBy: 'proxy' },
        proxy: {
          url: 'http://proxy.corp:3128',
          source: 'HTTPS_PROXY',
          connect: { ok: false, status: 403, error: 'HTTP 403 Access violation' },
        },
      },
    },
  },
  { name: 'malformed token', evidence: withToken(tokenEvidence(tokenOfUrl(`${presigned()}&x-id=GetCallerIdentity`))) },
  {
    name: 'token for a non-STS host',
    evidence: withToken(tokenEvidence(tokenOfUrl(presigned()), { partition: 'aws-cn', serverRegion: 'cn-north-1' })),
  },
  {
    name: 'cluster id not signed',
    evidence: withToken(tokenEvidence(tokenOfUrl(presigned().replace('host%3Bx-k8s-aws-id', 'host')))),
  },
  {
    name: 'token expired',
    evidence: withToken(tokenEvidence(token, { now: new Date('2026-11-23T08:15:01Z') })),
  },
  {
    name: 'token for another cluster name',
    evidence: withToken(tokenEvidence(token, { clusterName: 'Platform', replay: mismatch })),
  },
  {
    name: 'token scoped to another region',
    evidence: withToken(tokenEvidence(tokenOfUrl(presigned({ signingRegion: 'us-east-1' })))),
  },
  // access-entry/stale-principal recreating an entry with namespaced policies, and node types eksctl can or cannot create.
  ...(['STANDARD', 'HYBRID_LINUX', 'HYPERPOD_LINUX', 'EC2'] as const).map((type): FixFixture => ({
    name: `a re-created role's ${type} access entry`,
    evidence: {
      cluster: { ...CLUSTER, authenticationMode: 'API' },
      principalDetails: {
        arn: `arn:aws:iam::${ACCOUNT}:role/team/deployer`,
        path: '/team/',
        createDate: '2024-02-01T00:00:00Z',
      },
      accessEntries: [
        {
          principalArn: `arn:aws:iam::${ACCOUNT}:role/team/deployer`,
          type,
          ...(type === 'STANDARD' ? { username: 'deployer' } : {}),
          kubernetesGroups: type === 'STANDARD' ? ['deployers'] : [],
          createdAt: '2024-01-01T00:00:00Z',
          associatedAccessPolicies:
            type === 'STANDARD' || type === 'EC2'
              ? [
                  {
                    policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy',
                    accessScope: { type: 'cluster', namespaces: [] },
                  },
                  {
                    policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy',
                    accessScope: { type: 'namespace', namespaces: ['apps', 'jobs'] },
                  },
                ]
              : [],
        },
      ],
    },
  })),
  {
    name: 'node role shared with self-managed nodes',
    evidence: {
      cluster: { name: 'prod', region: 'eu-west-1', accountId: ACCOUNT },
      nodegroups: [
        { nodegroupName: 'managed-1', nodeRole: `arn:aws:iam::${ACCOUNT}:role/eks-node`, healthIssues: [] },
        {
          nodegroupName: 'legacy-asg',
          nodeRole: `arn:aws:iam::${ACCOUNT}:role/eks-node`,
          healthIssues: [],
          selfManaged: true,
        },
      ],
    },
  },
];
