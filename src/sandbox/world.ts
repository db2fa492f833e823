import type { CredentialStore } from './credentials.js';
import type { KubeStore } from './kube/store.js';
import type { ClusterLogs } from './logs/cluster-logs.js';
import type { Scenario, ScenarioCluster, ScenarioPrincipal } from './scenario/types.js';

/** A cluster as it runs: its scenario data plus the API server that serves it. */
export interface ClusterRuntime {
  cluster: ScenarioCluster;
  /** `https://127.0.0.1:PORT` */
  endpoint: string;
  /** The CA DescribeCluster reports (PEM); with the untrusted-tls fault the server presents another. */
  caPem: string;
  objects: KubeStore;
  /** Its control-plane log group in CloudWatch Logs. */
  logs: ClusterLogs;
}

/** Everything the services read: the scenario, the keys, and each cluster's live state. */
export interface World {
  scenario: Scenario;
  store: CredentialStore;
  clusters: ClusterRuntime[];
}

export function findCluster(world: World, accountId: string, region: string, name: string): ClusterRuntime | undefined {
  return world.clusters.find(
    (c) => c.cluster.accountId === accountId && c.cluster.region === region && c.cluster.name === name,
  );
}

export function principalByArn(world: World, arn: string): ScenarioPrincipal | undefined {
  return world.scenario.principals.find((p) => p.arn.toLowerCase() === arn.toLowerCase());
}

export function principalById(world: World, id: string): ScenarioPrincipal | undefined {
  return world.scenario.principals.find((p) => p.id === id);
}

export const epochSeconds = (date: Date): number => date.getTime() / 1000;
