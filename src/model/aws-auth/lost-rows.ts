import type { BlockKey } from './types.js';

export interface RecoveredRow {
  block: BlockKey;
  index: number;
  arn: string;
  username: string;
  groups: string[];
  /** Offset of the row in the block text. */
  at: number;
}

const ARN_LINE = /^(\s*-?\s*)(rolearn|userarn)\s*:\s*(.*)$/i;
const USERNAME_LINE = /^\s*-?\s*username\s*:\s*(.*)$/i;
const GROUP_ITEM = /^\s*-\s+(["']?)([^"'\s][^"']*)\1\s*$/;
const ITEM_START = /^(\s*)-(\s|$)/;

/**
 * When a block fails to parse, EKS keeps none of it. To say what that takes down, read the rows
 * back from the text line by line, the way a person would, without trusting the YAML. A row's index
 * is its item's place in the block, as the parsed rows count them: items without an ARN (an `sso`
 * row, a row missing its `rolearn`) still take a place. A second ARN key within one item is read
 * as the start of another row.
 */
export function recoverLostRows(block: BlockKey, text: string): RecoveredRow[] {
  if (block === 'mapAccounts') return [];
  const rows: RecoveredRow[] = [];
  let offset = 0;
  let current: RecoveredRow | undefined;
  let itemIndent: string | undefined;
  let item = -1;
  let itemHasArn = false;
  for (const line of text.split('\n')) {
    const start = ITEM_START.exec(line);
    // The first item sets the rows' indentation; deeper items are group entries.
    if (start && (itemIndent === undefined || start[1] === itemIndent)) {
      itemIndent = start[1];
      item++;
      itemHasArn = false;
    }
    const arn = ARN_LINE.exec(line);
    if (arn) {
      if (itemHasArn || item < 0) item++;
      itemHasArn = true;
      current = {
        block,
        index: item,
        // Stryker disable next-line StringLiteral: the pattern's groups always take part in a match
        arn: unquote(arn[3] ?? ''),
        username: '',
        groups: [],
        at: offset + (arn[1]?.length ?? 0),
      };
      rows.push(current);
    } else if (current) {
      const username = USERNAME_LINE.exec(line);
      const group = GROUP_ITEM.exec(line);
      // Stryker disable next-line StringLiteral: the pattern's groups always take part in a match
      if (username) current.username = unquote(username[1] ?? '');
      // Stryker disable next-line StringLiteral: the pattern's groups always take part in a match
      else if (group && !/:\s/.test(line)) current.groups.push(group[2] ?? '');
    }
    offset += line.length + 1;
  }
  return rows;
}

function unquote(value: string): string {
  const trimmed = value.replace(/\s+#.*$/, '').trim();
  const quoted = /^(["'])(.*)\1$/.exec(trimmed);
  // Stryker disable next-line StringLiteral: the pattern's groups always take part in a match
  return quoted ? (quoted[2] ?? '') : trimmed;
}
