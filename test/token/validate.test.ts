import { describe, expect, it } from 'vitest';
import type { Partition } from '../../src/model/partitions.js';
import { checkStsHost, stsRegionOf } from '../../src/token/sts-hosts.js';
import { validateToken, type TokenValidation } from '../../src/token/validate.js';

// Test vectors B of authenticator-facts.md, numbered as there.

const toToken = (url: string): string => `k8s-aws-v1.${Buffer.from(url, 'utf8').toString('base64url')}`;
const NOW = new Date('2026-11-23T08:00:00Z');
const AMZ_NOW = '20261123T080000Z';
const P = 'input token was not properly formatted: ';

function run(token: string, partition: Partition = 'aws', now = NOW, serverRegion?: string): TokenValidation {
  return validateToken(token, { partition, now, ...(serverRegion !== undefined ? { serverRegion } : {}) });
}
function errorOf(token: string, partition: Partition = 'aws', now = NOW): { checkId: string; message: string } {
  const result = run(token, partition, now);
  if (result.ok) throw new Error('expected the token to be rejected');
  return { checkId: result.checkId, message: result.message };
}
/** A well-formed URL for `host` signed at `date`, with `extra` replacing or adding parameters. */
function url(host = 'sts.us-west-2.amazonaws.com', date = AMZ_NOW, extra = ''): string {
  return (
    `https://${host}/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256` +
    `&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20261123%2Fus-west-2%2Fsts%2Faws4_request&X-Amz-Date=${date}` +
    `&X-Amz-Expires=60&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id${extra}&X-Amz-Signature=${'a'.repeat(64)}`
  );
}

describe('T1: the upstream TestGetWithSTS fixture', () => {
  const t1Url =
    'https://sts.us-west-2.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIAR2TG44V6AS3ZZE7C%2F20230428%2Fus-west-2%2Fsts%2Faws4_request&X-Amz-Date=20230428T000000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id&X-Amz-Signature=e211dba77aba9dc44b0b6be38b8eaad092599c5157f6314444c5b9d85747f5ce';
  const token = toToken(t1Url);

  it('encodes to 482 unpadded characters', () => {
    const encoded = token.slice('k8s-aws-v1.'.length);
    expect(encoded).toHaveLength(482);
    expect(encoded.length % 4).toBe(2);
    expect(encoded).not.toContain('=');
  });

  it('decodes into every field, valid one minute after signing', () => {
    const result = run(token, 'aws', new Date('2023-04-28T00:01:00Z'));
    expect(result).toEqual({
      ok: true,
      token: {
        url: t1Url,
        stsHost: 'sts.us-west-2.amazonaws.com',
        region: 'us-west-2',
        query: {
          Action: 'GetCallerIdentity',
          Version: '2011-06-15',
          'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
          'X-Amz-Credential': 'ASIAR2TG44V6AS3ZZE7C/20230428/us-west-2/sts/aws4_request',
          'X-Amz-Date': '20230428T000000Z',
          'X-Amz-Expires': '60',
          'X-Amz-SignedHeaders': 'host;x-k8s-aws-id',
          'X-Amz-Signature': 'e211dba77aba9dc44b0b6be38b8eaad092599c5157f6314444c5b9d85747f5ce',
        },
        accessKeyId: 'ASIAR2TG44V6AS3ZZE7C',
        signedAt: new Date('2023-04-28T00:00:00Z'),
        expiresAt: new Date('2023-04-28T00:15:00Z'),
        signedHeaders: ['host', 'x-k8s-aws-id'],
        expiresParam: 60,
        hasSessionToken: false,
      },
    });
  });
});

