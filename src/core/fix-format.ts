import type { Evidence } from '../model/evidence.js';

/** Values for fix templates, so every check writes commands the same way. */
export const clusterNameOf = (evidence: Evidence): string => evidence.cluster?.name ?? 'CLUSTER_NAME';
export const regionOf = (evidence: Evidence): string => evidence.cluster?.region ?? 'REGION';

/** `--group a --group b` for eksctl. */
export const eksctlGroupFlags = (groups: readonly string[]): string =>
  groups.map((g) => `--group ${shellQuote(g)}`).join(' ');

/** `["a", "b"]` for HCL. */
export const hclList = (values: readonly string[]): string => `[${values.map((v) => JSON.stringify(v)).join(', ')}]`;

/** Single-quotes a shell word when it needs it. */
export function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/** A sed expression that swaps one literal string for another (ARNs contain no `#`). */
export const sedReplace = (from: string, to: string): string => `'s#${from.replaceAll('.', '\\.')}#${to}#'`;
