import { execFile, execFileSync } from 'node:child_process';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EKSClient } from '@aws-sdk/client-eks';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { request } from 'node:https';
import { presignGetCallerIdentity, tokenFromPresignedUrl } from '../../src/token/presign.js';
import { loadScenario } from '../../src/sandbox/scenario/load.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/sandbox.js';

export async function sandboxFor(name: string, options: Omit<SandboxOptions, 'scenario'> = {}): Promise<Sandbox> {
  return startSandbox({ scenario: loadScenario(name), ...options });
}

/** Whether a command-line tool is installed; tests that need it skip with this reason when it is not. */
export function hasTool(command: string, args: string[] = ['--version']): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore', timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(command: string, args: string[], env: Record<string, string>, timeoutMs = 30_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env }, timeout: timeoutMs },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout: stdout.toString(), stderr: stderr.toString() });
      },
    );
  });
}

/** A bearer token for `principal`, minted like `aws eks get-token` (names the real STS host). */
export function tokenFor(sandbox: Sandbox, principal: string, clusterId?: string, now = new Date()): string {
  const credentials = sandbox.credentialsFor(principal);
  const cluster = sandbox.scenario.clusters[0];
  const region = cluster?.region ?? 'us-east-1';
  const url = presignGetCallerIdentity({
    credentials: {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      ...(credentials.sessionToken ? { sessionToken: credentials.sessionToken } : {}),
    },
    host: `sts.${region}.amazonaws.com`,
    signingRegion: region,
    clusterId: clusterId ?? cluster?.name ?? '',
    now,
  });
  return tokenFromPresignedUrl(url);
}

export interface KubeResponse {
  status: number;
  body: string;
  json: () => Record<string, unknown>;
}

/** One HTTPS request to a sandbox API server, trusting the cluster's CA. */
export function kube(
  sandbox: Sandbox,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; accept?: string; contentType?: string; cluster?: string } = {},
): Promise<KubeResponse> {
  const cluster = options.cluster ?? sandbox.scenario.clusters[0]?.name ?? '';
  const endpoint = new URL(sandbox.endpoints.clusters[cluster] ?? '');
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: endpoint.hostname,
        port: endpoint.port,
        method,
        path,
        ca: sandbox.caPemOf(cluster),
        headers: {
          accept: options.accept ?? 'application/json',
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...(payload
            ? {
                'content-type': options.contentType ?? 'application/json',
                'content-length': Buffer.byteLength(payload),
              }
            : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body, json: () => JSON.parse(body) as Record<string, unknown> });
        });
      },
    );
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

export const whoami = async (sandbox: Sandbox, principal: string): Promise<KubeResponse> =>
  kube(sandbox, 'POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
    token: tokenFor(sandbox, principal),
    body: { kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1' },
  });

/** SDK v3 clients pointed at the sandbox as one principal, with retries off so faults show at once. */
export function clientsFor(sandbox: Sandbox, principal: string, region = sandbox.region) {
  const c = sandbox.credentialsFor(principal);
  const credentials = {
    accessKeyId: c.accessKeyId,
    secretAccessKey: c.secretAccessKey,
    ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}),
  };
  const common = { region, credentials, maxAttempts: 1 };
  return {
    sts: new STSClient({ ...common, endpoint: sandbox.endpoints.sts }),
    eks: new EKSClient({ ...common, endpoint: sandbox.endpoints.eks }),
    iam: new IAMClient({ ...common, endpoint: sandbox.endpoints.iam }),
    cloudtrail: new CloudTrailClient({ ...common, endpoint: sandbox.endpoints.cloudtrail }),
    logs: new CloudWatchLogsClient({ ...common, endpoint: sandbox.endpoints.logs }),
  };
}