describe('T2–T7: prefix, base64url and size', () => {
  const t2 =
    'k8s-aws-v1.aHR0cHM6Ly9zdHMuYW1hem9uYXdzLmNvbS8_QWN0aW9uPUdldENhbGxlcklkZW50aXR5JlZlcnNpb249MjAxMS0wNi0xNQ';

  it('T2: the URL-safe unpadded encoding of the sample URL', () => {
    expect(toToken('https://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15')).toBe(t2);
    expect(t2.charAt('k8s-aws-v1.'.length + 35)).toBe('_');
    // It decodes; what fails is the missing signed header, i.e. base64 and URL were accepted.
    expect(errorOf(t2)).toEqual({
      checkId: 'token/cluster-id-not-signed',
      message: `${P}client did not sign the x-k8s-aws-id header in the pre-signed URL`,
    });
  });

  it('T3: padding is rejected at its offset', () => {
    expect(errorOf(`${t2}==`)).toEqual({
      checkId: 'token/malformed',
      message: `${P}illegal base64 data at input byte 94`,
    });
  });

  it('T4: the standard alphabet is rejected at its offset', () => {
    const standard = `${t2.slice(0, 11 + 35)}/${t2.slice(11 + 36)}`;
    expect(errorOf(standard).message).toBe(`${P}illegal base64 data at input byte 35`);
  });

  it('T5: a body of the wrong length', () => {
    expect(errorOf('k8s-aws-v1.decodingerror')).toEqual({
      checkId: 'token/malformed',
      message: `${P}illegal base64 data at input byte 12`,
    });
  });

  it('T6: the prefix is checked', () => {
    expect(errorOf('k8s-aws-v2.asdfasdfa').message).toBe(`${P}token is missing expected "k8s-aws-v1." prefix`);
  });

  it('T7: 4097 bytes is too large, 4096 is not', () => {
    expect(errorOf(`k8s-aws-v1.${'a'.repeat(4097 - 11)}`).message).toBe(`${P}token is too large`);
    expect(errorOf(`k8s-aws-v1.${'a'.repeat(4096 - 11)}`).message).not.toContain('too large');
    // Bytes, not characters: 2-byte characters count twice.
    expect(errorOf(`k8s-aws-v1.${'é'.repeat(2043)}`).message).toBe(`${P}token is too large`);
  });

  it('Go skips CR and LF inside base64', () => {
    const body = t2.slice(11);
    expect(errorOf(`k8s-aws-v1.${body.slice(0, 10)}\n${body.slice(10)}`).checkId).toBe('token/cluster-id-not-signed');
  });
});

