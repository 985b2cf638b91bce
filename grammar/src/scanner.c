/*
 * External scanner for AAM (Annotated Article Markup).
 *
 * The scanner decides block structure at line starts (headings, quotes, list
 * items, fences, footnote definitions, comments, front matter) and lexes
 * inline text in greedy runs. Every decision that depends on what follows is
 * made by looking ahead past `mark_end`, so tree-sitter records the lookahead
 * and incremental reparsing stays correct. The only state is the opening
 * fence (character and length) of the fenced code block being scanned.
 *
 * Rule of the house: never return a token that is not valid, and in every
 * inline state there is always some token (plain text is the fallback), so
 * prose never produces an ERROR node.
 */

#include "tree_sitter/alloc.h"
#include "tree_sitter/parser.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

enum TokenType {
  BLANK_LINE,
  EOL,
  SOFT_BREAK,
  LIST_BREAK,
  NOTE_BREAK,
  BLOCK_SPACE,
  HEADING_MARKER,
  LIST_MARKER,
  QUOTE_MARKER,
  NOTE_LABEL,
  NOTE_COLON,
  FENCE_OPEN,
  FENCE_CLOSE,
  INFO_STRING,
  CODE_CONTENT,
  BLOCK_COMMENT,
  FM_OPEN,
  FM_CLOSE,
  FM_KEY,
  FM_COLON,
  FM_VALUE,
  FM_LINE,
  TEXT,
  COMMENT,
  CODE_SPAN,
  URL,
  REF_OPEN,
  FN_OPEN,
  FN_LABEL,
  LINK_OPEN,
  IMAGE_BANG,
  LINK_TEXT,
  LINK_DEST,
  CHUNK_START,
  CHUNK_END,
  CHUNK_BREAK,
  CITATION_OPEN,
  NARRATIVE_AT,
  ERROR_SENTINEL,
};

/* Bounds on inline lookahead, so pathological lines stay linear-ish. */
#define MAX_BRACKET_SCAN 1024 /* characters inside `[...]` */
#define MAX_BRACKET_DEPTH 4 /* nested `[` inside a link text */
#define MAX_DEST_SCAN 2048    /* characters inside `(...)` of a link */
#define MAX_PAREN_DEPTH 4
#define MAX_CODE_SPAN_SCAN 4096
#define MAX_LABEL 256
#define MAX_FENCE_LEN 255

typedef struct {
  uint8_t fence_char; /* '`' or '~' while inside a fenced block */
  uint8_t fence_len;
  /* Set by the `_eol` that ends a note, list item or paragraph when the next
   * line is a cut (`block_cut`): the block after it starts a new chunk.
   * Cleared by the next token. */
  bool cut_pending;
} Scanner;

/* ------------------------------------------------------------ helpers */

static inline void adv(TSLexer *l) { l->advance(l, false); }
static inline void skip(TSLexer *l) { l->advance(l, true); }
static inline bool is_eof(TSLexer *l) { return l->eof(l); }

