import { describe, expect, test } from 'vitest';
import check from '../../../checks/mode/config-map-only.js';
import type { AuthenticationMode, Evidence } from '../../../src/model/evidence.js';
import { checkTable, expectRendered } from '../../helpers/check-table.js';
import { ACCOUNT, awsAuthFrom, entry, principal } from '../../helpers/evidence.js';

const CI = `arn:aws:iam::${ACCOUNT}:role/ci`;
const cluster = (authenticationMode?: AuthenticationMode): Evidence['cluster'] => ({
  name: 'prod',
  accountId: ACCOUNT,
  ...(authenticationMode ? { authenticationMode } : {}),
});
const { run, passes, severityOf } = checkTable(check);

describe('mode/config-map-only', () => {
  passes([
    ['API_AND_CONFIG_MAP', { cluster: cluster('API_AND_CONFIG_MAP'), accessEntries: [entry(CI)] }],
    ['API', { cluster: cluster('API'), accessEntries: [entry(CI)] }],
    ['no mode known (only assumed)', { awsAuth: awsAuthFrom({ mapRoles: '' }) }],
    ['no mode known, and a principal', { principal: principal(CI), accessEntries: [] }],
  ]);

  test('CONFIG_MAP alone is context (info), not a problem of the principal', () => {
    const hits = run({
      cluster: cluster('CONFIG_MAP'),
      principal: principal(CI),
      awsAuth: awsAuthFrom({ mapRoles: '' }),
    });
    expect(hits).toMatchObject([
      {
        messageId: 'configMapMode',
        affectsPrincipal: false,
        subject: { kind: 'cluster', name: 'prod' },
        data: { cluster: 'prod', origin: '' },
      },
    ]);
    expect(severityOf(hits[0])).toBe('info');
    expectRendered(check, hits);
  });

  test('fails for the principal whose only mapping is an access entry on a CONFIG_MAP cluster', () => {
    const hits = run({
      cluster: cluster('CONFIG_MAP'),
      principal: principal(`arn:aws:sts::${ACCOUNT}:assumed-role/ci/run-1`),
      accessEntries: [entry(CI)],
      awsAuth: awsAuthFrom({ mapRoles: '' }),
    });
    expect(hits).toMatchObject([{ messageId: 'principalEntryIgnored', affectsPrincipal: true, data: { arn: CI } }]);
    expect(severityOf(hits[0])).toBe('error');
    expectRendered(check, hits);
  });

  test("the principal's entry is harmless when an aws-auth row maps it anyway", () => {
    const mapRoles = `- rolearn: ${CI}\n  username: ci\n  groups:\n    - deployers\n`;
    const hits = run({
      cluster: cluster('CONFIG_MAP'),
      principal: principal(CI),
      accessEntries: [entry(CI)],
      awsAuth: awsAuthFrom({ mapRoles }),
    });
    expect(hits).toMatchObject([{ messageId: 'principalEntryIgnored', affectsPrincipal: false }]);
  });

  test('other entries are reported together', () => {
    const others = ['a', 'b', 'c', 'd'].map((n) => entry(`arn:aws:iam::${ACCOUNT}:role/${n}`));
    const hits = run({ cluster: cluster('CONFIG_MAP'), accessEntries: others });
    expect(hits).toMatchObject([
      {
        messageId: 'entriesIgnored',
        affectsPrincipal: false,
        data: {
          count: 4,
          examples: `${others[0]?.principalArn}, ${others[1]?.principalArn}, ${others[2]?.principalArn}, and 1 more`,
        },
      },
    ]);
  });

  test("infers CONFIG_MAP from the access-entry API's refusal", () => {
    const hits = run({
      cluster: cluster(),
      unavailable: {
        accessEntries:
          "InvalidRequestException: The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to perform this operation.",
      },
    });
    expect(hits).toMatchObject([
      {
        messageId: 'configMapMode',
        data: { origin: ' (inferred: the access-entry API refused the call with InvalidRequestException)' },
      },
    ]);
  });

  test("subjects: the principal's own entry, and the cluster for the others", () => {
    const hits = run({
      cluster: cluster('CONFIG_MAP'),
      principal: principal(CI),
      accessEntries: [entry(CI), entry(`arn:aws:iam::${ACCOUNT}:role/a`)],
      awsAuth: awsAuthFrom({ mapRoles: '' }),
    });
    expect(hits.map((h) => [h.messageId, h.subject])).toEqual([
      ['principalEntryIgnored', { kind: 'access-entry', name: CI }],
      ['entriesIgnored', { kind: 'cluster', name: 'prod' }],
    ]);
  });

  test('exactly three other entries are all listed, with no "more"', () => {
    const others = ['a', 'b', 'c'].map((n) => entry(`arn:aws:iam::${ACCOUNT}:role/${n}`));
    expect(run({ cluster: cluster('CONFIG_MAP'), accessEntries: others })).toMatchObject([
      { data: { count: 3, examples: others.map((e) => e.principalArn).join(', ') } },
    ]);
  });

  test('another refusal of the access-entry API says nothing about the mode', () => {
    expect(
      run({
        cluster: cluster(),
        unavailable: { accessEntries: 'AccessDeniedException: not authorized to ListAccessEntries' },
      }),
    ).toEqual([]);
  });
});
