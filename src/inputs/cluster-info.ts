import { parseArn } from '../model/arn.js';
import { AUTHENTICATION_MODES, type AuthenticationMode, type ClusterInfo } from '../model/evidence.js';
import { isPartition } from '../model/partitions.js';
import { fail, ok, type Result } from '../model/result.js';
import { bool, isObject, str, strings, timestamp } from './json-shapes.js';

/** `aws eks describe-cluster --name NAME` output (or the bare `cluster` object) → ClusterInfo. */
export function clusterInfoFromJson(json: unknown): Result<ClusterInfo> {
  const cluster = isObject(json) && isObject(json.cluster) ? json.cluster : json;
  if (!isObject(cluster) || typeof cluster.name !== 'string') {
    return fail(
      'expected `aws eks describe-cluster --name NAME` output: a JSON object with a "cluster" key holding "name"',
    );
  }
  const info: ClusterInfo = { name: cluster.name };
  const arn = str(cluster.arn);
  if (arn) {
    info.arn = arn;
    const parsed = parseArn(arn);
    if (parsed.ok) {
      info.region = parsed.value.region;
      info.accountId = parsed.value.accountId;
      if (isPartition(parsed.value.partition)) info.partition = parsed.value.partition;
    }
  }
  const access = isObject(cluster.accessConfig) ? cluster.accessConfig : {};
  const mode = str(access.authenticationMode);
  if (mode !== undefined) {
    if (!(AUTHENTICATION_MODES as readonly string[]).includes(mode))
      return fail(`unknown authenticationMode "${mode}" (expected ${AUTHENTICATION_MODES.join(', ')})`);
    info.authenticationMode = mode as AuthenticationMode;
  } else {
    // Clusters that predate access entries report no accessConfig: they are CONFIG_MAP.
    info.authenticationMode = 'CONFIG_MAP';
  }
  const bootstrap = bool(access.bootstrapClusterCreatorAdminPermissions);
  if (bootstrap !== undefined) info.bootstrapClusterCreatorAdminPermissions = bootstrap;
  for (const field of ['status', 'version', 'platformVersion', 'roleArn', 'endpoint'] as const) {
    const value = str(cluster[field]);
    if (value !== undefined) info[field] = value;
  }
  const ca = isObject(cluster.certificateAuthority) ? str(cluster.certificateAuthority.data) : undefined;
  if (ca) info.certificateAuthorityData = ca;
  const vpc = isObject(cluster.resourcesVpcConfig) ? cluster.resourcesVpcConfig : undefined;
  if (vpc) {
    const pub = bool(vpc.endpointPublicAccess);
    const priv = bool(vpc.endpointPrivateAccess);
    if (pub !== undefined) info.endpointPublicAccess = pub;
    if (priv !== undefined) info.endpointPrivateAccess = priv;
    if (Array.isArray(vpc.publicAccessCidrs)) info.publicAccessCidrs = strings(vpc.publicAccessCidrs);
  }
  const logging = isObject(cluster.logging) ? cluster.logging.clusterLogging : undefined;
  if (Array.isArray(logging)) {
    // Each item is `{ types: [...], enabled: bool }`; a type may appear in an enabled and a disabled item.
    info.enabledLogTypes = [
      ...new Set(logging.flatMap((item) => (isObject(item) && item.enabled === true ? strings(item.types) : []))),
    ].sort();
  }
  const createdAt = timestamp(cluster.createdAt);
  if (createdAt) info.createdAt = createdAt;
  return ok(info);
}
