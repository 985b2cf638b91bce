// The TextMate grammar, tokenized by the same engine VS Code uses
// (vscode-textmate + vscode-oniguruma). Run: node --test test/grammar.test.mjs

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const grammarPath = path.join(root, 'syntaxes', 'aam.tmLanguage.json');

async function loadGrammar() {
  const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')).buffer;
  await oniguruma.loadWASM(wasm);
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources) => new oniguruma.OnigScanner(sources),
      createOnigString: (text) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName) =>
      scopeName === 'text.aam' ? vsctm.parseRawGrammar(readFileSync(grammarPath, 'utf8'), grammarPath) : null,
  });
  return registry.loadGrammar('text.aam');
}

const grammar = await loadGrammar();

/** Every token of `text` as [line, text, scopes joined by spaces]. */
function tokenize(text) {
  const tokens = [];
  let stack = vsctm.INITIAL;
  text.split('\n').forEach((line, index) => {
    const result = grammar.tokenizeLine(line, stack);
    for (const token of result.tokens) {
      tokens.push([index, line.slice(token.startIndex, token.endIndex), token.scopes.join(' ')]);
    }
    stack = result.ruleStack;
  });
  return tokens;
}

/** The scopes of the first token whose text is `text` (on `line` if given). */
function scopesOf(tokens, text, line) {
  const token = tokens.find(([l, t]) => t === text && (line === undefined || l === line));
  assert.ok(token, `no token ${JSON.stringify(text)} in ${JSON.stringify(tokens.map(([, t]) => t))}`);
  return token[2];
}

test('the committed grammar is what scripts/gen-tmlanguage.mjs generates', () => {
  const generated = execFileSync(process.execPath, [path.join(root, 'scripts', 'gen-tmlanguage.mjs')], { encoding: 'utf8' });
  assert.equal(readFileSync(grammarPath, 'utf8'), generated);
});

test('front matter keys, values and dates', () => {
  const tokens = tokenize('---\ntitle: The harbour\ndate: 2024-03-14\n---\n\nText from 2023-01-02.');
  assert.match(scopesOf(tokens, '---', 0), /punctuation\.definition\.front-matter\.begin/);
  assert.match(scopesOf(tokens, 'title'), /support\.type\.property-name\.front-matter/);
  assert.match(scopesOf(tokens, 'The harbour'), /string\.unquoted\.front-matter/);
  assert.match(scopesOf(tokens, '2024-03-14'), /meta\.embedded\.front-matter\.aam .*constant\.numeric\.date/);
  assert.match(scopesOf(tokens, '---', 3), /punctuation\.definition\.front-matter\.end/);
  assert.doesNotMatch(scopesOf(tokens, '2023-01-02'), /front-matter/);
});

test('a --- line that does not open the file is not front matter', () => {
  const tokens = tokenize('Text.\n---\ntitle: x\n---');
  assert.doesNotMatch(scopesOf(tokens, 'title: x'), /front-matter/);
});

test('headings', () => {
  const tokens = tokenize('# The harbour expansion\n\n###### Deep\n####### not a heading');
  assert.match(scopesOf(tokens, '#'), /markup\.heading\.aam punctuation\.definition\.heading/);
  assert.match(scopesOf(tokens, 'The harbour expansion'), /markup\.heading\.aam entity\.name\.section/);
  assert.match(scopesOf(tokens, 'Deep'), /markup\.heading/);
  assert.doesNotMatch(scopesOf(tokens, '####### not a heading'), /markup\.heading/);
});

test('references: single, touching, groups, ranges, labels; not [sic] or links', () => {
  const tokens = tokenize('in 2011[5] relations.[4] both [1, 3] or [2–4] and [^moscow-visit] but [sic] and [text](https://x.org) end.');
  for (const label of ['5', '4', '1, 3', '2–4', '^moscow-visit']) {
    assert.match(scopesOf(tokens, label), /meta\.reference\.aam variable\.other\.reference\.aam/, label);
  }
  assert.match(scopesOf(tokens, '['), /punctuation\.definition\.reference\.begin/);
  assert.doesNotMatch(scopesOf(tokens, ' but [sic] and '), /reference/);
  assert.match(scopesOf(tokens, 'text'), /string\.other\.link\.title/);
  assert.match(scopesOf(tokens, 'https://x.org'), /meta\.link\.inline\.aam markup\.underline\.link/);
});

