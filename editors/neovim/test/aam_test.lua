-- The Neovim integration, tested in a real headless Neovim 0.11:
--
--   AAM_REPO=$PWD AAM_BIN=target/debug/aam AAM_ARTICLE=/tmp/x/harbour-report.aam \
--     nvim --headless --clean -l editors/neovim/test/aam_test.lua
--
-- The plugin is loaded through its lazy.nvim spec (editors/neovim/lazy.lua):
-- its build compiles parser/aam.so, its config puts `editors/neovim` on
-- 'runtimepath' (ftdetect/, ftplugin/, lsp/aam.lua, queries/aam/) and enables
-- the server; `aam` is found on PATH. AAM_ARTICLE is a scratch copy of
-- examples/harbour-report.aam: the test edits it. The expected diagnostics
-- are what `aam check --output-format json` reports for the same file, so
-- the test checks that the editor shows exactly what CI would.
--
-- Prints one `ok -`/`not ok -` line per case and `N passed, N failed`;
-- exits 1 when a case failed.

local TIMEOUT_MS = tonumber(os.getenv('AAM_TEST_TIMEOUT_MS') or '') or 15000

local function out(line)
  io.stdout:write(line, '\n')
  io.stdout:flush()
end

local aam_bin = assert(os.getenv('AAM_BIN'), 'set AAM_BIN to the aam binary')
local article = assert(os.getenv('AAM_ARTICLE'), 'set AAM_ARTICLE to a scratch copy of examples/harbour-report.aam')

local passed, failed = 0, 0
local function case(name, fn)
  local ok, err = xpcall(fn, debug.traceback)
  if ok then
    passed = passed + 1
    out('ok - ' .. name)
  else
    failed = failed + 1
    out('not ok - ' .. name)
    for line in tostring(err):gmatch('[^\n]+') do
      if not line:find('^%s*%[C%]') and not line:find('in function .xpcall.') then
        out('#   ' .. line)
      end
    end
  end
end

local function wait_for(what, condition)
  if not vim.wait(TIMEOUT_MS, condition, 20) then
    error(('timed out after %d ms waiting for %s'):format(TIMEOUT_MS, what), 2)
  end
end

--- 0-based row and byte column of the first occurrence of `needle`, plus `offset` bytes.
local function find(needle, offset)
  for row, line in ipairs(vim.api.nvim_buf_get_lines(0, 0, -1, false)) do
    local col = line:find(needle, 1, true)
    if col then
      return row - 1, col - 1 + (offset or 0)
    end
  end
  error('not in the buffer: ' .. needle, 2)
end

local function attached()
  return vim.lsp.get_clients({ bufnr = 0, name = 'aam' })[1]
end

local function client()
  return attached() or error('the aam client is not attached to the buffer', 2)
end

--- The result of `method` at the position of `needle` (+ `offset` bytes).
local function request_at(method, needle, offset)
  local row, col = find(needle, offset)
  vim.api.nvim_win_set_cursor(0, { row + 1, col })
  local params = vim.lsp.util.make_position_params(0, client().offset_encoding)
  local responses, err = vim.lsp.buf_request_sync(0, method, params, TIMEOUT_MS)
  assert(responses, ('%s: no answer (%s)'):format(method, tostring(err)))
  local response = responses[client().id]
  assert(response, method .. ': no answer from aam')
  assert(response.err == nil, method .. ': error ' .. vim.inspect(response.err))
  return response.result, row
end

