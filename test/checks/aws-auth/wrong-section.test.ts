import { describe, expect, test } from 'vitest';
import check from '../../../checks/aws-auth/wrong-section.js';
import type { Evidence } from '../../../src/model/evidence.js';
import { ACCOUNT, awsAuthFromText, contextFor, principal } from '../../helpers/evidence.js';
import { LINE_OF, configMapText, row } from './_configmap.js';
import { patchOf } from './_patch.js';

const USER = `arn:aws:iam::${ACCOUNT}:user/bob`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/Deployer`;
const run = (data: Record<string, string>, evidence: Partial<Evidence> = {}) =>
  check.run(contextFor({ awsAuth: awsAuthFromText(configMapText(data)), ...evidence }));

describe('aws-auth/wrong-section', () => {
  test.each([
    ['roles in mapRoles, users in mapUsers', { mapRoles: row('rolearn', ROLE), mapUsers: row('userarn', USER) }],
    [
      'D3: open-source key casing (roleARN, userARN)',
      { mapRoles: row('roleARN', ROLE), mapUsers: row('userARN', USER) },
    ],
    [
      'a session ARN (aws-auth/assumed-role-arn reports it)',
      { mapUsers: row('userarn', `arn:aws:sts::${ACCOUNT}:assumed-role/Deployer/s`) },
    ],
  ])('passes: %s', (_, data) => {
    expect(run(data)).toEqual([]);
  });

  test('a user under mapRoles still matches: a warning that concerns nobody', () => {
    const hits = run({ mapRoles: row('rolearn', USER, 'bob') }, { principal: principal(USER) });
    expect(hits).toMatchObject([
      {
        messageId: 'userInMapRoles',
        location: { line: LINE_OF(1), column: 7 },
        affectsPrincipal: false,
        data: { arn: USER },
      },
    ]);
  });

  test('a role under mapUsers', () => {
    expect(run({ mapUsers: row('userarn', ROLE) })).toMatchObject([
      {
        messageId: 'roleInMapUsers',
        subject: { name: 'mapUsers[0]' },
        data: { arn: ROLE },
      },
    ]);
  });

  test('a userarn key in a mapRoles row drops the row', () => {
    const mapRoles = `- userarn: ${USER}\n  username: bob\n`;
    expect(run({ mapRoles })).toMatchObject([
      {
        messageId: 'userarnInMapRoles',
        location: { line: LINE_OF(1), column: 7 },
        affectsPrincipal: false,
        data: { arn: USER },
      },
    ]);
    expect(run({ mapRoles }, { principal: principal(USER) })).toMatchObject([{ affectsPrincipal: true }]);
  });

  test('a userarn key holding a role ARN: rename the key', () => {
    const hits = run(
      { mapRoles: `- userarn: ${ROLE}\n  username: d\n` },
      { principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/Deployer/ci`) },
    );
    expect(hits).toMatchObject([
      {
        messageId: 'userarnInMapRoles',
        affectsPrincipal: true,
        data: { remedy: expect.stringContaining('Rename the key userarn to rolearn') },
      },
    ]);
  });

  test('a rolearn key in a mapUsers row drops the row', () => {
    expect(run({ mapUsers: `- rolearn: ${ROLE}\n  username: d\n` })).toMatchObject([
      { messageId: 'rolearnInMapUsers', data: { arn: ROLE, remedy: expect.stringContaining('Move mapUsers[0]') } },
    ]);
  });

  test('a userarn key next to a rolearn is harmless here (the rolearn is used)', () => {
    expect(run({ mapRoles: `- rolearn: ${ROLE}\n  userarn: ${USER}\n  username: d\n` })).toEqual([]);
  });
});

describe('aws-auth/wrong-section: the exact patch', () => {
  const evidenceOf = (data: Record<string, string>, arn: string): Evidence => ({
    awsAuth: awsAuthFromText(configMapText(data)),
    principal: principal(arn),
  });

  test('the scenario: userarn holding a role ARN in mapRoles is renamed to rolearn in place, comments kept', () => {
    const mapRoles = `# CI\n- userarn: ${ROLE} # the deployer\n  username: d\n  groups:\n    - system:masters\n`;
    const evidence = evidenceOf({ mapRoles }, `arn:aws:sts::${ACCOUNT}:assumed-role/Deployer/ci`);
    const [hit] = check.run(contextFor(evidence));
    expect(patchOf(check, hit, evidence)?.data).toEqual({
      mapRoles: `# CI\n- rolearn: ${ROLE} # the deployer\n  username: d\n  groups:\n    - system:masters\n`,
    });
  });

  test('a user ARN under userarn in mapRoles moves to the end of mapUsers', () => {
    const other = row('rolearn', ROLE, 'd');
    const mapRoles = `${other}- userarn: ${USER}\n  username: bob\n  groups:\n    - dev\n`;
    const mapUsers = row('userarn', `arn:aws:iam::${ACCOUNT}:user/alice`, 'alice');
    const evidence = evidenceOf({ mapRoles, mapUsers }, USER);
    const [hit] = check.run(contextFor(evidence));
    expect(patchOf(check, hit, evidence)?.data).toEqual({
      mapRoles: other,
      mapUsers: `${mapUsers}- userarn: ${USER}\n  username: bob\n  groups:\n    - dev\n`,
    });
  });

  test('a hostile ARN stays data in the JSON body', () => {
    const arn = `arn:aws:iam::${ACCOUNT}:role/x'$(touch /tmp/p)\``;
    const evidence = evidenceOf({ mapRoles: `- userarn: "${arn}"\n  username: x\n` }, ROLE);
    const [hit] = check.run(contextFor(evidence));
    const mapRoles = patchOf(check, hit, evidence)?.data.mapRoles ?? '';
    expect(mapRoles).toContain('rolearn:');
    expect(mapRoles).toContain('$(touch /tmp/p)`');
  });
});