test('note definitions: labels, titles, dates, URLs, Ibid, continuation lines', () => {
  const text = [
    '[1] M. Okafor, “New cranes”, Port Weekly, June 2, 2023, https://example.com/port-weekly/cranes',
    '[2] Ibid.',
    '[^moscow-visit]: "Rudenko visits Beijing", TASS, June 25, 2023',
    '  continued on 2023-06-26',
    'Not a note 2023-06-27',
  ].join('\n');
  const tokens = tokenize(text);
  assert.match(scopesOf(tokens, '1', 0), /meta\.note\.definition\.aam entity\.name\.type\.note/);
  assert.match(scopesOf(tokens, '“New cranes”'), /string\.quoted\.double\.title/);
  assert.match(scopesOf(tokens, 'June 2, 2023'), /meta\.note\.definition\.aam constant\.numeric\.date/);
  assert.match(scopesOf(tokens, 'https://example.com/port-weekly/cranes'), /markup\.underline\.link/);
  assert.match(scopesOf(tokens, 'Ibid.'), /keyword\.other\.ibid/);
  assert.match(scopesOf(tokens, '^moscow-visit', 2), /entity\.name\.type\.note/);
  assert.match(scopesOf(tokens, ':', 2), /punctuation\.separator\.key-value/);
  assert.match(scopesOf(tokens, '2023-06-26'), /meta\.note\.definition\.aam constant\.numeric\.date/);
  assert.doesNotMatch(scopesOf(tokens, '2023-06-27'), /meta\.note\.definition/);
});

test('dates in the forms the rules read', () => {
  const tokens = tokenize(
    'On Wednesday, March 14, 2023 and June 25th, 2023, 25 June 2023, Jun. 25, 2023, 2023-06-25, 03/04/2023, June 25, May 2023, in 1996, the 1950s; not 1234 or 120 million.',
  );
  for (const date of [
    'Wednesday, March 14, 2023',
    'June 25th, 2023',
    '25 June 2023',
    'Jun. 25, 2023',
    '2023-06-25',
    '03/04/2023',
    'June 25',
    'May 2023',
    '1996',
    '1950s',
  ]) {
    assert.match(scopesOf(tokens, date), /constant\.numeric\.date\.aam/, date);
  }
  assert.ok(!tokens.some(([, t, s]) => /1234|120/.test(t) && /date/.test(s)), 'a bare number is not a date');
});

test('URLs do not swallow closing punctuation, and dates inside URLs stay URL', () => {
  const tokens = tokenize('See https://example.com/news/2023/03/15/harbour. Then (https://a.org/x).');
  assert.match(scopesOf(tokens, 'https://example.com/news/2023/03/15/harbour'), /^text\.aam markup\.underline\.link\.aam$/);
  assert.match(scopesOf(tokens, 'https://a.org/x'), /markup\.underline\.link/);
});

test('comments, with suppression directives and codes, across lines', () => {
  const tokens = tokenize('<!-- aam-disable-next-line AAM202 -->\nText <!-- a\nmultiline [1] comment --> after [2].');
  assert.match(scopesOf(tokens, 'aam-disable-next-line'), /comment\.block\.aam keyword\.control\.directive/);
  assert.match(scopesOf(tokens, 'AAM202'), /comment\.block\.aam constant\.language\.rule/);
  assert.match(scopesOf(tokens, 'multiline [1] comment '), /comment\.block\.aam/);
  assert.match(scopesOf(tokens, '2'), /variable\.other\.reference/);
});

test('code spans and fenced code hide references and dates', () => {
  const tokens = tokenize('Use `[1] 2023-06-25` here.\n\n```text\n[1] June 25, 2023\n```\nAfter [3].');
  assert.match(scopesOf(tokens, '`[1] 2023-06-25`'), /markup\.inline\.raw/);
  assert.match(scopesOf(tokens, '[1] June 25, 2023'), /markup\.fenced_code\.block\.aam markup\.raw\.block/);
  assert.match(scopesOf(tokens, 'text'), /fenced_code\.block\.language/);
  assert.match(scopesOf(tokens, '3'), /^text\.aam meta\.reference\.aam variable\.other\.reference\.aam$/);
});

test('quotes and list markers', () => {
  const tokens = tokenize('> Quoted [1].\n- item\n* item\n12. item');
  assert.match(scopesOf(tokens, '>'), /punctuation\.definition\.quote\.begin/);
  assert.match(scopesOf(tokens, '-'), /punctuation\.definition\.list\.begin/);
  assert.match(scopesOf(tokens, '*'), /punctuation\.definition\.list\.begin/);
  assert.match(scopesOf(tokens, '12.'), /punctuation\.definition\.list\.begin/);
});

test('every line of the example articles tokenizes, and each has references and notes', () => {
  for (const file of ['../../examples/harbour-report.aam', '../../grammar/test/examples/seed-article.aam']) {
    const text = readFileSync(path.join(root, file), 'utf8');
    const tokens = tokenize(text);
    assert.ok(tokens.some(([, , s]) => /variable\.other\.reference/.test(s)), `${file}: no reference`);
    assert.ok(tokens.some(([, , s]) => /entity\.name\.type\.note/.test(s)), `${file}: no note label`);
    assert.ok(tokens.some(([, , s]) => /constant\.numeric\.date/.test(s)), `${file}: no date`);
  }
});
