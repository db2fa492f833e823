/**
 * doctor through a real proxy (Debian's tinyproxy): the sandbox's services accept connections
 * only from the proxy's bound address, so a step that passes here went through the proxy, and
 * tinyproxy's own log names every tunnel it opened.
 */
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, test } from 'vitest';
import checkProxyRefused from '../../checks/network/proxy-refused.js';
import { probeNetwork } from '../../src/collect/network.js';
import { probeApi } from '../../src/collect/probe.js';
import { clusterAgent } from '../../src/collect/proxy-agent.js';
import { mintBearerToken } from '../../src/collect/token.js';
import { clusterProxyFor } from '../../src/collect/proxy.js';
import { buildDoctorReport } from '../../src/doctor/build-report.js';
import { collectLive } from '../../src/doctor/collect-live.js';
import { sandboxEnv, sandboxRequest, sandboxTarget } from '../../src/doctor/sandbox-run.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/sandbox.js';
import { loadScenario } from '../../src/sandbox/scenario/load.js';
import { renderReport } from '../../src/report/index.js';
import { replayToken } from '../../src/token/replay.js';
import { presignGetCallerIdentity } from '../../src/token/presign.js';
import { stsEndpointFor } from '../../src/token/endpoint.js';
import { BIN } from '../helpers/cli.js';
import { contextFor } from '../helpers/evidence.js';
import { PROXY_SOURCE_ADDRESS, startTinyproxy, type TinyProxy, type TinyProxyOptions } from '../helpers/tinyproxy.js';

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(cleanup.map((close) => close()));
});

async function proxy(options: TinyProxyOptions = {}): Promise<TinyProxy> {
  const started = await startTinyproxy(options);
  cleanup.push(started.close);
  return started;
}

async function sandbox(name: string, onlyFrom?: SandboxOptions['onlyFrom']): Promise<Sandbox> {
  const started = await startSandbox({ scenario: loadScenario(name), ...(onlyFrom ? { onlyFrom } : {}) });
  cleanup.push(() => started.close());
  return started;
}

const AWS_ONLY_THROUGH_PROXY = { address: PROXY_SOURCE_ADDRESS, aws: true };
const portOf = (url: string): string => new URL(url).port;

async function doctor(box: Sandbox, extraEnv: Record<string, string>) {
  const target = sandboxTarget(box.scenario, {});
  if (typeof target === 'string') throw new Error(target);
  const request = sandboxRequest(box, target, { timeoutMs: 15_000, now: () => new Date() });
  request.env = { ...request.env, ...extraEnv };
  if (request.targetEnv) request.targetEnv = { ...request.targetEnv, ...extraEnv };
  const collected = await collectLive(request);
  const report = buildDoctorReport(collected.evidence, request.cluster);
  const trace = report.steps?.map((s) => `${s.status} ${s.title}: ${s.detail}`).join('\n') ?? '';
  const outputs = (['json', 'human', 'markdown'] as const).map((format) =>
    renderReport(report, format, { color: false }),
  );
  return { report, trace, outputs };
}

describe.each(['healthy', 'aws-auth--role-arn-has-path'])('doctor --sandbox %s through tinyproxy', (name) => {
  test('every AWS call takes the proxy, and the diagnosis is the one without it', async () => {
    const direct = await doctor(await sandbox(name), {});
    const tiny = await proxy();
    const box = await sandbox(name, AWS_ONLY_THROUGH_PROXY);
    // The sandbox really refuses what does not come through the proxy.
    const refused = await doctor(box, {});
    expect(refused.trace).toMatch(/could not be reached|ECONNRESET|socket hang up|did not answer/);

    const proxied = await doctor(box, { HTTP_PROXY: tiny.url });
    expect(proxied.report.rootCause, proxied.trace).toBe(direct.report.rootCause);
    expect(proxied.report.verdict?.exitCode).toBe(direct.report.verdict?.exitCode);
    expect(proxied.report.findings.map((f) => f.checkId).sort()).toEqual(
      direct.report.findings.map((f) => f.checkId).sort(),
    );
    const tunnels = tiny.requests();
    for (const service of ['sts', 'eks', 'iam', 'cloudtrail'] as const)
      expect(tunnels, service).toContain(`CONNECT 127.0.0.1:${portOf(box.endpoints[service])}`);
  });
});

