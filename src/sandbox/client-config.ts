import { stringify } from 'yaml';
import type { ClusterRuntime } from './world.js';

export type KubeconfigAuth =
  /** `aws --region R eks get-token --cluster-name N`, as `aws eks update-kubeconfig` writes it. */
  | { kind: 'aws-cli' }
  /** `eksauth token --cluster N --region R`; `command` defaults to `eksauth` on PATH (the CLI passes selfCommand()). */
  | { kind: 'eksauth'; command?: string; args?: string[] }
  /** A static bearer token (e.g. from `aws eks get-token`). */
  | { kind: 'token'; token: string };

interface CredentialsLike {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/**
 * An IAM user's keys come with AWS_SESSION_TOKEN set to empty, not left out: kubectl's exec env
 * and `source env` only add to the caller's environment, so a token left over from a role's
 * session would be sent with the user's key and refused (a false 401). Empty is unset to every
 * reader: botocore's EnvProvider, the JS SDK's fromEnv, the Go SDK and eksauth.
 */
const credentialEnv = (c: CredentialsLike): Record<string, string> => ({
  AWS_ACCESS_KEY_ID: c.accessKeyId,
  AWS_SECRET_ACCESS_KEY: c.secretAccessKey,
  AWS_SESSION_TOKEN: c.sessionToken ?? '',
});

export const renderEnvFile = {
  /** The variables AWS SDKs and the aws CLI read to reach the sandbox as one principal. */
  env(
    endpoints: { sts: string; eks: string; iam: string; cloudtrail: string; logs: string },
    region: string,
    credentials: CredentialsLike,
    isolation: Record<string, string>,
  ): Record<string, string> {
    return {
      AWS_ENDPOINT_URL_STS: endpoints.sts,
      AWS_ENDPOINT_URL_EKS: endpoints.eks,
      AWS_ENDPOINT_URL_IAM: endpoints.iam,
      AWS_ENDPOINT_URL_CLOUDTRAIL: endpoints.cloudtrail,
      // SDK service id "CloudWatch Logs": upper-cased, spaces to underscores (SDKs reference, service-specific endpoints).
      AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: endpoints.logs,
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      ...credentialEnv(credentials),
      ...isolation,
    };
  },
  /** `export KEY='value'` lines, for `source`. */
  text(env: Record<string, string>): string {
    return Object.entries(env)
      .map(([k, v]) => `export ${k}='${v.replace(/'/g, `'\\''`)}'`)
      .join('\n')
      .concat('\n');
  },
};

/**
 * A kubeconfig like `aws eks update-kubeconfig` writes, with the sandbox CA: one context per
 * principal (`CLUSTER-PRINCIPAL`), the first one current. The exec entries carry each
 * principal's credentials, so kubectl works with nothing else set; they leave the STS endpoint
 * alone, so tokens name the real STS host as on EKS.
 */
export function renderKubeconfig(input: {
  runtime: ClusterRuntime;
  users: { principal: string; credentials: CredentialsLike }[];
  auth: KubeconfigAuth;
  isolation: Record<string, string>;
}): string {
  const { runtime, users, auth, isolation } = input;
  const { cluster } = runtime;
  const userEntry = (credentials: CredentialsLike): Record<string, unknown> => {
    const env = Object.entries({ ...credentialEnv(credentials), ...isolation }).map(([name, value]) => ({
      name,
      value,
    }));
    if (auth.kind === 'token') return { token: auth.token };
    const args =
      auth.kind === 'aws-cli'
        ? ['--region', cluster.region, 'eks', 'get-token', '--cluster-name', cluster.name, '--output', 'json']
        : [...(auth.args ?? []), 'token', '--cluster', cluster.name, '--region', cluster.region];
    const command = auth.kind === 'aws-cli' ? 'aws' : (auth.command ?? 'eksauth');
    return {
      exec: {
        apiVersion: 'client.authentication.k8s.io/v1beta1',
        command,
        args,
        env,
        interactiveMode: 'Never',
        provideClusterInfo: false,
      },
    };
  };
  const contexts = users.map(({ principal }) => ({
    name: `${cluster.name}-${principal}`,
    context: { cluster: cluster.arn, user: `${cluster.arn}/${principal}` },
  }));
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: cluster.arn,
        cluster: {
          server: runtime.endpoint,
          'certificate-authority-data': Buffer.from(runtime.caPem).toString('base64'),
        },
      },
    ],
    users: users.map(({ principal, credentials }) => ({
      name: `${cluster.arn}/${principal}`,
      user: userEntry(credentials),
    })),
    contexts,
    'current-context': contexts[0]?.name ?? '',
    preferences: {},
  });
}
