import { createPrivateKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

/**
 * A cluster CA and a server certificate for 127.0.0.1, made with node:crypto and a small DER
 * writer instead of a dependency: ECDSA P-256 keys take microseconds (the sandbox must start in
 * under a second) and the few X.509 fields needed are simple to encode.
 */

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag: number, ...content: Buffer[]): Buffer => {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), len(body.length), body]);
};
const seq = (...c: Buffer[]): Buffer => tlv(0x30, ...c);
const set = (...c: Buffer[]): Buffer => tlv(0x31, ...c);
const octets = (b: Buffer): Buffer => tlv(0x04, b);
const bitString = (b: Buffer): Buffer => tlv(0x03, Buffer.from([0]), b);
const bool = (v: boolean): Buffer => tlv(0x01, Buffer.from([v ? 0xff : 0]));
const utf8 = (s: string): Buffer => tlv(0x0c, Buffer.from(s, 'utf8'));
const explicit = (n: number, inner: Buffer): Buffer => tlv(0xa0 + n, inner);

function integer(value: Buffer): Buffer {
  let v = value;
  while (v.length > 1 && v[0] === 0 && ((v[1] ?? 0) & 0x80) === 0) v = v.subarray(1);
  if (((v[0] ?? 0) & 0x80) !== 0) v = Buffer.concat([Buffer.from([0]), v]);
  return tlv(0x02, v);
}

function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const bytes = [40 * (parts[0] ?? 0) + (parts[1] ?? 0)];
  for (const part of parts.slice(2)) {
    const chunk: number[] = [part & 0x7f];
    for (let v = part >> 7; v > 0; v >>= 7) chunk.unshift((v & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  // UTCTime until 2049, GeneralizedTime after (RFC 5280 §4.1.2.5).
  return date.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`)) : tlv(0x18, Buffer.from(`${iso}Z`));
}

const name = (cn: string): Buffer => seq(set(seq(oid('2.5.4.3'), utf8(cn))));
const ECDSA_SHA256 = seq(oid('1.2.840.10045.4.3.2'));
const extension = (id: string, critical: boolean, value: Buffer): Buffer =>
  seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));

interface CertSpec {
  subject: string;
  issuer: string;
  publicKey: KeyObject;
  signingKey: KeyObject;
  ca: boolean;
  notBefore: Date;
  notAfter: Date;
  ips?: string[];
  dnsNames?: string[];
}

function certificate(spec: CertSpec): string {
  const spki = spec.publicKey.export({ type: 'spki', format: 'der' });
  const extensions = [
    extension('2.5.29.19', true, seq(...(spec.ca ? [bool(true)] : []))),
    // CA: keyCertSign|cRLSign; server: digitalSignature.
    extension('2.5.29.15', true, spec.ca ? tlv(0x03, Buffer.from([1, 0x06])) : tlv(0x03, Buffer.from([7, 0x80]))),
  ];
  if (!spec.ca) {
    extensions.push(extension('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.1'))));
    const ips = (spec.ips ?? []).map((ip) => tlv(0x87, Buffer.from(ip.split('.').map(Number))));
    const dns = (spec.dnsNames ?? []).map((d) => tlv(0x82, Buffer.from(d)));
    extensions.push(extension('2.5.29.17', false, seq(...dns, ...ips)));
  }
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))),
    integer(Buffer.concat([Buffer.from([0x01]), randomBytes(15)])),
    ECDSA_SHA256,
    name(spec.issuer),
    seq(time(spec.notBefore), time(spec.notAfter)),
    name(spec.subject),
    spki,
    explicit(3, seq(...extensions)),
  );
  const signature = sign('sha256', tbs, spec.signingKey);
  const der = seq(tbs, ECDSA_SHA256, bitString(signature));
  const base64 = der.toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN CERTIFICATE-----\n${base64.trimEnd()}\n-----END CERTIFICATE-----\n`;
}

export interface ClusterTls {
  caPem: string;
  certPem: string;
  keyPem: string;
}

/** A fresh CA (named like an EKS cluster CA: CN=kubernetes) and a server certificate it signed. */
export function generateClusterTls(
  now: Date,
  hosts: { ips: string[]; dnsNames: string[] } = { ips: ['127.0.0.1'], dnsNames: ['localhost'] },
): ClusterTls {
  const ca = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const server = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const notBefore = new Date(now.getTime() - 3600_000);
  const caPem = certificate({
    subject: 'kubernetes',
    issuer: 'kubernetes',
    publicKey: ca.publicKey,
    signingKey: ca.privateKey,
    ca: true,
    notBefore,
    notAfter: new Date(now.getTime() + 10 * 365 * 86_400_000),
  });
  const certPem = certificate({
    subject: 'kube-apiserver',
    issuer: 'kubernetes',
    publicKey: server.publicKey,
    signingKey: ca.privateKey,
    ca: false,
    notBefore,
    notAfter: new Date(now.getTime() + 365 * 86_400_000),
    ...hosts,
  });
  const keyPem = createPrivateKey(server.privateKey.export({ type: 'pkcs8', format: 'pem' }))
    .export({ type: 'pkcs8', format: 'pem' })
    .toString();
  return { caPem, certPem, keyPem };
}
