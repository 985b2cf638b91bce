; Highlights for AAM (Annotated Article Markup).

(heading
  marker: (heading_marker) @punctuation.special)
(heading
  content: (inline) @markup.heading)

(front_matter_delimiter) @punctuation.delimiter
(front_matter_key) @property
(front_matter_value) @string

(block_quote_marker) @punctuation.special
(block_quote
  content: (inline) @markup.quote)

(list_marker) @markup.list

(code_fence_delimiter) @punctuation.delimiter
(info_string) @label
(code_content) @markup.raw.block
(code_span) @markup.raw

(comment) @comment

(note_label) @label
(reference_group) @markup.link.label
(footnote_reference) @markup.link.label
(reference_label) @markup.link.label

(link
  text: (link_text) @markup.link.label)
(link
  destination: (link_destination) @markup.link.url)
(url) @markup.link.url

(citation_group) @markup.link.label
(narrative_citation) @markup.link.label
(citation_key) @markup.link.label