test('eksauth token --role-arn assumes the role through the proxy (the lean path loads it only then)', async () => {
  const tiny = await proxy();
  const box = await sandbox('healthy', AWS_ONLY_THROUGH_PROXY);
  const target = sandboxTarget(box.scenario, {});
  if (typeof target === 'string' || !target.roleArn) throw new Error('the scenario has no role to assume');
  const args = ['token', '--cluster', target.cluster, '--role-arn', target.roleArn, '--no-cache'];
  const env = { PATH: process.env.PATH ?? '', ...sandboxEnv(box, target.operator) };
  const direct = await run(args, env);
  expect(direct.status, direct.stderr).not.toBe(0);
  const proxied = await run(args, { ...env, HTTP_PROXY: tiny.url });
  expect(proxied.status, proxied.stderr).toBe(0);
  expect(JSON.parse(proxied.stdout)).toMatchObject({ kind: 'ExecCredential' });
  expect(tiny.requests()).toContain(`CONNECT 127.0.0.1:${portOf(box.endpoints.sts)}`);
});

/** The built CLI, asynchronously: the sandbox answers from this process. */
function run(
  args: string[],
  env: Record<string, string>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('NO_PROXY and the proxy-url of the cluster', () => {
  test('NO_PROXY bypasses the proxy for the hosts it names', async () => {
    const tiny = await proxy();
    const box = await sandbox('healthy');
    const bypassed = await doctor(box, { HTTP_PROXY: tiny.url, NO_PROXY: '127.0.0.1' });
    expect(bypassed.report.rootCause, bypassed.trace).toBeNull();
    expect(tiny.requests()).toEqual([]);
  });

  test('the STS replay goes through the proxy', async () => {
    const tiny = await proxy();
    const box = await sandbox('healthy', AWS_ONLY_THROUGH_PROXY);
    const principal = box.scenario.defaultPrincipal ?? box.scenario.principals[0]?.id ?? '';
    const credentials = box.credentialsFor(principal);
    const endpoint = stsEndpointFor({ region: box.region, regionalEndpoints: undefined });
    const cluster = box.scenario.clusters[0]?.name ?? '';
    const url = presignGetCallerIdentity({
      credentials,
      host: endpoint.host,
      signingRegion: endpoint.signingRegion,
      clusterId: cluster,
      now: new Date(),
    });
    const options = { endpointOverride: box.endpoints.sts, timeoutMs: 15_000 };
    expect((await replayToken(url, cluster, { ...options, env: {} })).outcome).toBe('transport-error');
    const replay = await replayToken(url, cluster, { ...options, env: { http_proxy: tiny.url } });
    expect(replay.outcome).toBe('identity');
    expect(tiny.requests()).toContain(`CONNECT 127.0.0.1:${portOf(box.endpoints.sts)}`);
  });

  test("the network probe takes the kubeconfig's proxy-url to the API server", async () => {
    const tiny = await proxy();
    const box = await sandbox('healthy', { address: PROXY_SOURCE_ADDRESS, cluster: true });
    const server = Object.values(box.endpoints.clusters)[0] ?? '';
    const direct = await probeNetwork(server, box.caPem, 15_000, clusterProxyFor(server, {}));
    expect(direct.tls?.ok).toBe(false);
    // kubectl never sends loopback through HTTPS_PROXY (Go's rule), so neither does the probe.
    expect(clusterProxyFor(server, { HTTPS_PROXY: tiny.url })).toBeUndefined();
    const proxied = await probeNetwork(server, box.caPem, 15_000, clusterProxyFor(server, {}, tiny.url));
    expect(proxied.tls).toMatchObject({ ok: true });
    expect(proxied.proxy).toMatchObject({ source: 'proxy-url', connect: { ok: true, status: 200 } });
    expect(tiny.requests()).toContain(`CONNECT 127.0.0.1:${portOf(server)}`);
    expect(checkProxyRefused.run(contextFor({ network: proxied }))).toEqual([]);
  });
});

test("the Kubernetes API calls take the kubeconfig's proxy-url (the client's agent)", async () => {
  const tiny = await proxy();
  const box = await sandbox('healthy', { address: PROXY_SOURCE_ADDRESS, cluster: true });
  const cluster = box.scenario.clusters[0]?.name ?? '';
  const server = box.endpoints.clusters[cluster] ?? '';
  const principal = box.scenario.defaultPrincipal ?? box.scenario.principals[0]?.id ?? '';
  const credentials = box.credentialsFor(principal);
  const token = await mintBearerToken(() => Promise.resolve(credentials), cluster, box.region, {}, new Date());
  const target = { server, caPem: box.caPem, timeoutMs: 15_000 };
  await expect(probeApi(target, token, [])).rejects.toThrow();
  const answer = await probeApi({ ...target, proxyUrl: tiny.url }, token, []);
  expect(answer.status).toBe(200);
  expect(answer.selfSubjectReview?.username).toBeTruthy();
  expect(tiny.requests()).toContain(`CONNECT 127.0.0.1:${portOf(server)}`);
  expect(clusterAgent(server, { HTTPS_PROXY: tiny.url })).toBeUndefined();
});

describe('a proxy that is down, refuses or breaks TLS: network/proxy-refused', () => {
  const probeVia = async (proxyUrl: string, server: string, caPem: string) => {
    const network = await probeNetwork(server, caPem, 15_000, clusterProxyFor(server, {}, proxyUrl));
    return { network, hits: checkProxyRefused.run(contextFor({ network })) };
  };

  test('CONNECT refused (tinyproxy ConnectPort 443 only): connectRefused', async () => {
    const tiny = await proxy({ connectPorts: [443] });
    const box = await sandbox('healthy');
    const server = Object.values(box.endpoints.clusters)[0] ?? '';
    const { network, hits } = await probeVia(tiny.url, server, box.caPem);
    expect(network.proxy?.connect).toMatchObject({ ok: false, status: 403 });
    expect(hits.map((h) => h.messageId)).toEqual(['connectRefused']);
  });

  test('a client the proxy does not admit (tinyproxy Allow): connectRefused', async () => {
    const tiny = await proxy({ denyAll: true });
    const box = await sandbox('healthy');
    const server = Object.values(box.endpoints.clusters)[0] ?? '';
    const { hits } = await probeVia(tiny.url, server, box.caPem);
    expect(hits.map((h) => h.messageId)).toEqual(['connectRefused']);
  });

  test('the proxy is down: proxyUnreachable', async () => {
    const tiny = await proxy();
    await tiny.close();
    const box = await sandbox('healthy');
    const server = Object.values(box.endpoints.clusters)[0] ?? '';
    const { hits } = await probeVia(tiny.url, server, box.caPem);
    expect(hits.map((h) => h.messageId)).toEqual(['proxyUnreachable']);
  });

  test('the tunnel carries no TLS: tunnelBroken', async () => {
    const tiny = await proxy();
    const box = await sandbox('healthy');
    // The sandbox's STS speaks plain HTTP: TLS through a tunnel to it breaks as behind a meddling proxy.
    const notTls = `https://127.0.0.1:${portOf(box.endpoints.sts)}`;
    const { hits } = await probeVia(tiny.url, notTls, box.caPem);
    expect(hits.map((h) => h.messageId)).toEqual(['tunnelBroken']);
  });

  test('AWS calls refused by the proxy say so, with the proxy named and its password kept out', async () => {
    const tiny = await proxy({ connectPorts: [443] });
    const box = await sandbox('healthy');
    const withPassword = tiny.url.replace('http://', 'http://me:hunter22@');
    const { trace, outputs } = await doctor(box, { HTTP_PROXY: withPassword });
    expect(trace).toContain(`proxy http://<redacted>@127.0.0.1:${tiny.port} (HTTP_PROXY) refused CONNECT`);
    for (const text of [trace, ...outputs]) expect(text).not.toContain('hunter22');
    expect(outputs.join('\n')).toContain('refused CONNECT');
  });
});
