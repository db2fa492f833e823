import { describe, expect, it } from 'vitest';
import { ruleAllows, type PolicyRule, type RequestAttributes } from '../../src/model/rbac-rules.js';

// ruleAllows against Kubernetes' own rule evaluation, restated here from k8s.io/kubernetes
// pkg/apis/rbac/v1/evaluation_helpers.go (VerbMatches, APIGroupMatches, ResourceMatches,
// ResourceNameMatches, NonResourceURLMatches) and RBAC's RuleAllows: a resource request needs
// verb, group, resource and name to match; a non-resource request needs verb and URL.
function kubernetesAllows(rule: PolicyRule, attrs: RequestAttributes): boolean {
  const verb = rule.verbs.some((v) => v === '*' || v === attrs.verb);
  if (attrs.path !== undefined) {
    const path = attrs.path;
    return (
      verb &&
      (rule.nonResourceURLs ?? []).some(
        (u) => u === '*' || u === path || (u.endsWith('*') && path.startsWith(u.replace(/\*+$/, ''))),
      )
    );
  }
  const r = attrs.resource;
  if (!r) return false;
  const group = (rule.apiGroups ?? []).some((g) => g === '*' || g === r.group);
  const combined = r.subresource ? `${r.resource}/${r.subresource}` : r.resource;
  const sub = r.subresource ?? '';
  const resource = (rule.resources ?? []).some(
    (x) =>
      x === '*' ||
      x === combined ||
      (sub !== '' && x.length === sub.length + 2 && x.startsWith('*/') && x.endsWith(sub)),
  );
  const names = rule.resourceNames ?? [];
  const name = names.length === 0 || names.includes(r.name ?? '');
  return verb && group && resource && name;
}

const rules: PolicyRule[] = [];
for (const verbs of [['get'], ['*'], ['list', 'watch']])
  for (const apiGroups of [undefined, [''], ['*'], ['apps']])
    for (const resources of [undefined, ['pods'], ['*'], ['pods/log'], ['deployments', 'pods']])
      for (const resourceNames of [undefined, [], ['a']])
        rules.push({
          verbs,
          ...(apiGroups ? { apiGroups } : {}),
          ...(resources ? { resources } : {}),
          ...(resourceNames ? { resourceNames } : {}),
        });
for (const verbs of [['get'], ['*'], ['post']])
  for (const nonResourceURLs of [
    undefined,
    ['*'],
    ['/healthz'],
    ['/api*'],
    ['/api**'],
    ['/api/*'],
    ['/livez', '/version'],
  ])
    rules.push({ verbs, ...(nonResourceURLs ? { nonResourceURLs } : {}) });

const requests: RequestAttributes[] = [];
for (const verb of ['get', 'list', 'post'])
  for (const resource of [
    { group: '', resource: 'pods' },
    { group: '', resource: 'pods', name: 'a', namespace: 'dev' },
    { group: '', resource: 'pods', subresource: 'log', name: 'a' },
    { group: 'apps', resource: 'deployments', name: 'b' },
    { group: 'apps', resource: 'deployments', subresource: 'scale', name: 'a' },
  ])
    requests.push({ verb, resource });
for (const verb of ['get', 'post'])
  for (const path of ['/healthz', '/api', '/api/v1', '/apis', '/version', '/livez/ping']) requests.push({ verb, path });

describe('ruleAllows decides as Kubernetes RBAC does', () => {
  it(`on ${rules.length} rules × ${requests.length} requests`, () => {
    const wrong = rules.flatMap((rule) =>
      requests
        .filter((attrs) => ruleAllows(rule, attrs) !== kubernetesAllows(rule, attrs))
        .map((attrs) => JSON.stringify({ rule, attrs })),
    );
    expect(wrong).toEqual([]);
  });

  it('a rule with resources does not answer a non-resource request, nor the reverse', () => {
    expect(ruleAllows({ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, { verb: 'get', path: '/healthz' })).toBe(
      false,
    );
    expect(
      ruleAllows({ verbs: ['*'], nonResourceURLs: ['*'] }, { verb: 'get', resource: { group: '', resource: 'pods' } }),
    ).toBe(false);
  });
});

// Kubernetes wildcards a subresource as `*/scale` (any resource's scale), never as `pods/*`.
describe('subresource wildcards as Kubernetes reads them (`*/log`, never `pods/*`)', () => {
  const podLog: RequestAttributes = { verb: 'get', resource: { group: '', resource: 'pods', subresource: 'log' } };
  it('`*/log` grants pods/log in Kubernetes', () => {
    expect(ruleAllows({ verbs: ['get'], apiGroups: [''], resources: ['*/log'] }, podLog)).toBe(true);
  });
  it('`pods/*` grants no subresource in Kubernetes', () => {
    expect(ruleAllows({ verbs: ['get'], apiGroups: [''], resources: ['pods/*'] }, podLog)).toBe(false);
  });
});
