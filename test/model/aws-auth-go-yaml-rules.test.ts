import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import {
  goYamlLexicalError,
  goYamlReadsUpTo,
  scanGoTag,
  withGoYamlTags,
} from '../../src/model/aws-auth/go-yaml-rules.js';

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

// go-yaml v2's scannerc.go: yaml_parser_scan_tag_handle takes `!`, letters, digits, `_` and `-`,
// and a closing `!`; yaml_parser_scan_tag_uri takes letters, digits and ;/?:@&=+$,.!~*'()[]%
// (the lexical cases "tag extent: …" hold the referee's answers for whole documents).
describe('scanGoTag: where go-yaml v2 ends a tag', () => {
  it('takes every URI character of go-yaml, flow indicators `,`, `[` and `]` included', () => {
    const uri = "a;/?:@&=+$,.!~*'()[]%41_-9";
    expect(scanGoTag(`!${uri} x`, 0)).toEqual({ suffixAt: 1, end: 1 + uri.length });
  });
  it.each(['#', '{', '}', '"', '`', '|', '>', '<', '^', '\\', ' ', '\t', '\n'])('stops at %j', (stop) => {
    expect(scanGoTag(`- !ab${stop}c`, 2).end).toBe(5);
  });
  it('reads a named handle, the secondary handle, and a local tag whose `!` comes after a non-handle character', () => {
    expect(scanGoTag('!e-_9!a,b x', 0)).toEqual({ suffixAt: 6, end: 9 });
    expect(scanGoTag('!!str] x', 0)).toEqual({ suffixAt: 2, end: 6 });
    expect(scanGoTag('!a,!b x', 0)).toEqual({ suffixAt: 1, end: 5 });
    expect(scanGoTag('! x', 0)).toEqual({ suffixAt: 1, end: 1 });
  });
  it('starts at the offset given', () => {
    expect(scanGoTag('[a, !b], c]', 4)).toEqual({ suffixAt: 5, end: 8 });
  });
});

describe('withGoYamlTags: the text the `yaml` library must read for go-yaml’s tags', () => {
  it('rewrites a suffix that holds a flow indicator under the same handle, offset for offset', () => {
    expect(withGoYamlTags('[!a, x]')).toEqual({ text: '[!~~ x]' });
    expect(withGoYamlTags('- !!str] x')).toEqual({ text: '- !!~~~~ x' });
    expect(withGoYamlTags('- !e!a[b] y')).toEqual({ text: '- !e!~~~~ y' });
    expect(withGoYamlTags('[!]')).toEqual({ text: '[!~' });
  });
  it('leaves other tags, verbatim tags, quoted and plain text as they are', () => {
    const text = '- !a x\n- !<a,b> y\n- "!a,b" z\n- a!b,c';
    expect(withGoYamlTags(text)).toEqual({ text });
  });
  it('names the first tag go-yaml refuses for lack of a blank after it, and still rewrites the others', () => {
    expect(withGoYamlTags('- !a, x\n- !b#c y\n- !d#e z')).toEqual({
      text: '- !~~ x\n- !b#c y\n- !d#e z',
      error: { message: 'yaml: did not find expected whitespace or line break', at: 10 },
    });
  });
  it('accepts a tag at the very end of the text, or before a line break', () => {
    expect(withGoYamlTags('- !a\n- !b')).toEqual({ text: '- !a\n- !b' });
  });
});
