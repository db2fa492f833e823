import type { Evidence } from '../model/evidence.js';
import { fixTarget } from './fix-target.js';
import { option } from './command.js';

/**
 * Values for fix templates. They are raw values, never shell or HCL text: src/core/command.ts
 * fills each into its word (or HCL string) and quotes it there. Lists stand as whole words.
 */
export const clusterNameOf = (evidence: Evidence): string => fixTarget(evidence).cluster;
export const regionOf = (evidence: Evidence): string => fixTarget(evidence).region;

/** `--group a --group b` for eksctl, as words. */
export const eksctlGroupFlags = (groups: readonly string[]): string[] => groups.flatMap((g) => option('--group', g));

/** A list of strings for an HCL list hole. */
export const hclList = (values: readonly string[]): string[] => [...values];
