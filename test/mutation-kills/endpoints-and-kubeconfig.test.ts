import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { normalizeServer } from '../../checks/client/stale-kubeconfig.js';
import { collectKubeconfig } from '../../src/collect/kubeconfig.js';
import { stsEndpointFor } from '../../src/token/endpoint.js';

// botocore's legacy global regions (the STS endpoint rules' UseGlobalEndpoint list), written out here
// rather than imported, so that dropping one from the code makes this table fail.
const BOTOCORE_LEGACY_GLOBAL = [
  'ap-northeast-1',
  'ap-south-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'aws-global',
  'ca-central-1',
  'eu-central-1',
  'eu-north-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'sa-east-1',
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
];

describe('sts_regional_endpoints = legacy', () => {
  test.each(BOTOCORE_LEGACY_GLOBAL)('%s presigns for the global host', (region) => {
    expect(stsEndpointFor({ region, regionalEndpoints: 'legacy' })).toEqual({
      host: 'sts.amazonaws.com',
      signingRegion: 'us-east-1',
    });
  });

  test.each(['ap-east-1', 'eu-south-1', 'me-south-1', 'ap-northeast-3', 'il-central-1'])(
    '%s, launched later, stays regional',
    (region) => {
      expect(stsEndpointFor({ region, regionalEndpoints: 'legacy' })).toEqual({
        host: `sts.${region}.amazonaws.com`,
        signingRegion: region,
      });
    },
  );

  test('regional (the default) keeps a legacy region regional', () => {
    expect(stsEndpointFor({ region: 'eu-west-1' }).host).toBe('sts.eu-west-1.amazonaws.com');
  });
});

describe('kubeconfig: which context, and which server is the same', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eksauth-kubeconfig-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const ENDPOINT = 'https://0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com';
  const file = (name: string, server: string, contexts: string[], current?: string) => {
    const path = join(dir, name);
    const lines = [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- name: ${name}-cluster`,
      '  cluster:',
      `    server: ${server}`,
      'users:',
      `- name: ${name}-user`,
      '  user: {}',
      'contexts:',
      ...contexts.flatMap((c) => [
        `- name: ${c}`,
        '  context:',
        `    cluster: ${name}-cluster`,
        `    user: ${name}-user`,
      ]),
      ...(current ? [`current-context: ${current}`] : []),
    ];
    writeFileSync(path, `${lines.join('\n')}\n`);
    return path;
  };
  const collect = (paths: string[]) =>
    collectKubeconfig({
      cluster: 'prod',
      endpoint: ENDPOINT,
      partition: 'aws',
      runExec: false,
      timeoutMs: 1000,
      env: { KUBECONFIG: paths.join(delimiter) },
      now: new Date('2026-11-23T08:00:00Z'),
    });

  test('of two contexts for the cluster, the current one is the one kubectl uses', async () => {
    const path = file('two', ENDPOINT, ['first', 'second'], 'second');
    expect((await collect([path]))?.context).toBe('second');
  });

  test('with several files, the first current-context wins, as kubectl merges them', async () => {
    const a = file('a', ENDPOINT, ['a-ctx'], 'b-ctx');
    const b = file('b', ENDPOINT, ['b-ctx'], 'a-ctx');
    expect((await collect([a, b]))?.context).toBe('b-ctx');
  });

  test.each([
    ['with :443', `${ENDPOINT}:443`],
    ['with :443 and a slash', `${ENDPOINT.toLowerCase()}:443/`],
    ['in lower case with a slash', `${ENDPOINT.toLowerCase()}/`],
  ])('a server %s is the same server', async (_, server) => {
    const path = file(`same-${server.length}-${server.endsWith('/') ? 's' : 'n'}`, server, ['ctx']);
    expect((await collect([path]))?.server).toBe(server);
  });

  test('another port is another server', async () => {
    expect(await collect([file('port', `${ENDPOINT}:8443`, ['ctx'])])).toBeUndefined();
  });

  test.each([
    [`${ENDPOINT}:443`, ENDPOINT.toLowerCase()],
    [`${ENDPOINT}:443/`, ENDPOINT.toLowerCase()],
    [` ${ENDPOINT}/ `, ENDPOINT.toLowerCase()],
    [`${ENDPOINT}:8443`, `${ENDPOINT.toLowerCase()}:8443`],
  ])('stale-kubeconfig: %s normalises to %s', (server, normal) => {
    expect(normalizeServer(server)).toBe(normal);
  });
});
