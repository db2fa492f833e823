import type { Check } from '../../src/core/types.js';
import assumedRoleArn from './assumed-role-arn.js';
import duplicateArn from './duplicate-arn.js';
import entryShape from './entry-shape.js';
import humanRoleAsNode from './human-role-as-node.js';
import keyCasing from './key-casing.js';
import malformedArn from './malformed-arn.js';
import mapAccountsShape from './map-accounts-shape.js';
import missingOrReplaced from './missing-or-replaced.js';
import roleArnHasPath from './role-arn-has-path.js';
import unknownTemplate from './unknown-template.js';
import unsupportedPrincipal from './unsupported-principal.js';
import wrongSection from './wrong-section.js';
import yamlInvalid from './yaml-invalid.js';

/** aws-auth/* checks in check-catalog.md order. */
export const AWS_AUTH_CHECKS: readonly Check[] = [
  missingOrReplaced,
  yamlInvalid,
  entryShape,
  roleArnHasPath,
  assumedRoleArn,
  wrongSection,
  keyCasing,
  unsupportedPrincipal,
  duplicateArn,
  malformedArn,
  mapAccountsShape,
  unknownTemplate,
  humanRoleAsNode,
];
