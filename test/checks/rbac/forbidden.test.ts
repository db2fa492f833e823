import { describe, expect, test } from 'vitest';
import check from '../../../checks/rbac/forbidden.js';
import type { ApiProbe, RbacBinding } from '../../../src/model/evidence.js';
import { checkTable, expectRendered } from '../../helpers/check-table.js';
import { ACCOUNT, entry, principal } from '../../helpers/evidence.js';
import { CLUSTER } from '../_live.js';

const ssr = { username: 'alice', groups: ['devs', 'system:authenticated'] };
const FORBIDDEN =
  'pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "default"';
const review = (verb: string, resource: string, allowed: boolean, namespace?: string) => ({
  verb,
  resource,
  allowed,
  ...(namespace ? { namespace } : {}),
});
const probe = (fields: Partial<ApiProbe>): ApiProbe => ({
  status: 200,
  error: null,
  selfSubjectReview: ssr,
  ...fields,
});
const devsBinding: RbacBinding = {
  kind: 'RoleBinding',
  name: 'devs-edit',
  namespace: 'team-a',
  roleRef: { kind: 'ClusterRole', name: 'edit' },
  subjects: [{ kind: 'Group', name: 'devs' }],
};

const { run, passes } = checkTable(check);

describe('rbac/forbidden', () => {
  passes([
    ['everything checked is allowed', { probe: probe({ accessReviews: [review('list', 'pods', true)] }) }],
    [
      'only the cluster-admin sample (* on *) is denied: normal for a non-admin',
      { probe: probe({ accessReviews: [review('list', 'pods', true), review('*', '*', false)] }) },
    ],
    ['401: not authenticated (another stage)', { probe: { status: 401, error: 'Unauthorized' } }],
    [
      '403 for system:anonymous (client/anonymous)',
      { probe: { status: 403, error: 'forbidden: User "system:anonymous" cannot get path "/api"' } },
    ],
    ['no HTTP answer', { probe: { status: null, error: 'ETIMEDOUT' } }],
  ]);

  test('fails: 403, naming who, and the bindings that exist for its groups', () => {
    const hits = run({ cluster: CLUSTER, probe: probe({ status: 403, error: FORBIDDEN }), rbac: [devsBinding] });
    expect(hits).toMatchObject([
      {
        messageId: 'forbidden',
        affectsPrincipal: true,
        subject: { kind: 'rbac', name: 'alice' },
        data: {
          username: 'alice',
          groups: 'devs, system:authenticated',
          error: FORBIDDEN,
          subjectFlag: '--group=devs',
          bindingName: 'devs-view',
        },
      },
    ]);
    expect(String(hits[0]?.data.grants)).toContain('RoleBinding team-a/devs-edit → ClusterRole edit');
    expectRendered(check, hits);
  });

  test('fails: every representative action is denied; RBAC not read; the entry has no policy', () => {
    const target = principal(`arn:aws:iam::${ACCOUNT}:role/deployer`);
    const hits = run({
      principal: target,
      cluster: { ...CLUSTER, authenticationMode: 'API' },
      accessEntries: [entry(target.iamArn, { username: 'deployer', kubernetesGroups: [] })],
      probe: probe({
        selfSubjectReview: { username: 'deployer', groups: ['system:authenticated'] },
        accessReviews: [review('list', 'pods', false, 'default'), review('get', 'namespaces', false)],
      }),
    });
    expect(hits).toMatchObject([
      {
        messageId: 'allDenied',
        affectsPrincipal: true,
        data: {
          username: 'deployer',
          denied: 'list pods in namespace default, get namespaces cluster-wide',
          subjectFlag: '--user=deployer',
          entryArn: target.iamArn,
        },
      },
    ]);
    expect(String(hits[0]?.data.grants)).toContain('RBAC bindings were not read');
    expect(String(hits[0]?.data.grants)).toContain('no access policy');
    expectRendered(check, hits);
  });

  test('informs: some actions allowed, some denied', () => {
    const hits = run({
      probe: probe({
        accessReviews: [review('list', 'pods', true, 'team-a'), review('create', 'deployments', false, 'prod')],
      }),
      rbac: [],
    });
    expect(hits).toMatchObject([
      {
        messageId: 'someDenied',
        affectsPrincipal: false,
        data: { allowed: 'list pods in namespace team-a', denied: 'create deployments in namespace prod' },
      },
    ]);
    expect(String(hits[0]?.data.grants)).toContain('None of the 0');
  });

  test('names the wildcard sample in words', () => {
    const hits = run({
      probe: probe({ accessReviews: [review('*', '*', false), review('get', 'pods', false, 'default')] }),
    });
    expect(hits).toMatchObject([
      { messageId: 'allDenied', data: { denied: 'everything (* on *), get pods in namespace default' } },
    ]);
  });

  describe('the request the user asked about (--can) decides what the finding is about', () => {
    const asked = (verb: string, resource: string, allowed: boolean, namespace?: string) => ({
      ...review(verb, resource, allowed, namespace),
      requested: true,
    });
    test.each<[string, Partial<ApiProbe>, string | undefined]>([
      [
        'asked and denied, while /version is 403 too: the asked request, not /version',
        { status: 403, error: FORBIDDEN, accessReviews: [asked('delete', 'pods', false, 'default')] },
        'requestDenied',
      ],
      [
        'asked and allowed, other samples denied: context (info), never the error',
        { accessReviews: [asked('get', 'pods', true, 'default'), review('list', 'namespaces', false)] },
        'someDenied',
      ],
      [
        'asked and allowed, nothing else denied: nothing to say',
        { accessReviews: [asked('get', 'pods', true)] },
        undefined,
      ],
      [
        'nothing asked, every sample denied: allDenied',
        { accessReviews: [review('list', 'namespaces', false), review('get', 'pods', false, 'default')] },
        'allDenied',
      ],
    ])('%s', (_, fields, messageId) => {
      const hits = run({ cluster: CLUSTER, probe: probe(fields) });
      expect(hits.map((h) => h.messageId)).toEqual(messageId ? [messageId] : []);
      if (messageId === 'requestDenied') expect(hits[0]?.data.requestedDenied).toBe('delete pods in namespace default');
    });
  });
});
