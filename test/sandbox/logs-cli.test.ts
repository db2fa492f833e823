import { describe, expect, it } from 'vitest';
import { hasTool, run, sandboxFor } from './helpers.js';

const AWS = hasTool('aws');
const GROUP = '/aws/eks/eks-A/cluster';

describe.skipIf(!AWS)(
  `aws logs (CLI v1, botocore) against the sandbox${AWS ? '' : ': skipped, the aws CLI is not installed'}`,
  // python starts slowly and two CI cores run files in parallel.
  { timeout: 120_000 },
  () => {
    it('filter-log-events and start-query/get-query-results reach it through AWS_ENDPOINT_URL_CLOUDWATCH_LOGS', async () => {
      const sandbox = await sandboxFor('seed-aws-auth-configmap-invalid--logs');
      try {
        const env = sandbox.envFor('lisenet');
        expect(env.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS).toBe(sandbox.endpoints.logs);
        const filtered = await run(
          'aws',
          [
            'logs',
            'filter-log-events',
            '--log-group-name',
            GROUP,
            '--log-stream-name-prefix',
            'authenticator-',
            '--filter-pattern',
            '"access denied" "role/node-group-role"',
            '--output',
            'json',
          ],
          env,
          90_000,
        );
        expect(filtered.stderr).toBe('');
        const events = (JSON.parse(filtered.stdout) as { events: { message: string }[] }).events;
        // The CLI follows nextToken itself; the seed history holds twelve denials of the node role.
        expect(events).toHaveLength(12);
        expect(events[0]?.message).toMatch(
          /^time="\S+" level=warning msg="access denied" arn="arn:aws:iam::000000000000:role\/node-group-role" client="127\.0\.0\.1:\d+" error="identity is not mapped" method=POST path=\/authenticate$/,
        );

        const now = Math.floor(Date.now() / 1000);
        const started = await run(
          'aws',
          [
            'logs',
            'start-query',
            '--log-group-name',
            GROUP,
            '--start-time',
            String(now - 7200),
            '--end-time',
            String(now),
            '--query-string',
            'fields @timestamp, @message | filter @logStream like /authenticator/ | filter @message like /access denied/ | sort @timestamp desc | limit 2',
          ],
          env,
          90_000,
        );
        expect(started.stderr).toBe('');
        const { queryId } = JSON.parse(started.stdout) as { queryId: string };
        const poll = async () =>
          JSON.parse((await run('aws', ['logs', 'get-query-results', '--query-id', queryId], env, 90_000)).stdout) as {
            status: string;
            results: { field: string; value: string }[][];
          };
        expect((await poll()).status).toBe('Running');
        const done = await poll();
        expect(done.status).toBe('Complete');
        expect(done.results).toHaveLength(2);
        expect(done.results.map((row) => row.map((f) => f.field))).toEqual([
          ['@timestamp', '@message', '@ptr'],
          ['@timestamp', '@message', '@ptr'],
        ]);
        const [newest, older] = done.results.map((row) => row.find((f) => f.field === '@timestamp')?.value ?? '');
        expect((newest ?? '') >= (older ?? '')).toBe(true);
      } finally {
        await sandbox.close();
      }
    });
  },
);
