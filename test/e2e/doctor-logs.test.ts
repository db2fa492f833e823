import { afterAll, describe, expect, test } from 'vitest';
import { buildDoctorReport } from '../../src/doctor/build-report.js';
import { collectLive } from '../../src/doctor/collect-live.js';
import { sandboxRequest, sandboxTarget } from '../../src/doctor/sandbox-run.js';
import { renderReport } from '../../src/report/index.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox.js';
import { listShippedScenarios, loadScenario } from '../../src/sandbox/scenario/load.js';
import { expectCoherent } from '../helpers/coherence.js';
import { schemaErrors } from '../helpers/schema.js';

const opened: Sandbox[] = [];
afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
});

/** The stories' histories reach back 62 minutes: read three hours, as `--logs-since 3h` does (the authenticator's grants for the write are then in the window). */
const THREE_HOURS = 3 * 3_600_000;

async function doctor(name: string, logsSinceMs = THREE_HOURS) {
  const scenario = loadScenario(name);
  const target = sandboxTarget(scenario, {});
  if (typeof target === 'string') throw new Error(target);
  const sandbox = await startSandbox({ scenario });
  opened.push(sandbox);
  const request = {
    ...sandboxRequest(sandbox, target, { timeoutMs: 10_000, now: () => new Date() }),
    logsSinceMs,
  };
  const collected = await collectLive(request);
  return { scenario, sandbox, collected, report: buildDoctorReport(collected.evidence, request.cluster) };
}

const withLogClaims = listShippedScenarios().filter((name) => loadScenario(name).expect.logs !== undefined);

describe('every scenario that states what its logs say', () => {
  test('there are such scenarios', () => {
    expect(withLogClaims.length).toBeGreaterThanOrEqual(4);
  });

  test.each(withLogClaims)('%s: the report shows it', async (name) => {
    const { scenario, report, sandbox, collected } = await doctor(name);
    const claims = scenario.expect.logs ?? {};
    expectCoherent(report, name);
    expect(schemaErrors(JSON.parse(renderReport(report, 'json', { color: false })))).toBe('');
    expect(sandbox.requestLog.writes(), 'doctor is read-only').toEqual([]);
    const section = report.logs?.authenticator;
    const human = renderReport(report, 'human', { color: false }).replace(/\s+/g, ' ');
    if (claims.unavailable) {
      expect(section?.state, name).toBe('unavailable');
      if (section?.state !== 'unavailable') return;
      expect(human).toContain(`Authenticator: could not check, because`);
      if (claims.unavailable === 'logging-off') {
        expect(section.command).toMatch(
          /^aws eks update-cluster-config --region [a-z0-9-]+ --name [\w-]+ --logging '\{"clusterLogging":\[\{"types":\["authenticator","audit"\],"enabled":true\}\]\}'$/,
        );
        expect(human).toContain(section.command ?? '');
        expect(human).toContain('CloudWatch Logs ingestion');
      } else expect(section.how).toContain('logs:FilterLogEvents');
      return;
    }
    expect(section?.state, name).toBe('read');
    if (section?.state !== 'read') return;
    if (claims.authenticator) expect(section.latest?.outcome, name).toBe(claims.authenticator);
    if (claims.error) expect(section.latest?.error, name).toBe(claims.error);
    if (claims.contradictsModel) {
      expect(section.agreement, name).toBe('disagree');
      expect(report.findings.map((f) => f.checkId)).toContain('logs/authenticator-disagrees');
    } else expect(section.agreement, name).not.toBe('disagree');
    if (claims.awsAuthLoad) {
      expect(section.awsAuthLoad, name).toMatchObject({
        outcome: claims.awsAuthLoad,
        agreement: claims.contradictsModel ? 'disagree' : 'agree',
      });
      expect(human).toContain(`aws-auth as loaded: at ${section.awsAuthLoad?.time ?? ''} the authenticator`);
    }
    if (claims.creatorFromLog) {
      // Not CloudTrail: only the authenticator's kubernetes-admin grants still name the creator.
      expect(collected.evidence.creator, name).toMatchObject({
        arn: claims.creatorFromLog,
        source: 'authenticator-log',
      });
      expect(human).toContain(`not create the cluster: ${claims.creatorFromLog} did`);
    }
    if (claims.awsAuthUnchanged) {
      expect(
        report.timeline?.filter((e) => e.kind === 'aws-auth-change'),
        name,
      ).toEqual([]);
      const audit = report.logs?.audit;
      expect(audit?.state === 'read' ? audit.awsAuthLookback : undefined, name).toMatchObject({ eventsRead: 0 });
      // Denied throughout, never granted, nothing changed: a principal that was never mapped.
      expect(section.hint, name).toMatch(/aws-auth was not written since .*: it was probably never mapped/);
    }
    if (claims.awsAuthChangedBy) {
      const changes = (report.timeline ?? []).filter((e) => e.kind === 'aws-auth-change');
      expect(changes.at(-1)?.actor, name).toContain(claims.awsAuthChangedBy.replace(/^.*[:/]/, ''));
      // The change comes before the principal's first 401 after it, in the timeline as in time.
      const kinds = (report.timeline ?? []).map((e) => e.kind);
      expect(kinds.lastIndexOf('aws-auth-change')).toBeLessThan(kinds.indexOf('first-denial'));
    }
  });
});

describe('the seed-1 story with its history', () => {
  test('the Terraform edit that broke mapRoles, by whom, and the first 401 after it', async () => {
    const { report } = await doctor('seed-aws-auth-configmap-invalid--logs');
    const change = report.timeline?.find((e) => e.kind === 'aws-auth-change');
    expect(change?.text).toMatch(
      /^aws-auth updated by arn:aws:iam::000000000000:user\/lisenet \(as kubernetes-admin\) \(mapRoles\): mapRoles no longer parses/,
    );
    const human = renderReport(report, 'human', { color: false });
    expect(human).toContain('Timeline (UTC)');
    expect(human).toContain('aws-auth updated by arn:aws:iam::000000000000:user/lisenet');
  });

  test('with the default hour the edit is older than the window: the day-long aws-auth read still finds it', async () => {
    const { report } = await doctor('seed-aws-auth-configmap-invalid--logs', 3_600_000);
    const section = report.logs?.authenticator;
    expect(section?.state === 'read' ? section.hint : 'not read').toBeUndefined();
    const audit = report.logs?.audit;
    expect(audit?.state === 'read' ? audit.awsAuthLookback : undefined).toMatchObject({
      eventsRead: 2,
      truncated: false,
    });
    const kinds = (report.timeline ?? []).map((e) => e.kind);
    expect(kinds.lastIndexOf('aws-auth-change')).toBeLessThan(kinds.indexOf('first-denial'));
    // No grant for the write in the hour: the creator's username names it, and the text says so.
    const change = report.timeline?.find((e) => e.kind === 'aws-auth-change');
    expect(change?.text).toMatch(
      /^aws-auth updated by kubernetes-admin \(the cluster creator's username: arn:aws:iam::000000000000:user\/lisenet\) \(mapRoles\): mapRoles no longer parses/,
    );
  });

  test('a window that holds the whole day reads no further back', async () => {
    const { report } = await doctor('seed-aws-auth-configmap-invalid--logs', 48 * 3_600_000);
    const audit = report.logs?.audit;
    expect(audit?.state === 'read' ? audit.awsAuthLookback : 'not read').toBeUndefined();
  });
});
