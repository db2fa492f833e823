import { describe, expect, test } from 'vitest';
import {
  argValue,
  canonicalOf,
  execArn,
  execError,
  execProfile,
  liveClusterName,
  liveRegion,
  profileOf,
  updateKubeconfig,
} from '../../../checks/identity/_live-shared.js';
import { fixText } from '../../helpers/check-table.js';
import { ACCOUNT } from '../../helpers/evidence.js';
import { CLUSTER, kubeconfig } from '../_live.js';

describe('identity/_live-shared', () => {
  test.each<[string[], string | undefined]>([
    [['--profile', 'dev'], 'dev'],
    [['eks', '--profile=ops', 'get-token'], 'ops'],
    [['--profile'], undefined],
    [['--profiles', 'x', '--profile-name=y'], undefined],
    [['--role-arn', 'r', '--profile', 'first', '--profile', 'second'], 'first'],
    [[], undefined],
  ])('argValue(%j, --profile) is %s', (args, value) => {
    expect(argValue(args, '--profile')).toBe(value);
  });

  test('the exec profile: --profile in the args wins over AWS_PROFILE in its env', () => {
    expect(execProfile(kubeconfig({}, { args: ['--profile', 'a'], env: { AWS_PROFILE: 'b' } }))).toBe('a');
    expect(execProfile(kubeconfig({}, { env: { AWS_PROFILE: 'b' } }))).toBe('b');
    expect(execProfile(kubeconfig({}, { env: {} }))).toBeUndefined();
    expect(execProfile({ ...kubeconfig(), exec: undefined })).toBeUndefined();
    expect(execProfile(undefined)).toBeUndefined();
  });

  test("the profile a fix names: this run's, else kubeconfig's", () => {
    const facts = kubeconfig({}, { env: { AWS_PROFILE: 'b' } });
    expect(profileOf({ credentialEnv: { profile: 'run', staticKeys: false }, kubeconfig: facts })).toBe('run');
    expect(profileOf({ credentialEnv: { staticKeys: false }, kubeconfig: facts })).toBe('b');
    expect(profileOf({})).toBeUndefined();
  });

  test('cluster and region: from the cluster, else the lookup, else placeholders', () => {
    expect([liveClusterName({ cluster: CLUSTER }), liveRegion({ cluster: CLUSTER })]).toEqual([
      'platform',
      'eu-west-1',
    ]);
    const lookup = { clusterLookup: { name: 'c2', region: 'us-east-2' } } as Parameters<typeof liveRegion>[0];
    expect([liveClusterName(lookup), liveRegion(lookup)]).toEqual(['c2', 'us-east-2']);
    expect([liveClusterName({}), liveRegion({})]).toEqual(['CLUSTER_NAME', 'REGION']);
  });

  test('the exec outcome: an ARN or an error, never both', () => {
    const arn = `arn:aws:sts::${ACCOUNT}:assumed-role/dev/alice`;
    const ok = { kubeconfig: kubeconfig({ execIdentity: { arn } }) };
    const failed = { kubeconfig: kubeconfig({ execIdentity: { error: 'boom' } }) };
    expect([execArn(ok), execError(ok)]).toEqual([arn, undefined]);
    expect([execArn(failed), execError(failed)]).toEqual([undefined, 'boom']);
    expect([execArn({}), execError({})]).toEqual([undefined, undefined]);
  });

  test('canonical ARNs: an assumed-role session becomes its role; anything unparsable is kept', () => {
    expect(canonicalOf(`arn:aws:sts::${ACCOUNT}:assumed-role/dev/alice`)).toBe(`arn:aws:iam::${ACCOUNT}:role/dev`);
    expect(canonicalOf('not-an-arn')).toBe('not-an-arn');
  });

  test('update-kubeconfig names the cluster, its region and any extra words', () => {
    expect(fixText(updateKubeconfig({ cluster: CLUSTER }, ['--profile', 'dev']))).toBe(
      'aws eks update-kubeconfig --name platform --region eu-west-1 --profile dev',
    );
    expect(fixText(updateKubeconfig({}))).toBe('aws eks update-kubeconfig --name CLUSTER_NAME --region REGION');
  });
});
