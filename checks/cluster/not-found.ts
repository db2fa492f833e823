import { defineCheck } from '../../src/core/types.js';
import type { ClusterLookup } from '../../src/model/evidence.js';

import { profileFlag, profileOf } from '../identity/_live-shared.js';

type Message = 'notFound' | 'foundElsewhere';

const RISKS = [
  'A cluster of the same name in another account or region is a different cluster, with its own access entries and aws-auth: make sure it is the one you mean before you point kubeconfig or Terraform at it.',
  '`update-kubeconfig` switches the current context to the cluster it writes.',
];

export default defineCheck<Message>({
  meta: {
    id: 'cluster/not-found',
    title: 'No cluster of that name in that account and region',
    severity: 'error',
    stage: 'reachability',
    needs: ['clusterLookup'],
    messages: {
      notFound: {
        text: 'There is no cluster {name} in {region} (region from {regionSource}) for account {account}: DescribeCluster answered ResourceNotFoundException{elsewhereNote}.',
        remediation:
          'Name the region (and account) the cluster lives in: pass `--region`, or fix the profile or AWS_REGION.',
        fix: {
          kubectl:
            '# kubectl never gets this far: find the cluster first\naws eks list-clusters --region {region} {profileFlag}',
          eksctl: 'eksctl get cluster --region {region} {profileFlag}',
          aws: 'aws eks list-clusters --region {region} {profileFlag}\naws sts get-caller-identity {profileFlag}   # the account you are looking in',
          terraform: 'provider "aws" {\n  region = "REGION_OF_{nameUpper}"   # the provider looked in {region}\n}',
          risks: RISKS,
        },
      },
      foundElsewhere: {
        text: 'There is no cluster {name} in {region} (region from {regionSource}), but there is one in {regions}: the region is wrong, not the access.',
        remediation: 'Use the region the cluster lives in: `--region {suggested}`.',
        fix: {
          kubectl: 'aws eks update-kubeconfig --name {nameShell} --region {suggested} {profileFlag}',
          eksctl: 'eksctl utils write-kubeconfig --cluster {nameShell} --region {suggested} {profileFlag}',
          aws: 'export AWS_REGION={suggested}   # or: aws configure set region {suggested} {profileFlag}\naws eks describe-cluster --name {nameShell} --region {suggested} {profileFlag}',
          terraform: 'provider "aws" {\n  region = "{suggested}"\n}',
          risks: RISKS,
        },
      },
    },
  },
  run({ evidence }) {
    const lookup = evidence.clusterLookup;
    if (!lookup || lookup.found) return [];
    const elsewhere = (lookup.foundInRegions ?? []).filter((r) => r !== lookup.region);
    const suggested = elsewhere[0];
    return [
      {
        messageId: suggested ? 'foundElsewhere' : 'notFound',
        subject: { kind: 'cluster', name: lookup.name },
        affectsPrincipal: true,
        data: {
          name: lookup.name,
          nameShell: lookup.name,
          nameUpper: lookup.name.toUpperCase().replace(/[^A-Z0-9]/g, '_'),
          region: lookup.region,
          regionSource: lookup.regionSource,
          account: evidence.caller?.account ?? 'the caller',
          regions: elsewhere.join(', '),
          suggested: suggested ?? '',
          elsewhereNote: elsewhereNote(lookup),
          profileFlag: profileFlag(profileOf(evidence)),
        },
      },
    ];
  },
});

function elsewhereNote(lookup: ClusterLookup): string {
  if (lookup.foundInRegions === undefined) return ' (other regions were not searched)';
  const searched = lookup.searchedRegions;
  if (searched === undefined) return ' and no other region searched has one either';
  if (searched.length === 0) return ' (no other region answered the search: none could be checked)';
  return ` and none of the ${searched.length} other default regions has one either (opt-in regions are not searched: name one with --region)`;
}
