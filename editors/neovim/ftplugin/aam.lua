-- Buffer settings for AAM articles; tree-sitter highlighting when the parser
-- (parser/aam.so on 'runtimepath') is installed.
vim.bo.commentstring = '<!-- %s -->'
vim.bo.comments = 's:<!--,e:-->'
vim.opt_local.wrap = true
vim.opt_local.linebreak = true
if pcall(vim.treesitter.start) then
  vim.wo.foldexpr = 'v:lua.vim.treesitter.foldexpr()'
end
vim.b.undo_ftplugin = (vim.b.undo_ftplugin and vim.b.undo_ftplugin .. ' | ' or '')
  .. 'setl commentstring< comments< wrap< linebreak< | lua pcall(vim.treesitter.stop)'
