; Fenced code blocks are highlighted in the language named by their info string.
(fenced_code_block
  info: (info_string) @injection.language
  content: (code_content) @injection.content)
