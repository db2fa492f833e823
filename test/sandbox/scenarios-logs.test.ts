import { FilterLogEventsCommand, type FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeClusterCommand } from '@aws-sdk/client-eks';
import { describe, expect, it } from 'vitest';
import { listShippedScenarios, loadScenario } from '../../src/sandbox/scenario/load.js';
import { clientsFor, sandboxFor } from './helpers.js';

/**
 * Every shipped scenario's `expect.logs` claim is checked against what the sandbox serves, read
 * with the SDK and picked apart with this file's own patterns (not eksauth's log reader), before
 * anything live adds lines: the report side is then judged against claims that hold.
 */
const withLogClaims = listShippedScenarios().filter((name) => loadScenario(name).expect.logs !== undefined);

/** The path-less role ARN the authenticator logs (`arn=`), or a user's ARN unchanged. */
const canonical = (arn: string): string => arn.replace(/:role\/(?:.*\/)?([^/]+)$/, ':role/$1');

describe('shipped scenarios: the logs say what expect.logs claims', () => {
  it('there are log stories: seed 1 with history, logging off, no permission, a contradiction', () => {
    expect(withLogClaims.length).toBeGreaterThanOrEqual(4);
  });

  it.each(withLogClaims)('%s', async (name) => {
    const sandbox = await sandboxFor(name);
    try {
      const scenario = sandbox.scenario;
      const claim = scenario.expect.logs ?? {};
      const cluster = scenario.clusters[0];
      const principal = scenario.principals.find((p) => p.id === scenario.expect.principal);
      const caller = scenario.defaultPrincipal ?? scenario.principals[0]?.id ?? '';
      const c = clientsFor(sandbox, caller);
      const group = `/aws/eks/${cluster?.name ?? ''}/cluster`;
      if (claim.unavailable === 'logging-off') {
        const described = await c.eks.send(new DescribeClusterCommand({ name: cluster?.name }));
        expect(described.cluster?.logging?.clusterLogging?.filter((l) => l.enabled)).toEqual([]);
        await expect(c.logs.send(new FilterLogEventsCommand({ logGroupName: group }))).rejects.toMatchObject({
          name: 'ResourceNotFoundException',
        });
      }
      if (claim.unavailable === 'access-denied')
        await expect(c.logs.send(new FilterLogEventsCommand({ logGroupName: group }))).rejects.toMatchObject({
          name: 'AccessDeniedException',
        });
      if (claim.unavailable) return;

      const events: FilteredLogEvent[] = [];
      let nextToken: string | undefined;
      do {
        const page = await c.logs.send(
          new FilterLogEventsCommand({ logGroupName: group, ...(nextToken ? { nextToken } : {}) }),
        );
        events.push(...(page.events ?? []));
        nextToken = page.nextToken;
      } while (nextToken);
      const messages = events.map((e) => e.message ?? '');

      if (claim.authenticator && principal) {
        const arn = canonical(principal.arn);
        const decisions = messages.filter(
          (m) => /msg="access (granted|denied)"/.test(m) && m.includes(` arn="${arn}" `),
        );
        const last = decisions.at(-1) ?? '';
        expect(last, `${name}: latest decision for ${arn}`).toContain(`msg="access ${claim.authenticator}"`);
        if (claim.error) expect(last).toContain(`error="${claim.error}"`);
        const served = scenario.expect.whoami !== 401;
        // The log agrees with the live outcome unless the scenario says it contradicts the model.
        expect(claim.authenticator === 'granted', `${name}: log vs model`).toBe(
          claim.contradictsModel ? !served : served,
        );
      }
      const writes = () =>
        messages
          .filter((m) => m.startsWith('{'))
          .map(
            (m) =>
              JSON.parse(m) as {
                verb: string;
                objectRef?: { name?: string };
                user: { extra?: Record<string, string[]> };
              },
          )
          .filter((e) => e.objectRef?.name === 'aws-auth' && ['create', 'update', 'patch', 'delete'].includes(e.verb));
      if (claim.awsAuthLoad) {
        // The authenticator's ConfigMap watch (configmap.go:94-101): the last reload, and whether ParseMap failed.
        const reloads = messages
          .map((m, i) => ({ m, i }))
          .filter(({ m }) => /msg="(Received aws-auth watch event|Resetting configmap on delete)"/.test(m));
        const last = reloads.at(-1);
        expect(last, `${name}: a reload of aws-auth`).toBeDefined();
        const after = messages.slice((last?.i ?? 0) + 1, (last?.i ?? 0) + 4);
        const outcome = last?.m.includes('Resetting')
          ? 'reset'
          : after.some((m) =>
                m.includes(
                  'level=error msg="There was an error parsing the config maps.  Only saving data that was good, error parsing config map: [',
                ),
              )
            ? 'parse-error'
            : 'parsed';
        expect(outcome, name).toBe(claim.awsAuthLoad);
      }
      if (claim.awsAuthUnchanged) expect(writes(), `${name}: no write to aws-auth at all`).toEqual([]);
      if (claim.creatorFromLog) {
        // CloudTrail no longer has CreateCluster (older than its 90 days) ...
        const trail = await c.cloudtrail.send(
          new LookupEventsCommand({
            LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateCluster' }],
          }),
        );
        expect(trail.Events ?? [], `${name}: CreateCluster is past CloudTrail's reach`).toEqual([]);
        // ... and the creator's grants, as kubernetes-admin, carry its canonical ARN.
        const grants = messages.filter(
          (m) => m.includes('msg="access granted"') && m.includes(' username=kubernetes-admin'),
        );
        expect(grants.length, `${name}: kubernetes-admin grants`).toBeGreaterThan(0);
        for (const grant of grants) expect(grant).toContain(` arn="${canonical(claim.creatorFromLog)}" `);
      }
      if (claim.awsAuthChangedBy) {
        expect(writes().at(-1)?.user.extra?.canonicalArn).toEqual([canonical(claim.awsAuthChangedBy)]);
      }
    } finally {
      await sandbox.close();
    }
  });
});
