import { KNOWN_TEMPLATE_VARIABLES, unknownTemplateVariables } from '../../src/model/templates.js';
import { defineCheck, type FixSpec, type Hit } from '../../src/core/types.js';
import { blockFixStep, closestKnown } from './_fix-rows.js';
import { isNodeRow, rowRef, rowViews, viaRow } from './_shared.js';

type Message = 'unknownVariable' | 'unknownInNodeRow' | 'principalUsername';

const KNOWN = KNOWN_TEMPLATE_VARIABLES.map((v) => `{{${v}}}`).join(', ');

const FIX: FixSpec = {
  risks: [
    '`kubectl patch` carries the resourceVersion eksauth read: if someone changed aws-auth since, it fails with a conflict; run eksauth again rather than forcing it.',
    'RBAC bindings written for the literal name stop matching once the template renders: update bindings that name the old username.',
  ],
};

export default defineCheck<Message>({
  meta: {
    id: 'aws-auth/unknown-template',
    title: 'An aws-auth username or group uses a {{…}} variable the authenticator does not know',
    severity: 'warning',
    stage: 'authentication',
    needs: ['awsAuth'],
    messages: {
      unknownVariable: {
        text: '{where} {field} "{value}" uses {variable}, which the authenticator does not know: it stays in the {field} as literal text{meant}.',
        remediation: 'Write {variable} as {suggested} in {where}.',
        fix: FIX,
      },
      principalUsername: {
        text: '{principal} is mapped by {where} with the username "{rendered}": {variable} is not a variable the authenticator knows, so it stays as text, every session of {arn} is that same user, and RBAC bindings or audit searches for the intended name never match{meant}.',
        remediation: 'Write {variable} as {suggested} in {where}.',
        severity: 'error',
        fix: FIX,
      },
      unknownInNodeRow: {
        text: '{where} {field} "{value}" uses {variable}, which the authenticator does not know: every node of {arn} gets the literal {field} "{value}", which names no node, so the node authorizer refuses the kubelet{meant}.',
        remediation: 'Write {variable} as {suggested} in {where}.',
        severity: 'error',
        fix: FIX,
      },
    },
  },
  run({ evidence, simulation }) {
    if (evidence.awsAuth?.state !== 'present') return [];
    const hits: Hit<Message>[] = [];
    for (const row of rowViews(evidence.awsAuth.configMap)) {
      if (!row.username.includes('{{') && !row.groups.some((g) => g.includes('{{'))) continue;
      const fields: { field: 'username' | 'group'; value: string; location: typeof row.location }[] = [
        { field: 'username', value: row.username, location: row.usernameLocation },
        ...row.groups.map((g) => ({ field: 'group' as const, value: g, location: row.groupsLocation })),
      ];
      for (const { field, value, location } of fields) {
        for (const name of new Set(unknownTemplateVariables(value))) {
          const variable = `{{${name}}}`;
          const closest = closestKnown(name);
          const suggested = closest ? `{{${closest}}}` : `one of ${KNOWN}`;
          const node = field === 'username' && isNodeRow(row) && row.username.startsWith('system:node:');
          const mapped = !row.lost && viaRow(simulation, row.block, row.index);
          // The principal under diagnosis carries the literal text in its own username: it is mis-mapped now.
          const principalsName = mapped && field === 'username' && !node;
          hits.push({
            messageId: node ? 'unknownInNodeRow' : principalsName ? 'principalUsername' : 'unknownVariable',
            subject: { kind: 'aws-auth', name: `${row.block}[${row.index}]` },
            location,
            affectsPrincipal: mapped,
            data: {
              principal: simulation?.principal.canonicalArn ?? '',
              rendered: simulation?.decision.username ?? value,
              where: rowRef(row.block, row.index, row.location),
              field,
              value,
              variable,
              suggested,
              meant: closest ? ` (did you mean {{${closest}}}?)` : '',
              arn: row.arn || 'ARN',
            },
            fix: [blockFixStep(evidence, row.block)],
          });
        }
      }
    }
    return hits;
  },
});