describe('T8: upstream TestVerifyTokenPreSTSValidations', () => {
  const cases: [string, string, string, Partition?][] = [
    [':ab:cd.af:/asda', 'token/malformed', `${P}parse ":ab:cd.af:/asda": missing protocol scheme`],
    ['http://', 'token/malformed', `${P}unexpected scheme "http" in pre-signed URL`],
    [
      'https://google.com',
      'token/wrong-sts-host',
      `${P}could not parse region for pre-signed URL google.com, invalid host format: google.com`,
    ],
    ['https://sts.amazonaws.com/abc', 'token/malformed', `${P}unexpected path in pre-signed URL`],
    [
      'https://sts.cn-north-1.amazonaws.com.cn/abc',
      'token/malformed',
      `${P}unexpected path in pre-signed URL`,
      'aws-cn',
    ],
    [
      'https://sts.amazonaws.com/?NoInWhiteList=abc',
      'token/malformed',
      `${P}non-whitelisted query parameter "NoInWhiteList"`,
    ],
    [
      'https://sts.amazonaws.com/?action=get&action=post',
      'token/malformed',
      `${P}query parameter with multiple values not supported`,
    ],
    [
      'https://sts.amazonaws.com/?action=NotGetCallerIdenity',
      'token/malformed',
      `${P}unexpected action parameter in pre-signed URL`,
    ],
    [
      'https://sts.amazonaws.com/?action=GetCallerIdentity&x-amz-signedheaders=abc%3Bx-k8s-aws-i%3Bdef',
      'token/cluster-id-not-signed',
      `${P}client did not sign the x-k8s-aws-id header in the pre-signed URL`,
    ],
    [
      'https://sts.amazonaws.com/?action=GetCallerIdentity&x-amz-signedheaders=x-k8s-aws-id&x-amz-expires=9999999',
      'token/malformed',
      `${P}invalid X-Amz-Expires parameter in pre-signed URL: 9999999`,
    ],
    [
      'https://sts.amazonaws.com/?action=GetCallerIdentity&x-amz-signedheaders=x-k8s-aws-id&x-amz-expires=60&x-amz-date=xxxxxxx',
      'token/malformed',
      `${P}error parsing X-Amz-Date parameter xxxxxxx into format 20060102T150405Z: parsing time "xxxxxxx" as "20060102T150405Z": cannot parse "xxxxxxx" as "2006"`,
    ],
    [
      'https://sts.amazonaws.com/?action=GetCallerIdentity&x-amz-signedheaders=x-k8s-aws-id&x-amz-expires=60&x-amz-date=19900422T010203Z',
      'token/expired',
      `${P}X-Amz-Date parameter is expired (15 minute expiration) 1990-04-22 01:02:03 +0000 UTC`,
    ],
    [
      'https://sts.amazonaws.com/?action=GetCallerIdentity&x-amz-signedheaders=x-k8s-aws-id&x-amz-expires=60%gh',
      'token/malformed',
      `${P}malformed query parameter`,
    ],
    [
      'https://sts.us-west-2.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIAAAAAAAAAAAAAAAAA%2F20220601%2Fus-west-2%2Fsts%2Faws4_request&X-Amz-Date=20261123T080000Z&X-Amz-Expires=900&X-Amz-Security-Token=XXXXXXXXXXXXX&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id&x-amz-credential=eve&X-Amz-Signature=999999999999999999',
      'token/malformed',
      `${P}duplicate query parameter found: "x-amz-credential"`,
    ],
  ];
  it.each(cases)('%s', (input, checkId, message, partition = 'aws') => {
    expect(errorOf(toToken(input), partition)).toEqual({ checkId, message });
  });

  it.each(['us-east-2', 'ap-northeast-2', 'ca-central-1', 'eu-west-1', 'sa-east-1'])(
    'accepts sts.%s.amazonaws.com with a current date',
    (region) => {
      const result = run(
        toToken(
          `https://sts.${region}.amazonaws.com/?action=GetCallerIdentity&x-amz-signedheaders=x-k8s-aws-id&x-amz-date=${AMZ_NOW}&x-amz-expires=60`,
        ),
      );
      expect(result.ok).toBe(true);
      if (result.ok) expect(result.token.region).toBe(region);
    },
  );
});

