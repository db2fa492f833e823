import { describe, expect, test } from 'vitest';
import unsupportedPrincipal from '../../../checks/aws-auth/unsupported-principal.js';
import wrongSection from '../../../checks/aws-auth/wrong-section.js';
import { renderHit } from '../../../src/core/run-checks.js';
import { commandsOf } from '../../../src/core/command.js';
import type { Evidence } from '../../../src/model/evidence.js';
import { fixText } from '../../helpers/check-table.js';
import { ACCOUNT, awsAuthFromText, contextFor, principal } from '../../helpers/evidence.js';
import { configMapText, row } from './_configmap.js';

/**
 * The eksctl dialect of aws-auth/wrong-section names only rows eksctl can see. eksctl reads mapRoles
 * rows by `rolearn` and mapUsers rows by `userarn` only (eksctl-io/eksctl at 99984adb,
 * pkg/iam/mapping.go: RoleIdentity{RoleARN `json:"rolearn"`}, UserIdentity{UserARN `json:"userarn"`}),
 * and `eksctl delete iamidentitymapping --arn A` removes the first identity whose ARN is A, mapRoles
 * before mapUsers, every one with `--all` (pkg/authconfigmap/authconfigmap.go GetIdentities,
 * RemoveIdentity). A delete that finds nothing, or another row, must not be printed.
 */

const USER = `arn:aws:iam::${ACCOUNT}:user/bob`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/Deployer`;
const cluster: Evidence['cluster'] = { name: 'prod', region: 'eu-west-1', accountId: ACCOUNT };
const eksctlOf = (data: Record<string, string>) =>
  wrongSection
    .run(contextFor({ cluster, awsAuth: awsAuthFromText(configMapText(data)) }))
    .map((hit) => ({ subject: hit.subject.name, eksctl: hit.fix?.[0]?.eksctl ?? [] }));

describe('aws-auth/wrong-section: eksctl only touches rows eksctl reads', () => {
  test('a user ARN under mapRoles `rolearn` is seen by eksctl: deleted alone (no --all) and created in mapUsers', () => {
    const [hit] = eksctlOf({ mapRoles: row('rolearn', USER, 'bob', ['devs']), mapUsers: row('userarn', USER, 'b2') });
    expect(fixText(hit?.eksctl).split('\n')).toEqual([
      `eksctl delete iamidentitymapping --cluster prod --region eu-west-1 --arn ${USER}`,
      `eksctl create iamidentitymapping --cluster prod --region eu-west-1 --arn ${USER} --username bob --group devs`,
    ]);
  });

  test.each([
    ['mapRoles', 'userarn', USER, 'userarnInMapRoles'],
    ['mapRoles', 'userarn', ROLE, 'userarnInMapRoles'],
    ['mapUsers', 'rolearn', ROLE, 'rolearnInMapUsers'],
    ['mapUsers', 'rolearn', USER, 'rolearnInMapUsers'],
  ])('a %s row keyed %s (%s) is invisible to eksctl: no eksctl command, and the reason', (block, key, arn) => {
    const hits = eksctlOf({ [block]: `- ${key}: ${arn}\n  username: d\n  groups:\n    - devs\n` });
    expect(hits).toHaveLength(1);
    const eksctl = hits[0]?.eksctl ?? [];
    expect(commandsOf(eksctl)).toEqual([]);
    expect(fixText(eksctl)).toContain(
      `${block} rows are read by eksctl by their ${block === 'mapRoles' ? 'rolearn' : 'userarn'} only, so eksctl cannot see this row's ${key}`,
    );
    expect(fixText(eksctl)).toContain('use the kubectl or Terraform form');
  });

  test('a role under mapUsers whose ARN mapRoles also holds: eksctl would delete the mapRoles row, so it is not offered', () => {
    const hits = eksctlOf({ mapRoles: row('rolearn', ROLE, 'deployer'), mapUsers: row('userarn', ROLE, 'other') });
    expect(hits.map((h) => h.subject)).toEqual(['mapUsers[0]']);
    expect(commandsOf(hits[0]?.eksctl ?? [])).toEqual([]);
    expect(fixText(hits[0]?.eksctl)).toContain(
      `removes the first row with ${ROLE} (mapRoles before mapUsers), and that is another row, not mapUsers[0]`,
    );
  });

  test('of two misplaced rows with one ARN, only the first (the one eksctl deletes) gets eksctl commands', () => {
    const hits = eksctlOf({ mapRoles: row('rolearn', USER, 'bob', ['a']) + row('rolearn', USER, 'bob', ['b']) });
    expect(hits.map((h) => [h.subject, commandsOf(h.eksctl).length])).toEqual([
      ['mapRoles[0]', 2],
      ['mapRoles[1]', 0],
    ]);
  });

  test('a row with neither username nor groups: eksctl create would refuse it, so eksctl deletes nothing', () => {
    const hits = eksctlOf({ mapUsers: `- userarn: ${ROLE}\n` });
    expect(commandsOf(hits[0]?.eksctl ?? [])).toEqual([]);
    expect(fixText(hits[0]?.eksctl)).toContain('wants a username or a group');
  });
});

/**
 * aws-auth/unsupported-principal replaces an IAM-group row with a row for the refused user on the guess
 * that the user is in the group: doctor cannot read group membership. Every dialect says so.
 */
describe('aws-auth/unsupported-principal: the group-membership guess is stated in every dialect', () => {
  test('title, kubectl, eksctl, aws CLI and Terraform all carry the caveat; the aws CLI shows how to check', () => {
    const GROUP = `arn:aws:iam::${ACCOUNT}:group/developers`;
    const DEV = `arn:aws:iam::${ACCOUNT}:user/dev-user`;
    const evidence: Evidence = {
      cluster,
      awsAuth: awsAuthFromText(configMapText({ mapUsers: row('userarn', GROUP, 'developers') })),
      principal: principal(DEV),
    };
    const hits = unsupportedPrincipal.run(contextFor(evidence));
    expect(hits).toMatchObject([{ messageId: 'iamGroup', affectsPrincipal: true }]);
    const steps = hits.flatMap((h) => renderHit(unsupportedPrincipal, h, evidence).fix?.steps ?? []);
    expect(steps).toHaveLength(1);
    const caveat = 'only if dev-user is a member of the IAM group developers: doctor cannot see group membership';
    const step = steps[0];
    expect(step?.title).toContain(caveat);
    for (const dialect of ['eksctl', 'aws', 'terraform'] as const) expect(step?.[dialect]?.text).toContain(caveat);
    expect(step?.kubectl?.text).toContain('doctor cannot see group membership');
    expect(step?.aws?.commands?.map((c) => c.argv)).toEqual([
      ['aws', 'iam', 'get-group', '--group-name', 'developers', '--query', 'Users[].Arn', '--region', 'eu-west-1'],
    ]);
  });
});
