import { defineCheck, type Hit } from '../../src/core/types.js';
import { clusterNameOf } from '../../src/core/fix-format.js';
import { CONFIG_MAP_ONLY_ERROR, resolveMode } from './resolve.js';

type Message = 'principalEntryIgnored' | 'entriesIgnored' | 'configMapMode';

const RISKS = [
  'The change is one-way: EKS answers `Unsupported authentication mode update from API_AND_CONFIG_MAP to CONFIG_MAP.` to any attempt to go back.',
  'Go to API_AND_CONFIG_MAP, not straight to API: `CONFIG_MAP to API` is rejected in practice, and API would drop every aws-auth row (node roles included) at once.',
  'In API_AND_CONFIG_MAP an access entry replaces the aws-auth row of the same principal: give the entry at least what the row granted.',
  'Never delete aws-auth while nodes or people still depend on its rows; on CONFIG_MAP clusters the creator keeps its hidden admin mapping, so keep that principal until another admin works.',
];

const FIX = {
  kubectl:
    '# kubectl cannot change the mode. Until it changes, map principals in aws-auth:\nkubectl edit configmap aws-auth -n kube-system',
  eksctl: 'eksctl utils update-authentication-mode --cluster {cluster} --authentication-mode API_AND_CONFIG_MAP',
  aws: 'aws eks update-cluster-config --name {cluster} --access-config authenticationMode=API_AND_CONFIG_MAP\naws eks wait cluster-active --name {cluster}',
  terraform: '# terraform-aws-modules/eks\nauthentication_mode = "API_AND_CONFIG_MAP"',
  risks: RISKS,
};

export default defineCheck<Message>({
  meta: {
    id: 'mode/config-map-only',
    title: 'The cluster is in CONFIG_MAP mode, so access entries cannot be used',
    severity: 'warning',
    stage: 'authentication',
    ref: 'C31',
    needs: [],
    messages: {
      principalEntryIgnored: {
        severity: 'error',
        text: 'The access entry for {arn} cannot take effect: cluster {cluster} is in CONFIG_MAP mode{origin}, where EKS reads only aws-auth and refuses access-entry calls with "{apiError}".',
        remediation: 'Switch cluster {cluster} to API_AND_CONFIG_MAP, or map {arn} with an aws-auth row instead.',
        fix: FIX,
      },
      entriesIgnored: {
        text: '{count} access entries are given ({examples}), but cluster {cluster} is in CONFIG_MAP mode{origin}: EKS ignores them, and creating them fails with "{apiError}".',
        remediation: 'Switch cluster {cluster} to API_AND_CONFIG_MAP before creating access entries.',
        fix: FIX,
      },
      configMapMode: {
        severity: 'info',
        text: 'Cluster {cluster} is in CONFIG_MAP mode{origin}: EKS reads only aws-auth and the hidden cluster-creator mapping, and access-entry calls fail with "{apiError}".',
        remediation:
          'Map principals in aws-auth, or switch cluster {cluster} to API_AND_CONFIG_MAP to use access entries.',
        fix: FIX,
      },
    },
  },
  run({ evidence, simulation }) {
    const { mode, origin } = resolveMode(evidence);
    if (mode !== 'CONFIG_MAP' || origin === 'assumed') return [];
    const cluster = clusterNameOf(evidence);
    const common = {
      cluster,
      apiError: CONFIG_MAP_ONLY_ERROR,
      origin:
        origin === 'error' ? ' (inferred: the access-entry API refused the call with InvalidRequestException)' : '',
    };
    const entries = evidence.accessEntries ?? [];
    const hits: Hit<Message>[] = [];
    const own = simulation?.principalEntry;
    if (own) {
      hits.push({
        messageId: 'principalEntryIgnored',
        subject: { kind: 'access-entry', name: own.principalArn },
        affectsPrincipal:
          simulation !== undefined && (!simulation.decision.authenticated || simulation.authorization.likelyForbidden),
        data: { ...common, arn: own.principalArn },
      });
    }
    const others = entries.filter((e) => e !== own);
    if (others.length > 0) {
      hits.push({
        messageId: 'entriesIgnored',
        subject: { kind: 'cluster', name: cluster },
        affectsPrincipal: false,
        data: {
          ...common,
          count: others.length,
          examples:
            others
              .slice(0, 3)
              .map((e) => e.principalArn)
              .join(', ') + (others.length > 3 ? `, and ${others.length - 3} more` : ''),
        },
      });
    }
    if (hits.length === 0)
      hits.push({
        messageId: 'configMapMode',
        subject: { kind: 'cluster', name: cluster },
        affectsPrincipal: false,
        data: common,
      });
    return hits;
  },
});
