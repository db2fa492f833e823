import { describe, expect, test } from 'vitest';
import { awsAuthLoads, type LogEvent } from '../../src/logs/authenticator.js';
import { compareAwsAuthLoad } from '../../src/logs/compare.js';
import type { Evidence } from '../../src/model/evidence.js';
import { awsAuthFrom } from '../helpers/evidence.js';

const T0 = Date.parse('2026-12-03T12:00:00Z');
// Lines as the authenticator's logrus TextFormatter writes them (configmap.go:94-101 at 81b1dab).
const line = (seconds: number, level: string, msg: string): LogEvent => ({
  timestamp: T0 + seconds * 1000,
  message: `time="${new Date(T0 + seconds * 1000).toISOString()}" level=${level} msg=${JSON.stringify(msg)}`,
});
const PARSE_ERROR =
  'error parsing config map: [yaml: invalid map key: map[interface {}]interface {}{"SessionName":interface {}(nil)}]';
const received = (s: number) => line(s, 'info', 'Received aws-auth watch event');
const failed = (s: number) =>
  line(s, 'error', `There was an error parsing the config maps.  Only saving data that was good, ${PARSE_ERROR}`);

describe('awsAuthLoads: the authenticator reloading aws-auth', () => {
  test('a watch event followed by the parse error is one failed reload, with ParseMap error', () => {
    expect(awsAuthLoads([received(0), line(0, 'warning', 'Errors parsing configmap: [x]'), failed(0)])).toEqual([
      { time: '2026-12-03T12:00:00.000Z', outcome: 'parse-error', error: PARSE_ERROR },
    ]);
  });

  test('a clean reload, a failed one, a reset on delete, oldest first whatever the input order', () => {
    const events = [line(120, 'info', 'Resetting configmap on delete'), failed(60), received(60), received(0)];
    expect(awsAuthLoads(events).map((l) => l.outcome)).toEqual(['parsed', 'parse-error', 'reset']);
  });

  test('each control-plane instance logs its own reload: the same outcome seconds apart is one', () => {
    expect(awsAuthLoads([received(0), received(2), received(30)]).map((l) => l.time)).toEqual([
      '2026-12-03T12:00:00.000Z',
      '2026-12-03T12:00:30.000Z',
    ]);
  });

  test('a parse error long after the watch event is not that reload’s, and decisions are not reloads', () => {
    const decision = line(1, 'info', 'access granted');
    expect(awsAuthLoads([received(0), decision, failed(30)])).toEqual([
      { time: '2026-12-03T12:00:00.000Z', outcome: 'parsed' },
    ]);
  });
});

describe('compareAwsAuthLoad: the latest reload against eksauth’s reading', () => {
  const withLoads = (awsAuth: Evidence['awsAuth'], loads: ReturnType<typeof awsAuthLoads>): Evidence => ({
    ...(awsAuth ? { awsAuth } : {}),
    authenticatorLog: {
      logGroup: 'g',
      since: '2026-12-03T11:00:00Z',
      until: '2026-12-03T13:00:00Z',
      eventsRead: 1,
      truncated: false,
      decisions: [],
      awsAuthLoads: loads,
    },
  });
  const BROKEN = awsAuthFrom({
    mapRoles: '- rolearn: arn:aws:iam::111122223333:role/a\n  username: {{SessionName}}\n',
  });
  const GOOD = awsAuthFrom({ mapRoles: '- rolearn: arn:aws:iam::111122223333:role/a\n  username: a\n' });
  const parsed = { time: '2026-12-03T12:00:00Z', outcome: 'parsed' as const };
  const failedLoad = { time: '2026-12-03T12:01:00Z', outcome: 'parse-error' as const, error: PARSE_ERROR };
  const reset = { time: '2026-12-03T12:02:00Z', outcome: 'reset' as const };

  test.each([
    ['both find the block broken', BROKEN, [parsed, failedLoad], 'agree'],
    ['both read it cleanly', GOOD, [failedLoad, parsed], 'agree'],
    ['the authenticator failed, eksauth reads it cleanly', GOOD, [failedLoad], 'disagree'],
    ['the authenticator parsed it, eksauth finds it broken', BROKEN, [parsed], 'disagree'],
    ['deleted, and eksauth reads none', { state: 'absent' as const }, [reset], 'agree'],
    ['deleted, yet eksauth reads one', GOOD, [reset], 'disagree'],
    ['eksauth could not read aws-auth', undefined, [failedLoad], 'unknown'],
  ])('%s', (_, awsAuth, loads, kind) => {
    expect(compareAwsAuthLoad(withLoads(awsAuth, loads))?.kind).toBe(kind);
  });

  test('no reload in the window: nothing to compare', () => {
    expect(compareAwsAuthLoad(withLoads(GOOD, []))).toBeUndefined();
  });
});