local function hover_text(needle, offset)
  local result = request_at('textDocument/hover', needle, offset)
  assert(result and result.contents, 'hover: empty result')
  local contents = result.contents
  if type(contents) == 'string' then
    return contents
  elseif contents.value then
    return contents.value
  end
  local parts = {}
  for _, part in ipairs(contents) do
    parts[#parts + 1] = type(part) == 'string' and part or part.value
  end
  return table.concat(parts, '\n')
end

--- The diagnostics of this buffer as sorted "line:CODE" strings (1-based lines).
local function shown_diagnostics()
  local keys = {}
  for _, d in ipairs(vim.diagnostic.get(0)) do
    keys[#keys + 1] = ('%d:%s'):format(d.lnum + 1, tostring(d.code))
  end
  table.sort(keys)
  return keys
end

local function has_diagnostic(line, code)
  return vim.tbl_contains(shown_diagnostics(), ('%d:%s'):format(line, code))
end

--- What `aam check --output-format json` reports for the file on disk.
local function cli_diagnostics(path)
  local result = vim.system({ aam_bin, 'check', '--output-format', 'json', path }, { text = true }):wait(TIMEOUT_MS)
  assert(result.code == 0 or result.code == 1, 'aam check failed: ' .. tostring(result.stderr))
  local keys = {}
  for _, d in ipairs(vim.json.decode(result.stdout)) do
    keys[#keys + 1] = ('%d:%s'):format(d.start.line, d.code)
  end
  table.sort(keys)
  return keys
end

-- The plugin loaded as lazy.nvim loads it: editors/neovim/lazy.lua (the
-- README's spec) built, then configured, with plugin.dir the repository, as
-- lazy.nvim's clone of it would be. The binary under test is `aam` on PATH,
-- where lsp/aam.lua looks for it.
local repo = assert(os.getenv('AAM_REPO'), 'set AAM_REPO to the repository root')
local spec = dofile(repo .. '/editors/neovim/lazy.lua')
local plugin = { dir = repo, name = spec.name }
vim.env.PATH = vim.fs.dirname(aam_bin) .. ':' .. vim.env.PATH
case('the lazy.nvim spec builds the parser and loads the plugin', function()
  assert(vim.fs.basename(aam_bin) == 'aam', 'AAM_BIN must be a file named aam: ' .. aam_bin)
  spec.build(plugin)
  assert(vim.uv.fs_stat(repo .. '/editors/neovim/parser/aam.so'), 'the build left no parser/aam.so')
  spec.config(plugin)
  assert(vim.tbl_contains(vim.opt.runtimepath:get(), repo .. '/editors/neovim'), 'editors/neovim is not on runtimepath')
end)

local expected = cli_diagnostics(article)
vim.cmd.edit(vim.fn.fnameescape(article))

case('filetype detection: *.aam is aam', function()
  assert(vim.bo.filetype == 'aam', 'filetype is ' .. vim.bo.filetype)
end)

case('tree-sitter highlighting attaches without ERROR nodes', function()
  local buf = vim.api.nvim_get_current_buf()
  assert(vim.treesitter.highlighter.active[buf], 'no tree-sitter highlighter on the buffer (parser/aam.so on runtimepath?)')
  local tree = vim.treesitter.get_parser(buf, 'aam'):parse()[1]
  local root = tree:root()
  assert(not root:has_error(), 'the tree has ERROR or MISSING nodes: ' .. root:sexpr():sub(1, 400))
  local function captures_at(needle, offset)
    local row, col = find(needle, offset)
    return vim.tbl_map(function(c)
      return c.capture
    end, vim.treesitter.get_captures_at_pos(buf, row, col))
  end
  local function assert_capture(needle, offset, capture)
    local got = captures_at(needle, offset)
    assert(vim.tbl_contains(got, capture), ('%q: captures %s, expected %s'):format(needle, vim.inspect(got), capture))
  end
  assert_capture('# The harbour', 2, 'markup.heading')
  assert_capture('title:', 0, 'property')
  assert_capture('a third.[3]', 9, 'markup.link.label')
  assert_capture('[5] “Harbour', 1, 'label')
  assert_capture('https://example.com/westport/budget', 0, 'markup.link.url')
end)

case('the aam client attaches', function()
  wait_for('the aam client to attach', function()
    return attached() ~= nil and attached().initialized
  end)
  local caps = client().server_capabilities
  assert(caps.hoverProvider, 'no hoverProvider')
  assert(caps.definitionProvider, 'no definitionProvider')
end)

case('diagnostics: the codes and lines aam check reports', function()
  assert(#expected > 0, 'aam check found nothing in the article')
  wait_for('diagnostics equal to aam check ' .. vim.inspect(expected), function()
    return vim.deep_equal(shown_diagnostics(), expected)
  end)
  -- Anchors that do not depend on the CLI: the undefined [8] and the uncited [10].
  local undefined = find('[8]') + 1
  assert(has_diagnostic(undefined, 'AAM001'), ('no AAM001 on line %d (the undefined [8])'):format(undefined))
  local row = find('[10] ')
  assert(has_diagnostic(row + 1, 'AAM002'), 'no AAM002 on the uncited note [10]')
  for _, d in ipairs(vim.diagnostic.get(0)) do
    assert(d.source == nil or type(d.source) == 'string', 'odd source')
    assert(d.severity ~= nil, 'a diagnostic without severity')
  end
end)

case('hover on a reference shows the citation', function()
  local text = hover_text('a third.[3]', 9)
  assert(text:find('New cranes at the harbour', 1, true), 'hover on [3] does not show its title:\n' .. text)
  assert(text:find('Port Weekly', 1, true), 'hover on [3] does not show its publisher:\n' .. text)
end)

case('hover on a citation [@key] shows its bibliography entry', function()
  local text = hover_text('[@okafor2023', 3)
  assert(text:find('Crane Automation in Mid-Sized Ports', 1, true), 'hover on [@okafor2023] does not show its title:\n' .. text)
  assert(text:find('https://doi.org/10.5555/jps.2023.114', 1, true), 'hover on [@okafor2023] does not link its DOI:\n' .. text)
end)

case('hover on an Ibid reference shows the source it repeats', function()
  local text = hover_text('in January.[2]', 12)
  assert(text:find('Council approves harbour expansion', 1, true), 'hover on [2] (Ibid) does not resolve to note 1:\n' .. text)
end)

case('go to definition: a reference jumps to its note', function()
  local result = request_at('textDocument/definition', 'in 2022.[5]', 9)
  assert(result, 'definition: no result')
  local location = result.uri and result or result[1]
  assert(location, 'definition: empty result')
  local range = location.targetSelectionRange or location.range
  local uri = location.targetUri or location.uri
  assert(vim.uri_to_fname(uri) == vim.api.nvim_buf_get_name(0), 'definition in another file: ' .. uri)
  local note_row = find('[5] “Harbour expansion')
  assert(range.start.line == note_row, ('definition at line %d, note [5] is on line %d'):format(range.start.line + 1, note_row + 1))
end)

case('an edit updates the diagnostics', function()
  local costs = find('## Costs')
  -- Two new lines above "## Costs": every later diagnostic moves down by two,
  -- and the new reference to a missing note is reported.
  vim.api.nvim_buf_set_lines(0, costs, costs, false, { 'A claim with no note.[11]', '' })
  local undefined = find('[8]') + 1
  wait_for(('AAM001 on the inserted line and line %d moved to %d'):format(undefined, undefined + 2), function()
    return has_diagnostic(costs + 1, 'AAM001')
      and has_diagnostic(undefined, 'AAM001')
      and not has_diagnostic(undefined - 2, 'AAM001')
  end)
  -- Undo the edit: back to exactly what aam check reports.
  vim.api.nvim_buf_set_lines(0, costs, costs + 2, false, {})
  wait_for('the diagnostics of the original text', function()
    return vim.deep_equal(shown_diagnostics(), expected)
  end)
end)

out(('%d passed, %d failed'):format(passed, failed))
for _, c in ipairs(vim.lsp.get_clients()) do
  c:stop(true)
end
vim.wait(2000, function()
  return #vim.lsp.get_clients() == 0
end, 20)
os.exit(failed == 0 and 0 or 1)
