/**
 * Builds an aws-auth ConfigMap file with each block as a literal (`|`) scalar, so that positions are
 * predictable: the first block's first line is line 8, column 5 (see `LINE_OF`).
 */
export function configMapText(data: Record<string, string>): string {
  const lines = [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: aws-auth',
    '  namespace: kube-system',
    'data:',
  ];
  for (const [key, value] of Object.entries(data)) {
    lines.push(`  ${key}: |`);
    for (const line of value.replace(/\n$/, '').split('\n')) lines.push(line === '' ? '' : `    ${line}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The file line of line `n` (1-based) of the first block. */
export const LINE_OF = (n: number): number => 7 + n;

/** A mapRoles/mapUsers row in block YAML. */
export function row(arnKey: string, arn: string, username = 'someone', groups: string[] = ['system:masters']): string {
  const lines = [`- ${arnKey}: ${arn}`, `  username: ${username}`];
  if (groups.length > 0) lines.push('  groups:', ...groups.map((g) => `    - ${g}`));
  return `${lines.join('\n')}\n`;
}

export const nodeRow = (arn: string): string =>
  row('rolearn', arn, 'system:node:{{EC2PrivateDNSName}}', ['system:bootstrappers', 'system:nodes']);
