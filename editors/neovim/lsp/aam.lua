-- The aam language server for Neovim 0.11+ (`:help lsp-config`).
-- With this directory on 'runtimepath', `vim.lsp.enable('aam')` is all it takes.
-- Settings have the shape of aam.toml (an aam.toml next to the article wins):
--   vim.lsp.config('aam', { init_options = { rules = { AAM102 = 'off' }, dates = { ['date-order'] = 'dmy' } } })

---@type vim.lsp.Config
return {
  cmd = { 'aam', 'lsp' },
  filetypes = { 'aam' },
  root_markers = { 'aam.toml', '.git' },
}