describe('T9–T12: derived edges', () => {
  it('T9: no "/" before the query is a path error', () => {
    expect(errorOf(toToken(url().replace('.com/?', '.com?'))).message).toBe(`${P}unexpected path in pre-signed URL`);
  });

  it('T10: an unencoded ";" in the query is malformed', () => {
    expect(errorOf(toToken(url().replace('host%3Bx-k8s-aws-id', 'host;x-k8s-aws-id'))).message).toBe(
      `${P}malformed query parameter`,
    );
  });

  it('T11: X-Amz-Expires missing prints 0; 900 passes; 901 fails', () => {
    expect(errorOf(toToken(url().replace('&X-Amz-Expires=60', ''))).message).toBe(
      `${P}invalid X-Amz-Expires parameter in pre-signed URL: 0`,
    );
    expect(run(toToken(url().replace('X-Amz-Expires=60', 'X-Amz-Expires=900'))).ok).toBe(true);
    expect(errorOf(toToken(url().replace('X-Amz-Expires=60', 'X-Amz-Expires=901'))).message).toBe(
      `${P}invalid X-Amz-Expires parameter in pre-signed URL: 901`,
    );
    expect(errorOf(toToken(url().replace('X-Amz-Expires=60', 'X-Amz-Expires=-1'))).message).toMatch(/: -1$/);
    expect(errorOf(toToken(url().replace('X-Amz-Expires=60', 'X-Amz-Expires=6x'))).message).toMatch(/: 0$/);
    // Go's Atoi clamps on overflow, and the message prints the clamped value.
    expect(errorOf(toToken(url().replace('X-Amz-Expires=60', 'X-Amz-Expires=99999999999999999999'))).message).toMatch(
      /: 9223372036854775807$/,
    );
  });

  it('T12: 15 min + 1 s after X-Amz-Date is expired; 14 min 59 s and exactly 15 min are not', () => {
    const token = toToken(url());
    const signed = new Date('2026-11-23T08:00:00Z').getTime();
    const expired = errorOf(token, 'aws', new Date(signed + 15 * 60_000 + 1000));
    expect(expired).toEqual({
      checkId: 'token/expired',
      message: `${P}X-Amz-Date parameter is expired (15 minute expiration) 2026-11-23 08:00:00 +0000 UTC`,
    });
    expect(run(token, 'aws', new Date(signed + 14 * 60_000 + 59_000)).ok).toBe(true);
    expect(run(token, 'aws', new Date(signed + 15 * 60_000)).ok).toBe(true);
  });

  it('an expired token still reports what it contains', () => {
    const result = run(toToken(url()), 'aws', new Date('2026-11-24T00:00:00Z'));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.partial).toMatchObject({
        stsHost: 'sts.us-west-2.amazonaws.com',
        region: 'us-west-2',
        accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
        expiresParam: 60,
      });
      expect(result.partial?.signedAt).toEqual(new Date('2026-11-23T08:00:00Z'));
    }
  });

  it('X-Amz-Date must be present and parse', () => {
    expect(errorOf(toToken(url('sts.us-west-2.amazonaws.com', '').replace('&X-Amz-Date=', ''))).message).toBe(
      `${P}X-Amz-Date parameter must be present in pre-signed URL`,
    );
    expect(errorOf(toToken(url('sts.us-west-2.amazonaws.com', '20261323T080000Z'))).message).toBe(
      `${P}error parsing X-Amz-Date parameter 20261323T080000Z into format 20060102T150405Z: parsing time "20261323T080000Z": month out of range`,
    );
    expect(errorOf(toToken(url('sts.us-west-2.amazonaws.com', '20261123 080000Z'))).message).toBe(
      `${P}error parsing X-Amz-Date parameter 20261123 080000Z into format 20060102T150405Z: parsing time "20261123 080000Z" as "20060102T150405Z": cannot parse " 080000Z" as "T"`,
    );
    expect(errorOf(toToken(url('sts.us-west-2.amazonaws.com', '20260231T080000Z'))).message).toMatch(
      /: parsing time "20260231T080000Z": day out of range$/,
    );
    expect(errorOf(toToken(url('sts.us-west-2.amazonaws.com', '20261123T080000Zz'))).message).toMatch(
      /: extra text: "z"$/,
    );
  });

  it('the scheme is case-insensitive and the host keeps its port, as in Go', () => {
    expect(run(toToken(url().replace('https://', 'HTTPS://'))).ok).toBe(true);
    expect(errorOf(toToken(url('sts.us-west-2.amazonaws.com:443'))).message).toBe(
      `${P}unexpected hostname "sts.us-west-2.amazonaws.com:443" in pre-signed URL`,
    );
  });
});

describe("Go's Unicode case rules for parameter and header names", () => {
  it('lower-cases İ to i, as unicode.ToLower does', () => {
    const result = run(toToken(url().replace('Action=GetCallerIdentity', 'ACT\u0130ON=GetCallerIdentity')));
    expect(result.ok).toBe(true);
  });

  it('folds the Kelvin sign to k in the signed header name, as strings.EqualFold does', () => {
    expect(run(toToken(url().replace('x-k8s-aws-id', 'x-\u212a8s-aws-id'))).ok).toBe(true);
    expect(run(toToken(url().replace('x-k8s-aws-id', 'x-\u017f8s-aws-id'))).ok).toBe(false);
    expect(run(toToken(url().replace('x-k8s-aws-id', 'x-k8\u017f-aws-id'))).ok).toBe(true);
  });
});

