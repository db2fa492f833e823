import { editDistance } from '../../src/model/text-match.js';
import { KNOWN_TEMPLATE_VARIABLES, unknownTemplateVariables } from '../../src/model/templates.js';
import { defineCheck, type Fix, type Hit } from '../../src/core/types.js';
import { clusterNameOf, eksctlGroupFlags } from '../../src/core/fix-format.js';
import { isNodeRow, rowRef, rowViews, viaRow } from './_shared.js';

type Message = 'unknownVariable' | 'unknownInNodeRow' | 'principalUsername';

const KNOWN = KNOWN_TEMPLATE_VARIABLES.map((v) => `{{${v}}}`).join(', ');

const FIX: Fix = {
  kubectl: `kubectl get configmap aws-auth -n kube-system -o yaml | sed {sed} | kubectl replace -f -`,
  eksctl: `eksctl create iamidentitymapping --cluster {cluster} --arn {arn} --username {fixedQuoted} {groupFlags}`,
  aws: `# access entries know only {{SessionName}} (not {{SessionNameRaw}}), after a ':' (mode API_AND_CONFIG_MAP or API):\naws eks create-access-entry --cluster-name {cluster} --principal-arn {arn} --username {entryUsername}`,
  terraform: `# terraform-aws-modules/eks//modules/aws-auth\naws_auth_roles = [{ rolearn = "{arn}", username = "{fixedUsername}", groups = {hclGroups} }]`,
  risks: [
    '`kubectl replace` fails if someone changed aws-auth since you read it: read it again and retry rather than forcing it.',
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
          const fixedUsername = closest ? row.username.replaceAll(variable, `{{${closest}}}`) : row.username;
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
              cluster: clusterNameOf(evidence),
              sed: closest
                ? `'s#${escapeSed(variable)}#{{${closest}}}#g'`
                : `'s#${escapeSed(variable)}#{{SessionName}}#g'`,
              fixedUsername,
              fixedQuoted: `'${fixedUsername.replaceAll("'", `'\\''`)}'`,
              entryUsername: `'${entryUsernameOf(fixedUsername)}'`,
              groupFlags: eksctlGroupFlags(
                row.groups.map((g) => (closest ? g.replaceAll(variable, `{{${closest}}}`) : g)),
              ),
              hclGroups: `[${row.groups.map((g) => JSON.stringify(closest ? g.replaceAll(variable, `{{${closest}}}`) : g)).join(', ')}]`,
            },
          });
        }
      }
    }
    return hits;
  },
});

/** The known variable the author most likely meant: same letters ignoring case and spaces, a prefix, else within 3 edits. */
function closestKnown(name: string): string | undefined {
  const norm = name.replace(/\s+/g, '').toLowerCase();
  const exact = KNOWN_TEMPLATE_VARIABLES.find((k) => k.toLowerCase() === norm);
  if (exact) return exact;
  // `{{Session}}`, `{{EC2}}`: the shortest known name it starts.
  const prefixed =
    norm.length >= 3
      ? KNOWN_TEMPLATE_VARIABLES.filter((k) => k.toLowerCase().startsWith(norm)).sort((a, b) => a.length - b.length)[0]
      : undefined;
  if (prefixed) return prefixed;
  // `{{SessionID}}`, `{{AccountNumber}}`: the known name sharing the longest start (5 letters at least).
  const shared = (known: string): number => {
    const k = known.toLowerCase();
    let n = 0;
    while (n < k.length && n < norm.length && k[n] === norm[n]) n++;
    return n;
  };
  const byPrefix = [...KNOWN_TEMPLATE_VARIABLES].sort((a, b) => shared(b) - shared(a) || a.length - b.length)[0];
  if (byPrefix && shared(byPrefix) >= 5) return byPrefix;
  let best: { name: string; distance: number } | undefined;
  for (const known of KNOWN_TEMPLATE_VARIABLES) {
    const distance = editDistance(norm, known.toLowerCase());
    if (distance <= 3 && (!best || distance < best.distance)) best = { name: known, distance };
  }
  return best?.name;
}

const escapeSed = (value: string): string => value.replace(/[\\.*[\]^$#]/g, '\\$&');

/** Access entries support {{SessionName}} only. */
const entryUsernameOf = (username: string): string =>
  username.replaceAll('{{SessionNameRaw}}', '{{SessionName}}').replaceAll("'", '');
