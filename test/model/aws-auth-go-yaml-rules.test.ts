import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { goYamlLexicalError, goYamlReadsUpTo } from '../../src/model/aws-auth/go-yaml-rules.js';

// The rules on their own, where the model's later steps would hide a mistake (the whole parser reads
// these texts right either way). Each expectation is the Go referee's answer to the lexical case named
// (test/referee/lexical-cases.ts, answers in lexical-answers.json).
const parse = (text: string) =>
  parseAllDocuments(text, { schema: 'failsafe', version: '1.1', uniqueKeys: false, strict: true, prettyErrors: false });

describe('goYamlReadsUpTo: how much of an indented root list go-yaml reads', () => {
  it('reads on past a less indented line that starts with a tab (go-yaml refuses that tab)', () => {
    // 'indented root list, then a tab-indented scalar line': "line 3: found a tab character that violates indentation"
    const text = '  - rolearn: x\n    username: ops\n\tx\n';
    expect(goYamlReadsUpTo(text)).toBe(text.length);
  });

  it('stops at the first line indented less than the list, a tab later in that line or not', () => {
    // 'indented root list, a tab in a dedented line': go-yaml reads the one row and ignores the rest
    const text = '  - rolearn: x\n    username: ops\n- b\tc: [\n';
    expect(goYamlReadsUpTo(text)).toBe(text.indexOf('- b'));
  });
});

describe('goYamlLexicalError: go-yaml’s tab rules stop where the next document begins', () => {
  it('ignores a tab that starts the document after an end marker', () => {
    // 'a tab starting the document after an end marker (past the fast path)': go-yaml reads the row
    const text = '- rolearn: x\n  username: &u ops\n...\n\tx\n';
    const [first, next] = parse(text);
    expect(next?.range[0]).toBe(text.indexOf('\t'));
    expect(goYamlLexicalError(text, first, next?.range[0] ?? text.length)).toBeUndefined();
  });

  it('finds that tab when the document goes on', () => {
    // 'a tab-indented line after an anchored row': go-yaml "line 3: found a tab character that violates
    // indentation", which the rules word as their other tab error (as for 'line of only a tab')
    const text = '- rolearn: x\n  username: &u ops\n\tx\n';
    const [first] = parse(text);
    expect(goYamlLexicalError(text, first, text.length)).toEqual({
      message: 'yaml: found character that cannot start any token',
      at: text.indexOf('\t'),
    });
  });
});
