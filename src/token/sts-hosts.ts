/**
 * Which STS hosts the authenticator accepts for its partition (authenticator-facts.md §2.2): the
 * hosts the AWS SDK's STS endpoint rules produce for the host's region label, a fallback for the
 * server's own region, then a domain check against the authenticator's own partition table.
 */
import { PARTITIONS, type Partition } from '../model/partitions.js';
import { fail, ok, type Result } from '../model/result.js';
import { goQuote } from './go-compat.js';
import { resolvedStsHosts } from './sts-resolver.js';

/** getStsRegion: `global` for the global host, else the second DNS label. */
export function stsRegionOf(host: string): Result<string> {
  if (host === '') return fail('host is empty');
  const parts = host.split('.');
  if (parts.length < 3) return fail(`invalid host format: ${host}`);
  if (host === 'sts.amazonaws.com') return ok('global');
  return ok(parts[1] ?? '');
}

// Ported by the authenticator from the Go SDK v1's region validation.
const isValidRegionLabel = (region: string): boolean => /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$/.test(region);

export interface HostRejection {
  message: string;
  /** False only for the one error the authenticator returns without the format prefix. */
  formatError: boolean;
}

/** verifySTSHostnameFormat: undefined when accepted. */
export function checkStsHost(host: string, partition: Partition, serverRegion = ''): HostRejection | undefined {
  const reject = (message: string, formatError = true): HostRejection => ({ message, formatError });
  const region = stsRegionOf(host);
  if (!region.ok) return reject(`could not parse region for pre-signed URL ${host}, ${region.error}`);
  if (region.value === 'global') {
    return PARTITIONS[partition].hasGlobalSts
      ? undefined
      : reject(`global endpoint unsupported in partition ${partition}`);
  }
  if (!isValidRegionLabel(region.value)) return reject(`invalid region identifier format provided: ${region.value}`);
  const { domain, dualStackDomain } = PARTITIONS[partition];
  if (!resolvedStsHosts(region.value).includes(host)) {
    // Regions the SDK does not know yet: the server's own region in its own partition.
    if (!isValidRegionLabel(serverRegion)) return reject(`unexpected hostname ${goQuote(host)} in pre-signed URL`);
    const fallback = [
      `sts.${serverRegion}.${domain}`,
      ...(dualStackDomain ? [`sts.${serverRegion}.${dualStackDomain}`] : []),
    ];
    return fallback.includes(host) ? undefined : reject(`unexpected hostname ${goQuote(host)} in pre-signed URL`);
  }
  const parts = host.split('.');
  if (parts.length < 4) return reject(`invalid host format, too few labels: ${host}`, false);
  const actual = parts.slice(2).join('.');
  if (actual !== domain && actual !== dualStackDomain)
    return reject(`partition {${partition}} does not support hostname ${host}`);
  return undefined;
}