static inline bool is_hspace(int32_t c) { return c == ' ' || c == '\t'; }
static inline bool is_nl(int32_t c) { return c == '\n' || c == '\r'; }
static inline bool is_digit(int32_t c) { return c >= '0' && c <= '9'; }
static inline bool is_ascii_alnum(int32_t c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline bool at_line_end(TSLexer *l) {
  int32_t c = l->lookahead;
  return c == '\n' || c == '\r' || (c == 0 && is_eof(l));
}

/* Consumes one line ending: `\r\n`, `\n` or a lone `\r`. */
static inline void consume_newline(TSLexer *l) {
  if (l->lookahead == '\r') {
    adv(l);
    if (l->lookahead == '\n') adv(l);
  } else if (l->lookahead == '\n') {
    adv(l);
  }
}

/* Unicode white space (besides tab/space/newlines handled elsewhere). */
static bool is_unicode_space(int32_t c) {
  return c == 0x0B || c == 0x0C || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200B) || c == 0x2028 || c == 0x2029 ||
         c == 0x202F || c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

/* Approximation of "a letter or digit" beyond ASCII: everything outside the
 * common punctuation, symbol, space and emoji blocks. */
static bool is_label_char(int32_t c) {
  if (c < 0x80) return is_ascii_alnum(c) || c == '_' || c == '-';
  if (c <= 0xBF || c == 0xD7 || c == 0xF7) return false;
  if (c >= 0x2000 && c <= 0x2BFF) return false;
  if (c >= 0x3000 && c <= 0x303F) return false;
  if (c >= 0xD800 && c <= 0xF8FF) return false;
  if (c >= 0xFE30 && c <= 0xFE4F) return false;
  if (c >= 0xFF00 && c <= 0xFF0F) return false;
  if (c >= 0xFF1A && c <= 0xFF20) return false;
  if (c >= 0xFF3B && c <= 0xFF40) return false;
  if (c >= 0xFF5B && c <= 0xFF65) return false;
  if (c >= 0x1F000 && c <= 0x1FAFF) return false;
  return true;
}

/* A character that may start a citation key (Pandoc: a letter, digit or
 * `_`). */
static inline bool is_key_start(int32_t c) {
  return c < 0x80 ? is_ascii_alnum(c) || c == '_' : is_label_char(c);
}

/* A character after which an `@` is inside a word (`ann@example.org`), not
 * the start of a citation. */
static inline bool is_word_char(int32_t c) {
  return c < 0x80 ? is_ascii_alnum(c) || c == '_' : is_label_char(c);
}

/* A character that may appear in a bare URL. */
static bool is_url_char(int32_t c) {
  if (c <= ' ' || c == 0x7F) return false;
  switch (c) {
    case '<': case '>': case '[': case ']': case '"': case '`':
      return false;
    default:
      return !is_unicode_space(c);
  }
}

/* Punctuation that ends a sentence rather than a URL when it trails. */
static bool is_url_trailing_punct(int32_t c) {
  switch (c) {
    case '.': case ',': case ';': case ':': case '!': case '?': case '\'':
    case '*': case '_': case '~':
    case 0x2018: case 0x2019: case 0x201C: case 0x201D: /* curly quotes */
    case 0x00BB: case 0x203A: case 0x2026:              /* » › … */
    case 0x3001: case 0x3002: case 0xFF0C: case 0xFF0E: /* 、 。 ， ． */
    case 0xFF1A: case 0xFF1B: case 0xFF01: case 0xFF1F: /* ： ； ！ ？ */
      return true;
    default:
      return false;
  }
}

/* Skips spaces and tabs (consumed, not skipped) and returns their width in
 * columns, a tab advancing to the next multiple of 4. */
static uint32_t consume_indent(TSLexer *l) {
  uint32_t indent = 0;
  while (is_hspace(l->lookahead)) {
    indent = l->lookahead == '\t' ? (indent / 4 + 1) * 4 : indent + 1;
    adv(l);
  }
  return indent;
}

/* ------------------------------------------------------------ line tests
 * These look ahead from the start of a line (after its indentation) and say
 * whether the line starts a given block. They consume characters; callers
 * only use them past `mark_end`, or return right after. */

/* `-`/`*` + space, or 1-3 digits + `.` + space. With `interrupt`, the item
 * must have content, and an ordered item must be numbered `1`. */
static bool line_starts_list_item(TSLexer *l, bool interrupt) {
  int32_t c = l->lookahead;
  if (c == '-' || c == '*') {
    adv(l);
  } else if (is_digit(c)) {
    uint32_t n = 0;
    bool one = c == '1';
    while (is_digit(l->lookahead) && n < 4) {
      adv(l);
      n++;
    }
    if (n > 3 || l->lookahead != '.') return false;
    if (interrupt && !(one && n == 1)) return false;
    adv(l);
  } else {
    return false;
  }
  if (!is_hspace(l->lookahead)) return false;
  if (!interrupt) return true;
  while (is_hspace(l->lookahead)) adv(l);
  return !at_line_end(l);
}

/* `[12]` followed by `:`, space or line end, or `[^label]:`. */
static bool line_starts_definition(TSLexer *l) {
  if (l->lookahead != '[') return false;
  adv(l);
  if (l->lookahead == '^') {
    adv(l);
    uint32_t n = 0;
    while (is_label_char(l->lookahead) && n <= MAX_LABEL) {
      adv(l);
      n++;
    }
    if (n == 0 || n > MAX_LABEL || l->lookahead != ']') return false;
    adv(l);
    return l->lookahead == ':';
  }
  uint32_t n = 0;
  while (is_digit(l->lookahead) && n <= MAX_BRACKET_SCAN) {
    adv(l);
    n++;
  }
  if (n == 0 || l->lookahead != ']') return false;
  adv(l);
  return l->lookahead == ':' || is_hspace(l->lookahead) || at_line_end(l);
}

/* Blocks other than list items, which may be indented by at most 3 columns. */
static bool line_starts_other_block(TSLexer *l, uint32_t indent) {
  if (indent > 3) return false;
  int32_t c = l->lookahead;
  switch (c) {
    case '#': {
      uint32_t n = 0;
      while (l->lookahead == '#' && n < 7) {
        adv(l);
        n++;
      }
      return n <= 6 && (is_hspace(l->lookahead) || at_line_end(l));
    }
    case '>':
      adv(l);
      return is_hspace(l->lookahead) || at_line_end(l) || l->lookahead == '>';
    case '~':
    case '`': {
      uint32_t n = 0;
      while (l->lookahead == c) {
        adv(l);
        n++;
      }
      if (n < 3) return false;
      if (c == '~') return true;
      while (!at_line_end(l)) {
        if (l->lookahead == '`') return false;
        adv(l);
      }
      return true;
    }
    case '<':
      adv(l);
      if (l->lookahead != '!') return false;
      adv(l);
      if (l->lookahead != '-') return false;
      adv(l);
      return l->lookahead == '-';
    case '[':
      return indent == 0 && line_starts_definition(l);
    default:
      return false;
  }
}

/* After a line break inside a paragraph and the next line's indent: does
 * the line continue the paragraph? */
static bool paragraph_continues(TSLexer *l, uint32_t indent) {
  if (at_line_end(l)) return false;
  int32_t c = l->lookahead;
  if (c == '-' || c == '*' || is_digit(c)) return !line_starts_list_item(l, true);
  return !line_starts_other_block(l, indent);
}

/* After a line break and the next line's indent: may the line go on a run
 * of plain text? Not a blank, a digit, or any of `- * # > ~ ` < [`, so it
 * starts no block either: inside a paragraph, the paragraph goes on. */
static bool starts_plain_line(int32_t c) {
  if (c >= 0x80) return true;
  if (c <= ' ' || is_digit(c)) return false;
  switch (c) {
    case '-': case '*': case '#': case '>': case '~': case '`': case '<': case '[':
      return false;
    default:
      return true;
  }
}

/* After a line break inside a list item or footnote definition: is the next
 * line an indented continuation (two spaces or a tab)? A list item also
 * stops at a nested list item. */
static bool continuation_follows(TSLexer *l, bool in_list) {
  uint32_t indent = consume_indent(l);
  if (at_line_end(l)) return false;
  if (indent < 2) return false;
  if (in_list && line_starts_list_item(l, false)) return false;
  return true;
}

/* A `---` line (trailing blanks allowed); consumes it up to the line end. */
static bool line_is_front_matter_delimiter(TSLexer *l) {
  uint32_t n = 0;
  while (l->lookahead == '-' && n < 4) {
    adv(l);
    n++;
  }
  if (n != 3) return false;
  while (is_hspace(l->lookahead)) adv(l);
  return at_line_end(l);
}

/* ------------------------------------------------------------ inline */

static bool scan_text(TSLexer *l, const bool *valid, bool has);

/* Scans the inside of `[...]` from after the `[` (and its blanks) up to the
 * matching `]`, without consuming it. Reports whether the content is a valid
 * reference group (`1`, `1, 3`, `2-4`, `2–4`, `1, 3-5`) and whether it is
 * digits only. Single line, bounded. */
typedef struct {
  bool closed;
  bool reference;
  bool digits_only;
  /* A Pandoc citation group: every `;`-separated part holds exactly one
   * `@`, after the part's start, a blank, or a `-` after one of those, and
   * before a key character; no nested brackets, no backslash. */
  bool citation;
} BracketBody;

/* The citation test of `scan_bracket_body`, one part at a time. */
typedef struct {
  uint32_t n_at;     /* `@`s in the part */
  bool cited;        /* its `@` was well placed and a key character followed */
  bool at_pending;   /* the previous character was a well-placed `@` */
  bool dead;         /* the group can no longer be a citation */
  int32_t prev;      /* the previous character (0 at the part's start) */
  int32_t prev2;     /* the one before it */
} CitationScan;

static inline bool citation_boundary(int32_t c) { return c == 0 || is_hspace(c); }

static inline void citation_char(CitationScan *cs, int32_t c) {
  if (cs->at_pending) {
    cs->at_pending = false;
    if (is_key_start(c)) cs->cited = true;
  }
  if (c == '@') {
    cs->n_at++;
    cs->at_pending = citation_boundary(cs->prev) ||
                     (cs->prev == '-' && citation_boundary(cs->prev2));
  }
  if (c == ';') {
    if (cs->n_at != 1 || !cs->cited) cs->dead = true;
    cs->n_at = 0;
    cs->cited = false;
    cs->prev = 0;
    cs->prev2 = 0;
    return;
  }
  cs->prev2 = cs->prev;
  cs->prev = c;
}

enum { R_EXPECT, R_LABEL, R_AFTER, R_DEAD };

static BracketBody scan_bracket_body(TSLexer *l) {
  BracketBody r = {false, false, true, false};
  CitationScan cs = {0, false, false, false, 0, 0};
  int state = R_EXPECT;
  bool in_range = false;
  uint32_t depth = 0, len = 0, n_digits = 0;
  for (;;) {
    if (at_line_end(l) || len >= MAX_BRACKET_SCAN) return r;
    int32_t c = l->lookahead;
    if (c == ']') {
      if (depth == 0) {
        r.closed = true;
        r.reference = state == R_LABEL || state == R_AFTER;
        r.digits_only = r.digits_only && n_digits > 0;
        citation_char(&cs, ';');
        r.citation = !cs.dead;
        return r;
      }
      depth--;
      state = R_DEAD;
      r.digits_only = false;
      cs.dead = true;
    } else if (c == '[') {
      if (++depth > MAX_BRACKET_DEPTH) return r;
      state = R_DEAD;
      r.digits_only = false;
      cs.dead = true;
    } else if (c == '\\') {
      state = R_DEAD;
      r.digits_only = false;
      cs.dead = true;
      adv(l);
      len++;
      if (at_line_end(l)) return r;
    } else if (is_digit(c)) {
      citation_char(&cs, c);
      n_digits++;
      if (state == R_EXPECT || state == R_LABEL) state = R_LABEL;
      else state = R_DEAD;
    } else {
      r.digits_only = false;
      citation_char(&cs, c);
      if (is_hspace(c)) {
        if (state == R_LABEL) state = R_AFTER;
      } else if (c == ',') {
        if (state == R_LABEL || state == R_AFTER) {
          state = R_EXPECT;
          in_range = false;
        } else {
          state = R_DEAD;
        }
      } else if (c == '-' || c == 0x2013) {
        if ((state == R_LABEL || state == R_AFTER) && !in_range) {
          state = R_EXPECT;
          in_range = true;
        } else {
          state = R_DEAD;
        }
      } else {
        state = R_DEAD;
      }
    }
    adv(l);
    len++;
  }
}

/* From after `(`: is there a matching `)` on this line? Stops before it.
 * A destination holds no `[` or `]` (so a run of `[a](` fails fast). */
static bool scan_link_destination_body(TSLexer *l) {
  uint32_t depth = 0, len = 0;
  for (;;) {
    if (at_line_end(l) || len >= MAX_DEST_SCAN) return false;
    int32_t c = l->lookahead;
    if (c == ')') {
      if (depth == 0) return true;
      depth--;
    } else if (c == '(') {
      if (++depth > MAX_PAREN_DEPTH) return false;
    } else if (c == '[' || c == ']') {
      return false;
    } else if (c == '\\') {
      adv(l);
      len++;
      if (at_line_end(l)) return false;
    }
    adv(l);
    len++;
  }
}

/* From after `[` and its blanks: is this `[text](destination)`? */
static bool link_follows(TSLexer *l) {
  BracketBody body = scan_bracket_body(l);
  if (!body.closed) return false;
  adv(l); /* ] */
  if (l->lookahead != '(') return false;
  adv(l);
  return scan_link_destination_body(l);
}

/* At `[`. Decides between a footnote definition label (at a line start), a
 * footnote reference `[^x]`, a link, a reference group, or plain text. All
 * of these except the definition label are one-character tokens (plus the
 * blanks after `[`), so the decision never has to move `mark_end` back. */
static bool scan_bracket(TSLexer *l, const bool *valid, bool def_allowed) {
  adv(l); /* [ */
  if (l->lookahead == '^' && valid[FN_OPEN]) {
    adv(l);
    l->mark_end(l);
    uint32_t n = 0;
    while (is_label_char(l->lookahead) && n <= MAX_LABEL) {
      adv(l);
      n++;
    }
    if (n > 0 && n <= MAX_LABEL && l->lookahead == ']') {
      adv(l);
      if (def_allowed && l->lookahead == ':') {
        l->mark_end(l);
        l->result_symbol = NOTE_LABEL;
        return true;
      }
      l->result_symbol = FN_OPEN;
      return true;
    }
    if (!valid[TEXT]) return false;
    l->result_symbol = TEXT;
    return true;
  }

  bool blank = false;
  while (is_hspace(l->lookahead)) {
    adv(l);
    blank = true;
  }
  l->mark_end(l);
  BracketBody body = scan_bracket_body(l);
  if (body.closed) {
    adv(l); /* ] */
    if (def_allowed && !blank && body.digits_only &&
        (l->lookahead == ':' || is_hspace(l->lookahead) || at_line_end(l))) {
      l->mark_end(l);
      l->result_symbol = NOTE_LABEL;
      return true;
    }
    if (l->lookahead == '(' && valid[LINK_OPEN]) {
      adv(l);
      if (scan_link_destination_body(l)) {
        l->result_symbol = LINK_OPEN;
        return true;
      }
    }
    if (body.reference && valid[REF_OPEN]) {
      l->result_symbol = REF_OPEN;
      return true;
    }
    if (body.citation && valid[CITATION_OPEN]) {
      l->result_symbol = CITATION_OPEN;
      return true;
    }
  }
  if (!valid[TEXT]) return false;
  l->result_symbol = TEXT;
  return true;
}

/* At a run of backticks: a code span closed by a run of the same length on
 * the same line; at a block start, a fence (3+ backticks, no backtick after
 * them on the line); otherwise the run is text. */
static bool scan_backticks(Scanner *s, TSLexer *l, const bool *valid, bool fence_allowed) {
  uint32_t n = 0;
  while (l->lookahead == '`') {
    adv(l);
    n++;
  }
  l->mark_end(l);
  bool seen_backtick = false;
  uint32_t len = 0;
  while (!at_line_end(l) && len < MAX_CODE_SPAN_SCAN) {
    if (l->lookahead == '`') {
      uint32_t m = 0;
      while (l->lookahead == '`') {
        adv(l);
        m++;
      }
      len += m;
      if (m == n && valid[CODE_SPAN]) {
        l->mark_end(l);
        l->result_symbol = CODE_SPAN;
        return true;
      }
      seen_backtick = true;
      continue;
    }
    adv(l);
    len++;
  }
  if (fence_allowed && n >= 3 && !seen_backtick && valid[FENCE_OPEN]) {
    s->fence_char = '`';
    s->fence_len = n > MAX_FENCE_LEN ? MAX_FENCE_LEN : (uint8_t)n;
    l->result_symbol = FENCE_OPEN;
    return true;
  }
  if (!valid[TEXT]) return false;
  l->result_symbol = TEXT;
  return true;
}

/* At `<`: an HTML comment `<!-- ... -->` (to the end of the file when it is
 * not closed), as a block when it stands alone on its line(s). */
static bool scan_less_than(TSLexer *l, const bool *valid, bool block_allowed) {
  adv(l);
  const char *rest = "!--";
  for (const char *p = rest; *p; p++) {
    if (l->lookahead != *p) {
      l->mark_end(l);
      return scan_text(l, valid, true);
    }
    adv(l);
  }
  uint32_t dashes = 2; /* `<!-->` and `<!--->` are complete comments */
  while (!is_eof(l)) {
    int32_t c = l->lookahead;
    adv(l);
    if (c == '-') {
      dashes++;
    } else if (c == '>' && dashes >= 2) {
      break;
    } else {
      dashes = 0;
    }
  }
  l->mark_end(l);
  if (block_allowed && valid[BLOCK_COMMENT]) {
    while (is_hspace(l->lookahead)) adv(l);
    if (at_line_end(l)) {
      l->result_symbol = BLOCK_COMMENT;
      return true;
    }
  }
  if (!valid[COMMENT]) return false;
  l->result_symbol = COMMENT;
  return true;
}

/* After `http://` or `https://`: the rest of a bare URL, without trailing
 * sentence punctuation or an unbalanced `)`. Marks the end when it succeeds. */
static bool scan_url_rest(TSLexer *l) {
  uint32_t parens = 0;
  bool any = false;
  while (!is_eof(l) && is_url_char(l->lookahead)) {
    int32_t c = l->lookahead;
    if (c == '(') {
      parens++;
    } else if (c == ')') {
      if (parens == 0) break;
      parens--;
    }
    adv(l);
    if (!is_url_trailing_punct(c)) {
      l->mark_end(l);
      any = true;
    }
  }
  return any;
}

/* Consumes `ttp://` or `ttps://` after an `h`; false at the first mismatch
 * (the characters consumed so far are ordinary text). */
static bool consume_http_rest(TSLexer *l) {
  const char *p = "ttp";
  for (; *p; p++) {
    if (l->lookahead != *p) return false;
    adv(l);
  }
  if (l->lookahead == 's') adv(l);
  for (p = "://"; *p; p++) {
    if (l->lookahead != *p) return false;
    adv(l);
  }
  return true;
}

/* What the text loop does at an ASCII character: 0 = ordinary text. */
enum { T_PLAIN, T_STOP, T_LT, T_H, T_BANG, T_BACKSLASH, T_AT };

static const uint8_t TEXT_CLASS[128] = {
  ['\0'] = T_STOP, ['\n'] = T_STOP, ['\r'] = T_STOP, ['['] = T_STOP, ['`'] = T_STOP,
  ['<'] = T_LT, ['h'] = T_H, ['!'] = T_BANG, ['\\'] = T_BACKSLASH, ['@'] = T_AT,
};

/* At a line break inside text: when the next line surely continues the
 * paragraph (or the indented list item / note) and starts with plain text,
 * the text run goes on across the break, saving two tokens per line of
 * hard-wrapped prose. Otherwise the text ends before the break (`mark_end`
 * is set there) and a break token follows. The next line's first character
 * must be one that can start no block: not a blank, digit, or any of
 * `- * # > ~ ` < [`. */
static bool text_continues_on_next_line(TSLexer *l, const bool *valid) {
  bool paragraph = valid[SOFT_BREAK];
  l->mark_end(l);
  consume_newline(l);
  uint32_t indent = consume_indent(l);
  if (!paragraph && indent < 2) return false;
  return starts_plain_line(l->lookahead);
}

/* Where a paragraph's lines are cut into chunks (`_chunk_break`, see
 * grammar.js): at a line break before a line whose first run of plain
 * characters (after its indent, at most CHUNK_PROBE of them) has at least
 * CHUNK_MIN_RUN characters and hashes to 0 modulo CHUNK_EVERY. The cut
 * depends on those characters only, so an edit moves no cut but those in
 * the lines it touches. Called at the first character after the indent, for
 * which `starts_plain_line` holds, by the two scans that meet a line break
 * in a paragraph (a text run, and the line end); both consume the run the
 * same way, as plain text. */
#define CHUNK_PROBE 16
#define CHUNK_MIN_RUN 6
#define CHUNK_EVERY 16u

static bool chunk_boundary(TSLexer *l) {
  uint32_t hash = 2166136261u;
  uint32_t n = 0;
  while (n < CHUNK_PROBE) {
    int32_t c = l->lookahead;
    if ((uint32_t)c < 128 && TEXT_CLASS[c] != T_PLAIN) break;
    hash = (hash ^ (uint32_t)c) * 16777619u;
    adv(l);
    n++;
  }
  return n >= CHUNK_MIN_RUN && (hash >> 16) % CHUNK_EVERY == 0;
}

/* Greedy plain text: everything up to a line end or a character that may
 * start another inline construct. `has` says whether the token already has
 * characters (and `mark_end` covers them or will be moved past them). This
 * loop runs once per character of prose, so it stays lean: one table look-up
 * per character, and `eof()` only at a NUL. */
static bool scan_text(TSLexer *l, const bool *valid, bool has) {
  /* The lexer's `advance` never changes; holding it in a local saves a load
   * per character in the hot loop. */
  void (*const advance)(TSLexer *, bool) = l->advance;
  /* The character before the current one, for `@`: a citation only after
   * a non-word character (what the caller consumed counts as a word). */
  int32_t last = has ? 'a' : ' ';
  for (;;) {
    int32_t c = l->lookahead;
    /* Non-ASCII (and a decoding error, which is negative) is plain text. */
    if ((uint32_t)c >= 128 || TEXT_CLASS[c] == T_PLAIN) {
      do {
        last = c;
        advance(l, false);
        c = l->lookahead;
      } while ((uint32_t)c >= 128 || TEXT_CLASS[c] == T_PLAIN);
      has = true;
    }
    switch (TEXT_CLASS[c]) {
      case T_STOP:
        if (c == 0 && !is_eof(l)) { /* a NUL character in the text */
          advance(l, false);
          last = 'a';
          has = true;
          continue;
        }
        if (is_nl(c) && has && (valid[SOFT_BREAK] || valid[LIST_BREAK] || valid[NOTE_BREAK])) {
          last = ' ';
          if (text_continues_on_next_line(l, valid)) {
            /* A chunk's last run ends before its line break. */
            if (valid[CHUNK_BREAK] && chunk_boundary(l)) goto done_before;
            continue;
          }
          goto done_before; /* marked before the line break */
        }
        break;
      case T_LT:
        if (has) l->mark_end(l);
        advance(l, false);
        if (l->lookahead == '!') {
          advance(l, false);
          if (l->lookahead == '-') {
            advance(l, false);
            if (l->lookahead == '-' && has) goto done_before;
          }
        }
        last = '-';
        has = true;
        continue;
      case T_H:
        if (has) l->mark_end(l);
        advance(l, false);
        if (consume_http_rest(l) && has && is_url_char(l->lookahead)) goto done_before;
        last = 'h';
        has = true;
        continue;
      case T_BANG:
        if (has) l->mark_end(l);
        advance(l, false);
        if (l->lookahead == '[' && has) goto done_before;
        last = '!';
        has = true;
        continue;
      case T_BACKSLASH:
        advance(l, false);
        if (!at_line_end(l)) advance(l, false);
        last = 'a'; /* `\@` is an escaped `@`, and `\x@` a word's */
        has = true;
        continue;
      case T_AT:
        /* `@key` after a non-word character starts a narrative citation
         * (its own token); in a word (`ann@example.org`) it is text. */
        if (has) l->mark_end(l);
        advance(l, false);
        if (has && valid[NARRATIVE_AT] && !is_word_char(last) && is_key_start(l->lookahead)) goto done_before;
        last = 'a';
        has = true;
        continue;
      default:
        break;
    }
    break;
  }
  l->mark_end(l);
done_before:
  if (!has || !valid[TEXT]) return false;
  l->result_symbol = TEXT;
  return true;
}

/* A token that starts in the middle of a line (or a paragraph line whose
 * first character is not a block marker). */
static bool scan_inline(Scanner *s, TSLexer *l, const bool *valid) {
  int32_t c = l->lookahead;
  switch (c) {
    case '[':
      return scan_bracket(l, valid, false);
    case '`':
      return scan_backticks(s, l, valid, false);
    case '<':
      return scan_less_than(l, valid, false);
    case '@':
      adv(l);
      if (valid[NARRATIVE_AT] && is_key_start(l->lookahead)) {
        l->mark_end(l);
        l->result_symbol = NARRATIVE_AT;
        return true;
      }
      l->mark_end(l);
      return scan_text(l, valid, true);
    case 'h':
      adv(l);
      l->mark_end(l);
      if (consume_http_rest(l)) {
        if (valid[URL] && scan_url_rest(l)) {
          l->result_symbol = URL;
          return true;
        }
      }
      return scan_text(l, valid, true);
    case '!':
      adv(l);
      l->mark_end(l);
      if (l->lookahead == '[' && valid[IMAGE_BANG]) {
        adv(l);
        while (is_hspace(l->lookahead)) adv(l);
        if (link_follows(l)) {
          l->result_symbol = IMAGE_BANG;
          return true;
        }
        if (!valid[TEXT]) return false;
        l->result_symbol = TEXT;
        return true;
      }
      return scan_text(l, valid, true);
    default:
      return scan_text(l, valid, false);
  }
}

/* ------------------------------------------------------------ blocks */

static bool scan_front_matter_open(TSLexer *l, const bool *valid) {
  /* At `-` in column 0 of the first line. */
  adv(l);
  if (is_hspace(l->lookahead) && valid[LIST_MARKER]) {
    l->mark_end(l);
    l->result_symbol = LIST_MARKER;
    return true;
  }
  for (int i = 0; i < 2; i++) {
    if (l->lookahead != '-') {
      l->mark_end(l);
      return scan_text(l, valid, true);
    }
    adv(l);
  }
  l->mark_end(l);
  while (is_hspace(l->lookahead)) adv(l);
  if (!at_line_end(l) || l->lookahead == '-') return scan_text(l, valid, true);
  if (!is_eof(l)) {
    consume_newline(l);
    while (!is_eof(l)) {
      if (line_is_front_matter_delimiter(l)) {
        l->result_symbol = FM_OPEN;
        return true;
      }
      while (!at_line_end(l)) adv(l);
      consume_newline(l);
    }
  }
  /* No closing `---`: the line is plain text. */
  if (!valid[TEXT]) return false;
  l->result_symbol = TEXT;
  return true;
}

static bool scan_block_start(Scanner *s, TSLexer *l, const bool *valid) {
  uint32_t indent = 0;
  bool skipped = false;
  while (is_hspace(l->lookahead)) {
    indent = l->lookahead == '\t' ? (indent / 4 + 1) * 4 : indent + 1;
    skip(l);
    skipped = true;
  }
  if (is_eof(l)) {
    l->mark_end(l);
    if (skipped) {
      l->result_symbol = BLANK_LINE;
      return true;
    }
    /* The end closes the last chunk. */
    l->result_symbol = CHUNK_END;
    return valid[CHUNK_END];
  }
  int32_t c = l->lookahead;
  if (is_nl(c)) {
    consume_newline(l);
    l->mark_end(l);
    l->result_symbol = BLANK_LINE;
    return true;
  }

  if (c == '-' && indent == 0 && valid[FM_OPEN]) return scan_front_matter_open(l, valid);

  if (c == '-' || c == '*') {
    adv(l);
    l->mark_end(l);
    if (is_hspace(l->lookahead)) {
      l->result_symbol = LIST_MARKER;
      return true;
    }
    return scan_text(l, valid, true);
  }
  if (is_digit(c)) {
    uint32_t n = 0;
    while (is_digit(l->lookahead) && n < 4) {
      adv(l);
      n++;
    }
    if (n <= 3 && l->lookahead == '.') {
      adv(l);
      l->mark_end(l);
      if (is_hspace(l->lookahead)) {
        l->result_symbol = LIST_MARKER;
        return true;
      }
      return scan_text(l, valid, true);
    }
    return scan_text(l, valid, true);
  }

  if (indent <= 3) {
    switch (c) {
      case '#': {
        /* A heading in the first column closes the chunk before it: the
         * token ends where it starts (the mark moves on for anything
         * else). */
        bool closes_chunk = valid[CHUNK_END] && indent == 0;
        if (closes_chunk) l->mark_end(l);
        uint32_t n = 0;
        while (l->lookahead == '#' && n < 7) {
          adv(l);
          n++;
        }
        bool heading = n <= 6 && (is_hspace(l->lookahead) || at_line_end(l));
        if (heading && closes_chunk) {
          l->result_symbol = CHUNK_END;
          return true;
        }
        l->mark_end(l);
        if (heading) {
          l->result_symbol = HEADING_MARKER;
          return true;
        }
        return scan_text(l, valid, true);
      }
      case '>':
        adv(l);
        l->mark_end(l);
        if (is_hspace(l->lookahead) || at_line_end(l) || l->lookahead == '>') {
          l->result_symbol = QUOTE_MARKER;
          return true;
        }
        return scan_text(l, valid, true);
      case '~': {
        uint32_t n = 0;
        while (l->lookahead == '~') {
          adv(l);
          n++;
        }
        l->mark_end(l);
        if (n >= 3) {
          s->fence_char = '~';
          s->fence_len = n > MAX_FENCE_LEN ? MAX_FENCE_LEN : (uint8_t)n;
          l->result_symbol = FENCE_OPEN;
          return true;
        }
        return scan_text(l, valid, true);
      }
      case '`':
        return scan_backticks(s, l, valid, true);
      case '<':
        return scan_less_than(l, valid, true);
      default:
        break;
    }
  }
  if (c == '[') return scan_bracket(l, valid, indent == 0 && valid[NOTE_LABEL]);
  return scan_inline(s, l, valid);
}

/* Is the current line a closing fence for the open block? Consumes it up to
 * the line end. Leading blanks are consumed (or skipped when `skip_indent`);
 * with `mark`, the token ends after the fence characters. */
static bool line_is_closing_fence(Scanner *s, TSLexer *l, bool skip_indent, bool mark) {
  uint32_t indent = 0;
  while (l->lookahead == ' ' && indent < 4) {
    if (skip_indent) skip(l);
    else adv(l);
    indent++;
  }
  if (indent > 3 || s->fence_char == 0 || l->lookahead != s->fence_char) return false;
  uint32_t n = 0;
  while (l->lookahead == s->fence_char) {
    adv(l);
    n++;
  }
  if (n < s->fence_len) return false;
  if (mark) l->mark_end(l);
  while (is_hspace(l->lookahead)) adv(l);
  return at_line_end(l);
}

static bool scan_code(Scanner *s, TSLexer *l, const bool *valid) {
  if (is_eof(l)) {
    /* The end closes the last chunk. */
    l->mark_end(l);
    l->result_symbol = CHUNK_END;
    return valid[CHUNK_END];
  }
  if (!valid[CODE_CONTENT]) {
    /* Right after the content: only a closing fence can be here. */
    if (line_is_closing_fence(s, l, true, true)) {
      s->fence_char = 0;
      s->fence_len = 0;
      l->result_symbol = FENCE_CLOSE;
      return true;
    }
    return false;
  }
  if (valid[FENCE_CLOSE] && line_is_closing_fence(s, l, false, true)) {
    s->fence_char = 0;
    s->fence_len = 0;
    l->result_symbol = FENCE_CLOSE;
    return true;
  }
  /* The first line is content (we may have consumed part of it). */
  for (;;) {
    while (!at_line_end(l)) adv(l);
    consume_newline(l);
    l->mark_end(l);
    if (is_eof(l)) break;
    if (line_is_closing_fence(s, l, false, false)) break;
  }
  l->result_symbol = CODE_CONTENT;
  return true;
}

static bool scan_front_matter_line(TSLexer *l, const bool *valid) {
  if (is_eof(l)) return false;
  int32_t c = l->lookahead;
  if (c == '-') {
    uint32_t n = 0;
    while (l->lookahead == '-' && n < 4) {
      adv(l);
      n++;
    }
    if (n == 3) {
      l->mark_end(l);
      while (is_hspace(l->lookahead)) adv(l);
      if (at_line_end(l) && valid[FM_CLOSE]) {
        l->result_symbol = FM_CLOSE;
        return true;
      }
    }
  } else if ((is_ascii_alnum(c) || c == '_' || c >= 0x80) && valid[FM_KEY]) {
    while (!at_line_end(l) && !is_hspace(l->lookahead) && l->lookahead != ':') adv(l);
    if (l->lookahead == ':') {
      l->mark_end(l);
      adv(l);
      if (is_hspace(l->lookahead) || at_line_end(l)) {
        l->result_symbol = FM_KEY;
        return true;
      }
    }
  }
  if (!valid[FM_LINE]) return false;
  while (!at_line_end(l)) adv(l);
  consume_newline(l);
  l->mark_end(l);
  l->result_symbol = FM_LINE;
  return true;
}

/* The rest of the line without its trailing blanks (info string, value). */
static bool scan_rest_of_line(TSLexer *l, enum TokenType symbol) {
  bool any = false;
  while (!at_line_end(l)) {
    int32_t c = l->lookahead;
    adv(l);
    if (!is_hspace(c)) {
      l->mark_end(l);
      any = true;
    }
  }
  if (!any) return false;
  l->result_symbol = symbol;
  return true;
}

/* Where the blocks between two headings are cut into more chunks: after a
 * note, list item or paragraph whose next line's first characters (at most
 * CHUNK_PROBE, at least CHUNK_MIN_BLOCK_RUN, up to the line end) hash to 0
 * modulo CHUNK_EVERY. The `_eol` before that line decides it by looking
 * ahead (so an edit there re-lexes it) and leaves it in the scanner's state
 * for the block start that follows, which emits `_chunk_end` there. A cut
 * lies between two blocks, where a chunk may end, so it never changes the
 * visible tree. */
#define CHUNK_MIN_BLOCK_RUN 4

static bool block_cut(TSLexer *l) {
  uint32_t hash = 2166136261u;
  uint32_t n = 0;
  while (n < CHUNK_PROBE && !at_line_end(l)) {
    hash = (hash ^ (uint32_t)l->lookahead) * 16777619u;
    adv(l);
    n++;
  }
  return n >= CHUNK_MIN_BLOCK_RUN && (hash >> 16) % CHUNK_EVERY == 0;
}

static bool scan_line_end(Scanner *s, TSLexer *l, const bool *valid) {
  while (is_hspace(l->lookahead)) adv(l);
  if (is_eof(l)) {
    if (!valid[EOL]) return false;
    l->mark_end(l);
    l->result_symbol = EOL;
    return true;
  }
  if (!is_nl(l->lookahead)) return false;
  consume_newline(l);
  l->mark_end(l);
  /* Inside a paragraph. Only `_chunk_break` and `_eol` are valid after a
   * paragraph's last run of inline items when a reparse reused the run
   * whole; the decision must still be the one a fresh parse makes, so a
   * `_soft_break` is returned there too, and the parser, finding it not
   * valid, breaks the reused run down and asks again. */
  if (valid[SOFT_BREAK] || valid[CHUNK_BREAK]) {
    uint32_t indent = consume_indent(l);
    if (starts_plain_line(l->lookahead)) {
      l->result_symbol = valid[CHUNK_BREAK] && chunk_boundary(l) ? CHUNK_BREAK : SOFT_BREAK;
      return true;
    }
    if (paragraph_continues(l, indent)) {
      l->result_symbol = SOFT_BREAK;
      return true;
    }
    if (!valid[EOL]) return false;
    s->cut_pending = block_cut(l);
    l->result_symbol = EOL;
    return true;
  }
  if (valid[LIST_BREAK] && continuation_follows(l, true)) {
    l->result_symbol = LIST_BREAK;
    return true;
  }
  if (valid[NOTE_BREAK] && continuation_follows(l, false)) {
    l->result_symbol = NOTE_BREAK;
    return true;
  }
  if (!valid[EOL]) return false;
  if (valid[LIST_BREAK] || valid[NOTE_BREAK]) s->cut_pending = block_cut(l);
  l->result_symbol = EOL;
  return true;
}

static bool scan(Scanner *s, TSLexer *l, const bool *valid) {
  bool cut_pending = s->cut_pending;
  s->cut_pending = false;
  if (valid[ERROR_SENTINEL]) return false;

  /* A cut the `_eol` before found (`block_cut`). */
  if (cut_pending && valid[CHUNK_END] && !is_eof(l)) {
    l->mark_end(l);
    l->result_symbol = CHUNK_END;
    return true;
  }

  /* Between chunks (a block would start the first one instead). */
  if (valid[CHUNK_START] && !valid[BLANK_LINE]) {
    if (is_eof(l)) return false;
    l->mark_end(l);
    l->result_symbol = CHUNK_START;
    return true;
  }

  if (valid[CODE_CONTENT] || valid[FENCE_CLOSE]) return scan_code(s, l, valid);

  if (valid[FM_KEY] || valid[FM_LINE] || valid[FM_CLOSE]) return scan_front_matter_line(l, valid);

  int32_t c = l->lookahead;

  if (valid[FM_COLON] && c == ':') {
    adv(l);
    l->mark_end(l);
    l->result_symbol = FM_COLON;
    return true;
  }
  bool blank_skipped = false;
  if (valid[BLOCK_SPACE] && is_hspace(c)) {
    if (valid[QUOTE_MARKER]) {
      /* After a `>`, the blanks stay a token inside the line's run of
       * markers: on a reparse that reuses the run, the state after it does
       * not take a `_block_space`, and the text would swallow the blanks. */
      while (is_hspace(l->lookahead)) adv(l);
      l->mark_end(l);
      l->result_symbol = BLOCK_SPACE;
      return true;
    }
    /* The blanks after a heading or list marker, a note label (and colon), a
     * fence or a front matter key are not a token of their own: they are
     * skipped into the padding of the token after them, which cannot start
     * with a blank. The tree is the same (`_block_space` is hidden), with one
     * token less per line. Safe for reparsing because the marker before them
     * is a leaf, so the parse state after it is the same whether it is
     * reused or lexed. */
    while (is_hspace(l->lookahead)) skip(l);
    c = l->lookahead;
    blank_skipped = true;
  }
  if (valid[NOTE_COLON] && c == ':' && !blank_skipped) { /* `[1]:`, not `[1] :` */
    adv(l);
    l->mark_end(l);
    l->result_symbol = NOTE_COLON;
    return true;
  }
  if ((valid[FM_VALUE] || valid[INFO_STRING]) && !is_hspace(c) && !at_line_end(l)) {
    return scan_rest_of_line(l, valid[FM_VALUE] ? FM_VALUE : INFO_STRING);
  }
  if (valid[LINK_TEXT] && c != ']') {
    BracketBody body = scan_bracket_body(l);
    if (!body.closed) return false;
    l->mark_end(l);
    l->result_symbol = LINK_TEXT;
    return true;
  }
  if (valid[LINK_DEST] && c != ')') {
    if (!scan_link_destination_body(l)) return false;
    l->mark_end(l);
    l->result_symbol = LINK_DEST;
    return true;
  }
  if (valid[FN_LABEL]) {
    uint32_t n = 0;
    while (is_label_char(l->lookahead) && n <= MAX_LABEL) {
      adv(l);
      n++;
    }
    if (n == 0) return false;
    l->mark_end(l);
    l->result_symbol = FN_LABEL;
    return true;
  }

  bool line_end_valid = valid[EOL] || valid[SOFT_BREAK] || valid[LIST_BREAK] || valid[NOTE_BREAK];
  if (line_end_valid && (at_line_end(l) || (is_hspace(c) && !valid[TEXT]))) {
    return scan_line_end(s, l, valid);
  }

  if (valid[BLANK_LINE]) return scan_block_start(s, l, valid);

  if (is_eof(l)) return false;

  if (valid[QUOTE_MARKER] && c == '>') {
    adv(l);
    l->mark_end(l);
    if (is_hspace(l->lookahead) || at_line_end(l) || l->lookahead == '>') {
      l->result_symbol = QUOTE_MARKER;
      return true;
    }
    return scan_text(l, valid, true);
  }

  if (valid[TEXT] || valid[LINK_OPEN]) return scan_inline(s, l, valid);
  return false;
}

/* ------------------------------------------------------------ API */

void *tree_sitter_aam_external_scanner_create(void) {
  Scanner *s = ts_calloc(1, sizeof(Scanner));
  return s;
}

void tree_sitter_aam_external_scanner_destroy(void *payload) { ts_free(payload); }

unsigned tree_sitter_aam_external_scanner_serialize(void *payload, char *buffer) {
  Scanner *s = payload;
  if (s->fence_char == 0 && !s->cut_pending) return 0;
  buffer[0] = (char)s->fence_char;
  buffer[1] = (char)s->fence_len;
  if (!s->cut_pending) return 2;
  buffer[2] = 1;
  return 3;
}

void tree_sitter_aam_external_scanner_deserialize(void *payload, const char *buffer, unsigned length) {
  Scanner *s = payload;
  s->fence_char = 0;
  s->fence_len = 0;
  s->cut_pending = false;
  if (length >= 2) {
    s->fence_char = (uint8_t)buffer[0];
    s->fence_len = (uint8_t)buffer[1];
  }
  if (length >= 3) s->cut_pending = buffer[2] != 0;
}

bool tree_sitter_aam_external_scanner_scan(void *payload, TSLexer *lexer, const bool *valid_symbols) {
  return scan(payload, lexer, valid_symbols);
}
