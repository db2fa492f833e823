import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import duplicateArn from '../../checks/aws-auth/duplicate-arn.js';
import entryShape from '../../checks/aws-auth/entry-shape.js';
import keyCasing from '../../checks/aws-auth/key-casing.js';
import mapAccountsShape from '../../checks/aws-auth/map-accounts-shape.js';
import unsupportedPrincipal from '../../checks/aws-auth/unsupported-principal.js';
import wrongSection from '../../checks/aws-auth/wrong-section.js';
import type { Check } from '../../src/core/types.js';
import type { Evidence } from '../../src/model/evidence.js';
import { loadScenario } from '../../src/sandbox/scenario/load.js';
import { awsAuthFrom, contextFor, principal } from '../helpers/evidence.js';
import { patchOf } from '../checks/aws-auth/_patch.js';
import { Referee, refereeStatus, type RefereeCandidate } from './referee-client.js';

/**
 * The exact patches of the aws-auth shape checks, judged by the Go referee (the authenticator's own
 * decoders), not by the model that computed them: on each scenario's aws-auth, the patched data
 * must map the blocked principal as the scenario says it should.
 */
const CASES: {
  scenario: string;
  check: Check;
  arn: string;
  sessionName?: string;
  expect: Partial<RefereeCandidate>;
}[] = [
  {
    scenario: 'aws-auth--entry-shape',
    check: entryShape,
    arn: 'arn:aws:sts::111122223333:assumed-role/admin/alice',
    sessionName: 'alice',
    expect: { via: 'mapRoles', username: 'admin:alice', groups: ['system:masters'] },
  },
  {
    scenario: 'aws-auth--key-casing',
    check: keyCasing,
    arn: 'arn:aws:sts::111122223333:assumed-role/deployer/pipeline',
    sessionName: 'pipeline',
    expect: { via: 'mapRoles', username: 'deployer', groups: ['system:masters'] },
  },
  {
    scenario: 'aws-auth--wrong-section',
    check: wrongSection,
    arn: 'arn:aws:sts::111122223333:assumed-role/deployer/pipeline',
    sessionName: 'pipeline',
    expect: { via: 'mapRoles', username: 'deployer', groups: ['system:masters'] },
  },
  {
    scenario: 'aws-auth--duplicate-arn',
    check: duplicateArn,
    arn: 'arn:aws:sts::111122223333:assumed-role/Admin/alice',
    sessionName: 'alice',
    expect: { via: 'mapRoles', username: 'admin', groups: ['system:masters'] },
  },
  {
    scenario: 'aws-auth--map-accounts-shape',
    check: mapAccountsShape,
    arn: 'arn:aws:iam::444455556666:user/partner',
    expect: { via: 'mapAccounts', groups: [] },
  },
  {
    scenario: 'aws-auth--unsupported-principal',
    check: unsupportedPrincipal,
    arn: 'arn:aws:iam::111122223333:user/dev-user',
    expect: { via: 'mapUsers', username: 'developers', groups: ['system:masters'] },
  },
];

const status = refereeStatus();
describe.skipIf(!status.available)(
  `the exact aws-auth patches map the blocked principal as the Go referee reads them${status.available ? '' : ` (skipped: ${status.reason})`}`,
  () => {
    let referee: Referee | undefined;
    beforeAll(() => {
      referee = Referee.start();
    }, 180_000);
    afterAll(async () => {
      await referee?.stop();
    });

    it.each(CASES)('$scenario', async ({ scenario, check, arn, sessionName, expect: wanted }) => {
      const data = loadScenario(scenario).clusters[0]?.awsAuthData ?? {};
      const evidence: Evidence = {
        awsAuth: awsAuthFrom(data as Parameters<typeof awsAuthFrom>[0]),
        principal: principal(arn, sessionName),
      };
      const hit = check.run(contextFor(evidence)).find((h) => h.affectsPrincipal);
      const patch = patchOf(check, hit, evidence);
      expect(patch, `${scenario}: an exact patch`).toBeDefined();
      const after: Record<string, string> = { ...data };
      for (const [key, value] of Object.entries(patch?.data ?? {})) {
        if (value === null) Reflect.deleteProperty(after, key);
        else after[key] = value;
      }
      const p = principal(arn, sessionName);
      const ask = (d: Record<string, string>) =>
        referee?.ask({
          data: d,
          principals: [
            {
              canonicalArn: p.canonicalArn,
              accountId: p.accountId,
              sessionName: sessionName ?? '',
              accessKeyId: 'AKIAEXAMPLE',
              privateDnsName: '',
            },
          ],
        });
      const before = await ask(data);
      const answer = await ask(after);
      expect(answer?.lookups[0]?.mapped, `${scenario}: the referee maps the principal after the patch`).toBe(true);
      expect(answer?.lookups[0]?.candidates[0]).toMatchObject(wanted);
      // It was not mapped that way before: the patch is what made the difference.
      expect(before?.lookups[0]?.candidates[0] ?? {}).not.toMatchObject(wanted);
    });
  },
);
