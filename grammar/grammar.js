/**
 * @file Annotated Article Markup (AAM): prose articles with numbered footnotes.
 * @license MIT OR Apache-2.0
 *
 * Almost all tokens come from the external scanner (src/scanner.c): block
 * structure is decided at line starts, and plain text is lexed in greedy runs
 * so a large article stays a small tree. Only the inside of a reference group
 * (`[1, 3-5]`) and the link punctuation `](` `)` are lexed by the generated
 * lexer, and only after the scanner has checked that they are complete.
 */

/// <reference types="tree-sitter-cli/dsl" />
// @ts-check

export default grammar({
  name: 'aam',

  extras: _ => [],

  externals: $ => [
    $._blank_line,
    $._eol,
    $._soft_break, // line break inside a paragraph
    $._list_break, // line break before an indented continuation of a list item
    $._note_break, // line break before an indented continuation of a footnote definition
    $._block_space,
    $.heading_marker,
    $.list_marker,
    $.block_quote_marker,
    $.note_label,
    $._note_colon,
    $._fence_open,
    $._fence_close,
    $.info_string,
    $.code_content,
    $._block_comment,
    $._front_matter_open,
    $._front_matter_close,
    $.front_matter_key,
    $._front_matter_colon,
    $.front_matter_value,
    $._front_matter_line,
    $._text,
    $.comment,
    $.code_span,
    $.url,
    $._reference_open,
    $._footnote_open,
    $._footnote_label,
    $._link_open,
    $._image_bang,
    $.link_text,
    $.link_destination,
    $._chunk_start,
    $._chunk_end,
    $._chunk_break, // a line break inside a paragraph that ends a chunk of its lines
    $._citation_open, // the `[` of a Pandoc citation group `[see @a, p. 3; -@b]`
    $._narrative_at, // the `@` of a narrative citation `@a says`
    $._error_sentinel,
  ],

  rules: {
    // The blocks are grouped in hidden chunks, each from a heading in the
    // first column to the next (or to the end), between two zero-width
    // tokens. Chunks are what make a reparse cheap: tree-sitter never reuses
    // a node of a plain `repeat` whole (it is reduced in a state that could
    // also shift, which marks it fragile), so without them every block of
    // the document was shifted again one by one after an edit. A chunk
    // starts and ends with a token and is reused whole. The first chunk has
    // no start token (the scanner cannot tell a front matter from a list
    // without reading it), so it is reused block by block, as before.
    document: $ => seq(
      optional($.front_matter),
      optional($._first_chunk),
      repeat($._chunk),
    ),

    _first_chunk: $ => seq(repeat1($._block), $._chunk_end),

    _chunk: $ => seq($._chunk_start, repeat1($._block), $._chunk_end),

    // ---------------------------------------------------------------- blocks

    front_matter: $ => seq(
      alias($._front_matter_open, $.front_matter_delimiter),
      $._eol,
      repeat(choice($.front_matter_entry, $._front_matter_line)),
      alias($._front_matter_close, $.front_matter_delimiter),
      $._eol,
    ),

    front_matter_entry: $ => seq(
      field('key', $.front_matter_key),
      alias($._front_matter_colon, ':'),
      optional($._block_space),
      optional(field('value', $.front_matter_value)),
      $._eol,
    ),

    _block: $ => choice(
      $.heading,
      $.paragraph,
      $.block_quote,
      $.list_item,
      $.fenced_code_block,
      $.footnote_definition,
      $._comment_block,
      $._blank_line,
    ),

    heading: $ => seq(
      field('marker', $.heading_marker),
      optional($._block_space),
      optional(field('content', alias($._inline_line, $.inline))),
      $._eol,
    ),

    paragraph: $ => seq(
      field('content', alias($._inline_paragraph, $.inline)),
      $._eol,
    ),

    block_quote: $ => prec.right(repeat1($._block_quote_line)),

    _block_quote_line: $ => seq(
      repeat1(seq($.block_quote_marker, optional($._block_space))),
      optional(field('content', alias($._inline_line, $.inline))),
      $._eol,
    ),

    list_item: $ => seq(
      field('marker', $.list_marker),
      optional($._block_space),
      optional(field('content', alias($._inline_list, $.inline))),
      $._eol,
    ),

    fenced_code_block: $ => seq(
      alias($._fence_open, $.code_fence_delimiter),
      optional($._block_space),
      optional(field('info', $.info_string)),
      $._eol,
      optional(field('content', $.code_content)),
      optional(seq(alias($._fence_close, $.code_fence_delimiter), $._eol)),
    ),

    footnote_definition: $ => seq(
      field('label', $.note_label),
      optional(alias($._note_colon, ':')),
      optional($._block_space),
      optional(field('content', alias($._inline_note, $.inline))),
      $._eol,
    ),

    _comment_block: $ => seq(alias($._block_comment, $.comment), $._eol),

    // ---------------------------------------------------------------- inline

    _inline_line: $ => repeat1($._inline_item),
    // A long paragraph's lines are grouped in hidden chunks, each ended by a
    // `_chunk_break` (a line break the scanner picks by the next line's first
    // characters), so that a reparse reuses the chunks an edit did not touch
    // whole instead of shifting their tokens one by one (see README.md).
    _inline_paragraph: $ => seq(repeat($._inline_chunk), $._inline_run),
    _inline_chunk: $ => seq($._inline_run, $._chunk_break),
    _inline_run: $ => seq($._inline_item, repeat(choice($._inline_item, $._soft_break))),
    _inline_list: $ => seq($._inline_item, repeat(choice($._inline_item, $._list_break))),
    _inline_note: $ => seq($._inline_item, repeat(choice($._inline_item, $._note_break))),

    _inline_item: $ => choice(
      $._text,
      $.reference_group,
      $.footnote_reference,
      $.citation_group,
      $.narrative_citation,
      $.code_span,
      $.link,
      $.url,
      $.comment,
    ),

    reference_group: $ => seq(
      alias($._reference_open, '['),
      $._reference_item,
      repeat(seq($._reference_comma, $._reference_item)),
      $._close_bracket,
    ),

    _reference_item: $ => choice($.reference_label, $.reference_range),

    reference_range: $ => seq(
      field('start', $.reference_label),
      choice(
        alias(token(/[ \t]*-[ \t]*/), '-'),
        alias(token(/[ \t]*–[ \t]*/), '–'),
      ),
      field('end', $.reference_label),
    ),

    reference_label: _ => /[0-9]+/,

    _reference_comma: _ => alias(token(/[ \t]*,[ \t]*/), ','),

    _close_bracket: _ => alias(token(/[ \t]*\]/), ']'),

    footnote_reference: $ => seq(
      alias($._footnote_open, '[^'),
      alias($._footnote_label, $.reference_label),
      $._close_bracket,
    ),

    // Pandoc citations. The scanner returns `_citation_open` only when the
    // whole group is on its line and every `;`-separated part holds exactly
    // one `@`, after a blank, a `-` or the part's start, before a key; the
    // inside is lexed here.
    citation_group: $ => seq(
      alias($._citation_open, '['),
      $.citation,
      repeat(seq($._citation_separator, $.citation)),
      $._close_bracket,
    ),

    citation: $ => seq(
      optional(field('prefix', $.citation_prefix)),
      optional(field('suppress', $.suppress_author)),
      '@',
      field('key', $.citation_key),
      optional(field('suffix', $.citation_suffix)),
    ),

    // A prefix ends with a blank before the `@` (or the `-@`).
    citation_prefix: _ => /[^@;\[\]\r\n]*[ \t]/,

    suppress_author: _ => '-',

    citation_suffix: _ => /[^@;\[\]\r\n]+/,

    // Letters, digits and `_`, with single inner punctuation (`a:b`, `a.b`);
    // trailing punctuation is not part of the key (Pandoc's rule).
    citation_key: _ => /[\p{L}\p{N}_]+([:.#$%&+?<>~\/-][\p{L}\p{N}_]+)*/,

    _citation_separator: _ => alias(token(/[ \t]*;[ \t]*/), ';'),

    narrative_citation: $ => seq(
      alias($._narrative_at, '@'),
      field('key', $.citation_key),
    ),

    link: $ => seq(
      optional(alias($._image_bang, '!')),
      alias($._link_open, '['),
      optional(field('text', $.link_text)),
      $._close_bracket,
      '(',
      optional(field('destination', $.link_destination)),
      ')',
    ),
  },
});
