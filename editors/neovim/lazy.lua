-- The lazy.nvim spec for aam: the README's "With lazy.nvim" block is this
-- table (tests/editors.rs keeps them identical), and the headless test
-- (test/aam_test.lua) loads the plugin through it, as lazy.nvim would.
-- lazy.nvim clones the whole repository; the plugin is editors/neovim in it.
return {
  'OWNER/aam',
  name = 'aam',
  lazy = false, -- the filetype must be known before an article opens
  -- The tree-sitter parser, built with the machine's C compiler into the
  -- plugin's own parser/ directory.
  build = function(plugin)
    local out = plugin.dir .. '/editors/neovim/parser'
    vim.fn.mkdir(out, 'p')
    local src = plugin.dir .. '/grammar/src'
    local cc = vim.env.CC or 'cc'
    local result = vim
      .system({ cc, '-shared', '-fPIC', '-O2', '-I' .. src, src .. '/parser.c', src .. '/scanner.c', '-o', out .. '/aam.so' })
      :wait()
    assert(result.code == 0, 'building the aam parser failed: ' .. (result.stderr or ''))
  end,
  config = function(plugin)
    local dir = plugin.dir .. '/editors/neovim'
    vim.opt.runtimepath:append(dir)
    dofile(dir .. '/ftdetect/aam.lua')
    vim.lsp.enable('aam')
  end,
}
