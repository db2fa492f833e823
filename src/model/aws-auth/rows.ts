import type { AwsAuth, BlockKey, SourceLocation } from './types.js';

/** A row as written in the file, whether EKS kept it or lost it with an unparseable block. */
export interface WrittenRow {
  block: BlockKey;
  index: number;
  arn: string;
  username: string;
  groups: string[];
  location: SourceLocation;
  arnLocation: SourceLocation;
  /** true: its block did not parse, so EKS has none of it; the row was read back from the text. */
  lost: boolean;
}

/** Every role or user row the author wrote, so lint checks can judge rows of a broken block too. */
export function writtenRows(configMap: AwsAuth, block: 'mapRoles' | 'mapUsers'): WrittenRow[] {
  const parsed = (block === 'mapRoles' ? configMap.roleRows : configMap.userRows).map((row) => ({
    block,
    index: row.index,
    arn: row.arn,
    username: row.username,
    groups: row.groups,
    location: row.location,
    arnLocation: row.fieldLocations.arn ?? row.location,
    lost: false,
  }));
  const lost = configMap.lostRows
    .filter((row) => row.block === block)
    .map((row) => ({
      block,
      index: row.index,
      arn: row.arn,
      username: row.username,
      groups: row.groups,
      location: row.location,
      arnLocation: row.location,
      lost: true,
    }));
  return [...parsed, ...lost];
}
