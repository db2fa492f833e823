import { expect, test } from 'vitest';
import { isPartition, partitionOfRegion } from '../../src/model/partitions.js';

test.each([
  ['cn-north-1', 'aws-cn'],
  ['us-gov-west-1', 'aws-us-gov'],
  ['us-isob-east-1', 'aws-iso-b'],
  ['us-iso-east-1', 'aws-iso'],
  ['eu-isoe-west-1', 'aws-iso-e'],
  ['us-isof-south-1', 'aws-iso-f'],
  ['eusc-de-east-1', 'aws-eusc'],
  ['us-east-1', 'aws'],
  ['eu-west-1', 'aws'],
])('region %s is in partition %s', (region, partition) => {
  expect(partitionOfRegion(region)).toBe(partition);
});

test('partitions are known by their exact name', () => {
  expect(isPartition('aws-us-gov')).toBe(true);
  expect(isPartition('AWS')).toBe(false);
  expect(isPartition('toString')).toBe(false);
});
