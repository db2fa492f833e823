import { describe, expect, it } from 'vitest';
import { listShippedScenarios, loadScenario } from '../../src/sandbox/scenario/load.js';
import { kube, sandboxFor, tokenFor, whoami } from './helpers.js';

/**
 * Every shipped scenario that names a principal's outcome is started and probed over HTTPS with
 * a real token: the scenario files' claims are checked, not just parsed.
 */
const withOutcome = listShippedScenarios().filter((name) => loadScenario(name).expect.whoami !== undefined);

describe('shipped scenarios behave as they claim', () => {
  it('most scenarios state an outcome', () => {
    expect(withOutcome.length).toBeGreaterThanOrEqual(30);
  });

  it.each(withOutcome)('%s', async (name) => {
    const sandbox = await sandboxFor(name);
    try {
      const { principal = '', whoami: expected, probe } = sandbox.scenario.expect;
      const res = await whoami(sandbox, principal);
      const status = res.status === 201 ? 200 : res.status;
      const last = sandbox.requestLog.entries.findLast((e) => e.service === 'kube');
      expect(status, `${name}: ${last?.error ?? ''}`).toBe(expected);
      if (probe) {
        const answer = await kube(sandbox, probe.method, probe.path, {
          token: tokenFor(sandbox, principal),
          ...(probe.method === 'PUT'
            ? {
                body: {
                  apiVersion: 'v1',
                  kind: 'ConfigMap',
                  metadata: { name: probe.path.split('/').pop() },
                  data: {},
                },
              }
            : {}),
        });
        expect(answer.status, `${name}: ${answer.body}`).toBe(probe.status);
      }
    } finally {
      await sandbox.close();
    }
  });
});
