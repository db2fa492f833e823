import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeClusterCommand, ListClustersCommand } from '@aws-sdk/client-eks';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { parseFaultFlag } from '../../src/sandbox/fault-flags.js';
import { loadScenario } from '../../src/sandbox/scenario/load.js';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { clientsFor, kube, sandboxFor, tokenFor } from './helpers.js';

const withFaults = async (flags: string[], body: (sandbox: Sandbox) => Promise<void>): Promise<void> => {
  const scenario = loadScenario('healthy');
  const sandbox = await sandboxFor('healthy', { faults: flags.map((f) => parseFaultFlag(f, scenario)) });
  try {
    await body(sandbox);
  } finally {
    await sandbox.close();
  }
};

/** Connects and reports what happened within `ms`: data, a refusal, or silence. */
function probe(url: string, ms: number, ca?: string): Promise<'answered' | 'refused' | 'silent' | 'tls-error'> {
  const target = new URL(url);
  return new Promise((resolve) => {
    const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(
      { host: target.hostname, port: target.port, path: '/version', method: 'GET', ...(ca ? { ca } : {}) },
      (res) => {
        res.resume();
        resolve('answered');
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      resolve('silent');
    }, ms);
    req.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(
        error.code === 'ECONNREFUSED'
          ? 'refused'
          : error.code?.includes('CERT') ||
              error.code === 'DEPTH_ZERO_SELF_SIGNED_CERT' ||
              /certificate/i.test(error.message)
            ? 'tls-error'
            : 'silent',
      );
    });
    req.end();
  });
}

