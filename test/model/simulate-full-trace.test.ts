import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/model/simulate.js';
import { readableTrace, SCENARIOS } from './simulate-full-trace.scenarios.js';

// The whole explanation a user reads from `explain` (every trace step's title, status and text, the
// near misses and the authorization summary), one scenario per branch of simulate(). The decisions
// are stated here by hand from the authenticator's rules; the texts are pinned in
// simulate-full-trace.expected.json, reviewed when written: a changed text shows up in the diff.
// After an intended change: `npx tsx test/model/record-full-trace.ts`, then review the diff.

const DECISIONS: Record<string, { authenticated: boolean; username?: string; groups?: string[]; determined: boolean }> =
  {
    'CONFIG_MAP: a role session matched by its role row': {
      authenticated: true,
      username: 'admin:alice',
      groups: ['system:masters'],
      determined: true,
    },
    'CONFIG_MAP: a user with a path, mapped only by mapAccounts': {
      authenticated: true,
      username: 'arn:aws:iam::111122223333:user/dev/bob',
      groups: [],
      determined: true,
    },
    'CONFIG_MAP: near misses of a role with a path': { authenticated: false, determined: true },
    'CONFIG_MAP: a user near a group ARN, with a miscased key, unread mode': {
      authenticated: false,
      determined: false,
    },
    'CONFIG_MAP: broken blocks lose the rows for this principal': { authenticated: false, determined: true },
    'CONFIG_MAP: emptied aws-auth with node groups': { authenticated: false, determined: true },
    'CONFIG_MAP: aws-auth absent with node groups, creator elsewhere': { authenticated: false, determined: true },
    'CONFIG_MAP: the creator, bootstrap off': { authenticated: false, determined: true },
    'CONFIG_MAP: the creator, mapped invisibly': {
      authenticated: true,
      username: 'kubernetes-admin',
      groups: ['system:masters'],
      determined: true,
    },
    'API_AND_CONFIG_MAP: the creator with entries not given': {
      authenticated: true,
      username: 'arn:aws:sts::111122223333:assumed-role/Admin/alice',
      groups: [],
      determined: true,
    },
    'API: the creator with no entry': { authenticated: false, determined: true },
    'API_AND_CONFIG_MAP: an entry shadows a row; cluster-admin policy': {
      authenticated: true,
      username: 'ent-alice',
      groups: ['devs'],
      determined: true,
    },
    'API: an entry with a namespaced policy and groups; the row is ignored': {
      authenticated: true,
      username: 'arn:aws:sts::111122223333:assumed-role/Admin/alice',
      groups: ['devs'],
      determined: true,
    },
    'API: an entry with nothing: only discovery': {
      authenticated: true,
      username: 'arn:aws:sts::111122223333:assumed-role/Admin/alice',
      groups: [],
      determined: true,
    },
    'API_AND_CONFIG_MAP: entries not given, aws-auth not given, creator unknown after a CloudTrail lookup': {
      authenticated: false,
      determined: false,
    },
    'assumed mode: entries given, none matches, aws-auth unreadable': { authenticated: false, determined: false },
    'a node role with an instance-id session renders its DNS name': {
      authenticated: true,
      username: 'system:node:<private DNS name of i-0123456789abcdef0>',
      groups: ['system:bootstrappers', 'system:nodes'],
      determined: true,
    },
    'a group template that cannot render fails authentication': { authenticated: false, determined: true },
    'an empty username': { authenticated: true, username: '', groups: [], determined: true },
  };

const EXPECTED_FILE = join(import.meta.dirname, 'simulate-full-trace.expected.json');

const expected = JSON.parse(readFileSync(EXPECTED_FILE, 'utf8')) as Record<string, unknown>;

describe('simulate(): the decision of every scenario', () => {
  it.each(SCENARIOS)('$name', ({ name, principal, evidence }) => {
    const want = DECISIONS[name];
    if (!want) throw new Error(`no decision stated for "${name}"`);
    const sim = simulate(principal, evidence);
    expect(sim.decision.authenticated).toBe(want.authenticated);
    expect(sim.determined).toBe(want.determined);
    if (want.authenticated) expect(sim.decision).toMatchObject({ username: want.username, groups: want.groups });
    else expect(sim.decision).toEqual({ authenticated: false, source: null, username: null, groups: [] });
  });
});

describe('simulate(): the full trace the user reads', () => {
  it.each(SCENARIOS)('$name', ({ name }) => {
    const { principal, evidence } = SCENARIOS.find((s) => s.name === name) ?? {};
    if (!principal || !evidence) throw new Error(name);
    expect(readableTrace(simulate(principal, evidence))).toEqual(expected[name]);
  });

  it('every pinned trace belongs to a scenario', () => {
    expect(Object.keys(expected).sort()).toEqual(SCENARIOS.map((s) => s.name).sort());
  });
});
