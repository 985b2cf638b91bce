[
  (front_matter)
  (fenced_code_block)
  (block_quote)
  (comment)
  (footnote_definition)
] @fold