describe('T13 is the STS replay: see decode-token tests', () => {
  it('a session token is noticed', () => {
    const result = run(toToken(url('sts.us-west-2.amazonaws.com', AMZ_NOW, '&X-Amz-Security-Token=FwoGZX')));
    expect(result.ok && result.token.hasSessionToken).toBe(true);
  });
});

describe('T14: upstream TestSTSEndpoints', () => {
  const cases: [Partition, string, string, boolean][] = [
    ['aws', 'sts.amazonaws.com', '', true],
    ['aws-cn', 'sts.amazonaws.com', '', false],
    ['aws-us-gov', 'sts.amazonaws.com', '', false],
    ['aws', 'sts-fips.us-west-2.amazonaws.com', '', true],
    ['aws-cn', 'sts-fips.us-east-1.amazonaws.com', '', false],
    ['aws', 'sts.us-west-2.api.aws', '', true],
    ['aws-cn', 'sts.cn-north-1.api.amazonwebservices.com.cn', '', true],
    ['aws', 'sts.cn-north-1.api.amazonwebservices.com.cn', '', false],
    ['aws', 'sts.amazonaws.com.cn', '', false],
    ['aws', 'website.amazonaws.com', '', false],
    ['aws', 'sts.not-a-region.amazonaws.com', '', true],
    ['aws', 'sts.not-a-region.amazonaws.com', 'us-west-2', true],
    ['aws-cn', 'sts.not-a-region3.amazonaws.com.cn', '', false],
    ['aws-cn', 'sts.not-a-region4.amazonaws.com.cn', 'not-a-region4', true],
    ['aws-iso', 'sts.us-iso-east-1.c2s.ic.gov', '', true],
    ['aws-us-gov', 'sts.us-gov-east-1.amazonaws.com', '', true],
    ['aws', 'sts.us-east-1.amazonaws.com', '', true],
    ['aws-cn', 'sts.cn-north-1.amazonaws.com.cn', '', true],
  ];
  it.each(cases)('%s %s (server region %j) → %s', (partition, host, serverRegion, accepted) => {
    expect(checkStsHost(host, partition, serverRegion) === undefined).toBe(accepted);
    const result = run(toToken(url(host)), partition, NOW, serverRegion);
    expect(result.ok).toBe(accepted);
    if (!result.ok) expect(result.checkId).toBe('token/wrong-sts-host');
  });

  it('gives the upstream messages', () => {
    expect(checkStsHost('sts.amazonaws.com', 'aws-cn')?.message).toBe(
      'global endpoint unsupported in partition aws-cn',
    );
    expect(checkStsHost('sts-fips.us-east-1.amazonaws.com', 'aws-cn')?.message).toBe(
      'partition {aws-cn} does not support hostname sts-fips.us-east-1.amazonaws.com',
    );
    expect(checkStsHost('website.amazonaws.com', 'aws')?.message).toBe(
      'unexpected hostname "website.amazonaws.com" in pre-signed URL',
    );
    expect(checkStsHost('sts.us_west.amazonaws.com', 'aws')?.message).toBe(
      'invalid region identifier format provided: us_west',
    );
    expect(run(toToken(url('sts.amazonaws.com')), 'aws-us-gov')).toMatchObject({
      ok: false,
      message: `${P}global endpoint unsupported in partition aws-us-gov`,
    });
  });
});

describe('T15: upstream TestGetStsRegion', () => {
  it.each([
    ['sts.amazonaws.com', 'global'],
    ['sts.us-west-2.amazonaws.com', 'us-west-2'],
  ])('%s → %s', (host, region) => {
    expect(stsRegionOf(host)).toEqual({ ok: true, value: region });
  });
  it.each(['', 'sts', 'sts.wrongformat'])('%j is an error', (host) => {
    expect(stsRegionOf(host).ok).toBe(false);
  });
});
