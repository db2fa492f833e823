import { describe, expect, it } from 'vitest';
import {
  discoverApiVersion,
  formatExecCredential,
  formatExpirationTimestamp,
  tokenExpiry,
} from '../../src/token/exec-credential.js';

// Test vectors C of authenticator-facts.md.

describe('C: the ExecCredential', () => {
  it('with now = 2019-10-23T23:00:00Z advertises 2019-10-23T23:14:00Z, v1beta1, in the CLI layout', () => {
    const out = formatExecCredential(
      discoverApiVersion(undefined).apiVersion,
      'k8s-aws-v1.abc',
      tokenExpiry(new Date('2019-10-23T23:00:00Z'), undefined),
    );
    expect(JSON.parse(out)).toEqual({
      kind: 'ExecCredential',
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      spec: {},
      status: { expirationTimestamp: '2019-10-23T23:14:00Z', token: 'k8s-aws-v1.abc' },
    });
    // json.dumps(indent=4), the formatter's newline and get-token's own newline.
    expect(out).toBe(
      '{\n    "kind": "ExecCredential",\n    "apiVersion": "client.authentication.k8s.io/v1beta1",\n    "spec": {},\n    "status": {\n        "expirationTimestamp": "2019-10-23T23:14:00Z",\n        "token": "k8s-aws-v1.abc"\n    }\n}\n\n',
    );
  });

  it('formats whole seconds with a literal Z, dropping milliseconds', () => {
    expect(formatExpirationTimestamp(new Date('2026-11-22T11:07:57.999Z'))).toBe('2026-11-22T11:07:57Z');
  });

  it("advertises the credentials' own expiry when it comes first", () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(tokenExpiry(now, new Date('2026-01-01T00:05:00Z'))).toEqual(new Date('2026-01-01T00:05:00Z'));
    expect(tokenExpiry(now, new Date('2026-01-01T01:00:00Z'))).toEqual(new Date('2026-01-01T00:14:00Z'));
  });
});

describe('C: KUBERNETES_EXEC_INFO', () => {
  it.each([
    ['unset', undefined, 'client.authentication.k8s.io/v1beta1', undefined],
    ['empty', '', 'client.authentication.k8s.io/v1beta1', undefined],
    [
      'v1',
      '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","spec":{"interactive":false}}',
      'client.authentication.k8s.io/v1',
      undefined,
    ],
    [
      'v1beta1',
      '{"apiVersion":"client.authentication.k8s.io/v1beta1"}',
      'client.authentication.k8s.io/v1beta1',
      undefined,
    ],
    [
      'v1alpha1',
      '{"apiVersion":"client.authentication.k8s.io/v1alpha1"}',
      'client.authentication.k8s.io/v1alpha1',
      "Kubeconfig user entry is using deprecated API version client.authentication.k8s.io/v1alpha1. Run 'aws eks update-kubeconfig' to update.",
    ],
    [
      'an unknown version',
      '{"apiVersion":"client.authentication.k8s.io/v9"}',
      'client.authentication.k8s.io/v1beta1',
      'Unrecognized API version in KUBERNETES_EXEC_INFO, defaulting to client.authentication.k8s.io/v1beta1. This is likely due to an outdated AWS CLI. Please update your AWS CLI.',
    ],
    [
      'malformed JSON',
      '{oops',
      'client.authentication.k8s.io/v1beta1',
      'Error parsing KUBERNETES_EXEC_INFO, defaulting to client.authentication.k8s.io/v1beta1. This is likely a bug in your Kubernetes client. Please update your Kubernetes client.',
    ],
    [
      'JSON that is not an object',
      '[1]',
      'client.authentication.k8s.io/v1beta1',
      'Unrecognized API version in KUBERNETES_EXEC_INFO, defaulting to client.authentication.k8s.io/v1beta1. This is likely due to an outdated AWS CLI. Please update your AWS CLI.',
    ],
  ])('%s', (_, execInfo, apiVersion, warning) => {
    expect(discoverApiVersion(execInfo)).toEqual({ apiVersion, ...(warning ? { warning } : {}) });
  });
});
