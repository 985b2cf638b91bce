// Generates syntaxes/aam.tmLanguage.json (the regular expressions read better here).
// Run: node scripts/gen-tmlanguage.mjs > syntaxes/aam.tmLanguage.json; test/grammar.test.mjs checks the file is current.
const MONTH = String.raw`(?:January|February|March|April|May|June|July|August|September|October|November|December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?)`;
const WEEKDAY = String.raw`(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\.?)`;
const DAY = String.raw`\d{1,2}(?:st|nd|rd|th)?`;
const LABEL = String.raw`(?:\^[A-Za-z0-9_-]+|\d+)`;
const NUMS = String.raw`\d+(?:[ \t]*[-–][ \t]*\d+)?(?:[ \t]*,[ \t]*\d+(?:[ \t]*[-–][ \t]*\d+)?)*`;
const g = {
  $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
  name: 'AAM',
  scopeName: 'text.aam',
  fileTypes: ['aam'],
  patterns: [
    { include: '#front-matter' },
    { include: '#fenced-code' },
    { include: '#heading' },
    { include: '#note-definition' },
    { include: '#quote-marker' },
    { include: '#list-marker' },
    { include: '#inline' },
  ],
  repository: {
    'front-matter': {
      name: 'meta.embedded.front-matter.aam',
      begin: String.raw`\A(---)[ \t]*$`,
      end: String.raw`^(---)[ \t]*$`,
      beginCaptures: { 1: { name: 'punctuation.definition.front-matter.begin.aam' } },
      endCaptures: { 1: { name: 'punctuation.definition.front-matter.end.aam' } },
      patterns: [
        {
          match: String.raw`^([A-Za-z][A-Za-z0-9_-]*)[ \t]*(:)[ \t]*(.*)$`,
          captures: {
            1: { name: 'support.type.property-name.front-matter.aam' },
            2: { name: 'punctuation.separator.key-value.aam' },
            3: { name: 'string.unquoted.front-matter.aam', patterns: [{ include: '#date' }] },
          },
        },
      ],
    },
    'fenced-code': {
      name: 'markup.fenced_code.block.aam',
      begin: String.raw`^([ \t]{0,3})(\x60{3,}|~{3,})[ \t]*([^\x60\s]*)[^\n]*$`,
      end: String.raw`^[ \t]{0,3}(\2)[ \t]*$`,
      beginCaptures: {
        2: { name: 'punctuation.definition.markdown.aam' },
        3: { name: 'fenced_code.block.language.aam' },
      },
      endCaptures: { 1: { name: 'punctuation.definition.markdown.aam' } },
      contentName: 'markup.raw.block.aam',
    },
    heading: {
      name: 'markup.heading.aam',
      begin: String.raw`^(#{1,6})[ \t]+`,
      end: '$',
      beginCaptures: { 1: { name: 'punctuation.definition.heading.aam' } },
      contentName: 'entity.name.section.aam',
      patterns: [{ include: '#inline' }],
    },
    'note-definition': {
      name: 'meta.note.definition.aam',
      begin: String.raw`^(\[)(${LABEL})(\])(:)?(?=[ \t]|$)`,
      end: String.raw`^(?=[ \t]?\S|[ \t]*$)`,
      beginCaptures: {
        1: { name: 'punctuation.definition.note.begin.aam' },
        2: { name: 'entity.name.type.note.aam' },
        3: { name: 'punctuation.definition.note.end.aam' },
        4: { name: 'punctuation.separator.key-value.aam' },
      },
      patterns: [
        { match: String.raw`\G[ \t]+((?i:ibid|id)\.?)(?=[\s,;:]|$)`, captures: { 1: { name: 'keyword.other.ibid.aam' } } },
        { name: 'string.quoted.double.title.aam', match: '“[^”\\n]*”|"[^"\\n]*"' },
        { include: '#inline' },
      ],
    },
    'quote-marker': {
      match: String.raw`^[ \t]{0,3}(>)[ \t]?`,
      captures: { 1: { name: 'punctuation.definition.quote.begin.aam' } },
    },
    'list-marker': {
      match: String.raw`^[ \t]*([-*]|\d+\.)(?=[ \t])`,
      captures: { 1: { name: 'punctuation.definition.list.begin.aam' } },
    },
    inline: {
      patterns: [
        { include: '#comment' },
        { include: '#code-span' },
        { include: '#link' },
        { include: '#url' },
        { include: '#reference' },
        { include: '#date' },
      ],
    },
    comment: {
      name: 'comment.block.aam',
      begin: '<!--',
      end: '-->',
      captures: { 0: { name: 'punctuation.definition.comment.aam' } },
      patterns: [
        { name: 'keyword.control.directive.aam', match: String.raw`\baam-(?:disable-next-line|disable|enable)\b` },
        { name: 'constant.language.rule.aam', match: String.raw`\bAAM\d{3}\b` },
      ],
    },
    'code-span': {
      name: 'markup.inline.raw.string.aam',
      match: String.raw`(\x60+)(?!\x60).*?(?<!\x60)\1(?!\x60)`,
    },
    link: {
      name: 'meta.link.inline.aam',
      match: String.raw`(\[)([^\]\n]*)(\])(\()([^)\s]*)(\))`,
      captures: {
        1: { name: 'punctuation.definition.link.title.begin.aam' },
        2: { name: 'string.other.link.title.aam' },
        3: { name: 'punctuation.definition.link.title.end.aam' },
        4: { name: 'punctuation.definition.link.begin.aam' },
        5: { name: 'markup.underline.link.aam' },
        6: { name: 'punctuation.definition.link.end.aam' },
      },
    },
    url: {
      name: 'markup.underline.link.aam',
      match: String.raw`\b(?:https?|ftp)://[^\s<>"“”'’)\]]*[^\s<>"“”'’)\].,;:!?]`,
    },
    reference: {
      patterns: [
        {
          name: 'meta.reference.aam',
          match: String.raw`(\[)(${NUMS}|\^[A-Za-z0-9_-]+)(\])(?![(:])`,
          captures: {
            1: { name: 'punctuation.definition.reference.begin.aam' },
            2: { name: 'variable.other.reference.aam' },
            3: { name: 'punctuation.definition.reference.end.aam' },
          },
        },
      ],
    },
    date: {
      name: 'constant.numeric.date.aam',
      match: [
        String.raw`\b(?:${WEEKDAY},?[ \t]+)?${MONTH}[ \t]+${DAY}\b(?:,?[ \t]+\d{4}\b)?`,
        String.raw`\b(?:${WEEKDAY},?[ \t]+)?(?:the[ \t]+)?${DAY}[ \t]+(?:of[ \t]+)?${MONTH}(?:,?[ \t]+\d{4}\b)?`,
        String.raw`\b${MONTH}[ \t]+\d{4}\b`,
        String.raw`\b\d{4}-\d{2}-\d{2}\b`,
        String.raw`\b\d{1,2}/\d{1,2}/\d{2,4}\b`,
        String.raw`\b\d{3}0s\b`,
        '(?<=' + ['in', 'In', 'since', 'Since', 'until', 'Until', 'by', 'from', 'From', 'before', 'Before', 'after', 'After', 'during', 'During'].map((w) => String.raw`\b${w}[ \t]`).join('|') + String.raw`)\d{4}\b`,
      ].join('|'),
    },
  },
};
process.stdout.write(JSON.stringify(g, null, 2) + '\n');