describe("faults, each in its protocol's own words", () => {
  it('throttling: STS Throttling (400), EKS 429, CloudTrail ThrottlingException, kube 429', async () => {
    await withFaults(
      ['sts:throttle,times=1', 'eks:throttle', 'cloudtrail:throttle', 'kube:throttle'],
      async (sandbox) => {
        const c = clientsFor(sandbox, 'alice');
        await expect(c.sts.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({
          name: 'Throttling',
          $metadata: { httpStatusCode: 400 },
        });
        await expect(c.eks.send(new ListClustersCommand({}))).rejects.toMatchObject({
          $metadata: { httpStatusCode: 429 },
        });
        await expect(c.cloudtrail.send(new LookupEventsCommand({}))).rejects.toMatchObject({
          name: 'ThrottlingException',
          $metadata: { httpStatusCode: 400 },
        });
        const res = await kube(sandbox, 'GET', '/api', { token: tokenFor(sandbox, 'admin') });
        expect(res.status).toBe(429);
        expect(res.json()).toMatchObject({ kind: 'Status', reason: 'TooManyRequests', code: 429 });
      },
    );
  });

  it('5xx: EKS ServiceUnavailableException (503), IAM InternalFailure (500); `times` ends the fault', async () => {
    await withFaults(['eks:server-error=503,times=1', 'iam:server-error'], async (sandbox) => {
      const c = clientsFor(sandbox, 'alice');
      await expect(c.eks.send(new ListClustersCommand({}))).rejects.toMatchObject({
        name: 'ServiceUnavailableException',
        $metadata: { httpStatusCode: 503 },
      });
      expect((await c.eks.send(new ListClustersCommand({}))).clusters).toEqual(['demo']);
      await expect(c.iam.send(new GetRoleCommand({ RoleName: 'developer' }))).rejects.toMatchObject({
        $metadata: { httpStatusCode: 500 },
      });
    });
  });

  it('AccessDenied for one action and one principal only; GetCallerIdentity is never denied', async () => {
    await withFaults(
      ['eks:access-denied,action=DescribeCluster,principal=alice', 'sts:access-denied,principal=alice'],
      async (sandbox) => {
        const alice = clientsFor(sandbox, 'alice');
        await expect(alice.eks.send(new DescribeClusterCommand({ name: 'demo' }))).rejects.toMatchObject({
          name: 'AccessDeniedException',
          message:
            'User: arn:aws:iam::111122223333:user/alice is not authorized to perform: eks:DescribeCluster on resource: arn:aws:eks:us-east-1:111122223333:cluster/demo',
          $metadata: { httpStatusCode: 403 },
        });
        expect((await alice.eks.send(new ListClustersCommand({}))).clusters).toEqual(['demo']);
        expect(
          (await clientsFor(sandbox, 'ci').eks.send(new DescribeClusterCommand({ name: 'demo' }))).cluster?.name,
        ).toBe('demo');
        expect((await alice.sts.send(new GetCallerIdentityCommand({}))).Arn).toContain('user/alice');
        const denied = sandbox.requestLog.entries.find((e) => e.error === 'AccessDeniedException');
        expect(denied).toMatchObject({
          service: 'eks',
          action: 'DescribeCluster',
          caller: 'arn:aws:iam::111122223333:user/alice',
          allowed: false,
        });
      },
    );
  });

  it('added latency', async () => {
    await withFaults(['eks:latency=400'], async (sandbox) => {
      const started = Date.now();
      await clientsFor(sandbox, 'alice').eks.send(new ListClustersCommand({}));
      expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    });
  });

  it('an endpoint that accepts TCP and never answers, and one that refuses connections', async () => {
    await withFaults(['kube:hang', 'cloudtrail:refuse'], async (sandbox) => {
      expect(await probe(sandbox.endpoints.clusters.demo ?? '', 500, sandbox.caPem)).toBe('silent');
      expect(await probe(sandbox.endpoints.cloudtrail, 500)).toBe('refused');
      const client = new CloudTrailClient({
        region: 'us-east-1',
        endpoint: sandbox.endpoints.cloudtrail,
        maxAttempts: 1,
        credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      });
      await expect(client.send(new LookupEventsCommand({}))).rejects.toMatchObject({ code: 'ECONNREFUSED' });
      // EKS still answers, with the cluster's endpoint as usual.
      expect(await probe(sandbox.endpoints.eks, 500)).toBe('answered');
    });
  });

  it('a private-only endpoint hangs; an untrusted certificate fails TLS', async () => {
    const unreachable = await sandboxFor('network--endpoint-unreachable');
    try {
      expect(await probe(unreachable.endpoints.clusters.orders ?? '', 500, unreachable.caPem)).toBe('silent');
    } finally {
      await unreachable.close();
    }
    const untrusted = await sandboxFor('network--tls-untrusted');
    try {
      expect(await probe(untrusted.endpoints.clusters.orders ?? '', 2000, untrusted.caPem)).toBe('tls-error');
    } finally {
      await untrusted.close();
    }
  });

  it('rejects malformed fault flags with one line', () => {
    const scenario = loadScenario('healthy');
    expect(() => parseFaultFlag('s3:throttle', scenario)).toThrow("--fault 's3:throttle': unknown service 's3'");
    expect(() => parseFaultFlag('eks:latency', scenario)).toThrow('latency needs =MS');
    expect(() => parseFaultFlag('eks:throttle,principal=nobody', scenario)).toThrow("no principal 'nobody'");
  });
});

describe('kube faults for one principal', () => {
  it('apply to a role with an IAM path, which the API server knows only without it', async () => {
    const scenario = loadScenario('healthy');
    const sandbox = await sandboxFor('healthy', {
      faults: [parseFaultFlag('kube:access-denied,action=create,principal=developer', scenario)],
    });
    try {
      const review = { kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1' };
      const path = '/apis/authentication.k8s.io/v1/selfsubjectreviews';
      expect((await kube(sandbox, 'POST', path, { token: tokenFor(sandbox, 'developer'), body: review })).status).toBe(
        403,
      );
      expect((await kube(sandbox, 'POST', path, { token: tokenFor(sandbox, 'admin'), body: review })).status).toBe(201);
    } finally {
      await sandbox.close();
    }
  });
});
