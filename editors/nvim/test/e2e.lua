-- End-to-end test of the leaklsp Neovim plugin in real (headless) Neovim.
-- Run by e2e.sh; uses only the Neovim 0.7 API. Expectations come from the
-- fixtures' manifest.json. Prints one JSON summary and "N passed, N failed"
-- on stdout, then exits 0 (all passed) or 1.
local t0 = vim.loop.hrtime()

local H = dofile(vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":h") .. "/harness.lua")
local env, check = H.env, H.check

local WS = env("LEAKLSP_WS") -- writable copy of the fixture workspace
local FIXTURES = env("LEAKLSP_FIXTURES") -- read-only fixtures (snapshots)
local SERVER = env("LEAKLSP_SERVER")
local PLUGIN = env("LEAKLSP_PLUGIN")
local TIMEOUT = tonumber(os.getenv("LEAKLSP_TIMEOUT_MS") or "") or 20000


-- Ground truth -------------------------------------------------------------

local manifest = vim.json.decode(table.concat(vim.fn.readfile(FIXTURES .. "/manifest.json"), "\n"))

local function snapshot_entry(scenario)
  for _, s in ipairs(manifest.snapshots) do
    if s.scenario == scenario and not s.allocation_tracking then
      return s
    end
  end
  error("manifest has no untracked snapshot for " .. scenario)
end

local function group(entry, id)
  for _, g in ipairs(entry.ground_truth.groups) do
    if g.id == id then
      return g
    end
  end
  error("manifest " .. entry.scenario .. " has no group " .. id)
end

local A = snapshot_entry("a-timers-als")
local C = snapshot_entry("c-async-recursion")
local G = snapshot_entry("g-control")
assert(A.ground_truth.leaks and C.ground_truth.leaks and not G.ground_truth.leaks)
-- a: the fired Timeout is stored at `this.timeout = setTimeout(() => {`.
local timer_site = group(A, "finished-timeout").allocation_site
-- c: the recursive async function and its recursive call.
local rec = group(C, "suspended-activation")
local rec_lines = { [rec.enclosing_function.line] = true, [rec.allocation_site.line] = true }
-- The token the preferred fix must drop: the left-hand side of the store.
local token = timer_site.text:match("^%s*([%w_.]+)%s*=")
assert(token, "cannot read the assignment target from " .. timer_site.text)

-- Editor -------------------------------------------------------------------

vim.o.hidden = true
vim.opt.runtimepath:prepend(PLUGIN)

local notifications = {}
vim.notify = function(msg, level)
  table.insert(notifications, { msg = msg, level = level or vim.log.levels.INFO })
end

-- Record which files the server published diagnostics for (even empty).
local published = {}
local publish = vim.lsp.handlers["textDocument/publishDiagnostics"]
vim.lsp.handlers["textDocument/publishDiagnostics"] = function(err, result, ctx, config)
  if result and result.uri then
    published[vim.uri_to_fname(result.uri)] = (published[vim.uri_to_fname(result.uri)] or 0) + 1
  end
  return publish(err, result, ctx, config)
end

local leaklsp = require("leaklsp")
leaklsp.setup({
  cmd = { SERVER, "serve" },
  settings = { pathMappings = { [vim.fn.fnamemodify(A.script_path_in_snapshot, ":h")] = WS } },
})

local function open(file)
  vim.cmd("edit " .. vim.fn.fnameescape(WS .. "/" .. file))
  local buf = vim.api.nvim_get_current_buf()
  if vim.bo[buf].filetype == "" then
    vim.bo[buf].filetype = "javascript" -- fires FileType, which attaches
  end
  return buf
end

local bufG = open(G.program)
local bufC = open(C.program)
local bufA = open(A.program)

local code_of = H.code_of

local function simplify(d)
  return { code = code_of(d), line = d.lnum + 1, col = d.col + 1, end_col = d.end_col + 1, severity = d.severity, message = d.message }
end

local function find(buf, code, lines)
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if code_of(d) == code and (lines == nil or lines[d.lnum + 1]) then
      return d
    end
  end
  return nil
end

local function codes(buf)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(out, simplify(d))
  end
  return out
end

local function wait(cond, ms)
  return vim.wait(ms or TIMEOUT, cond, 20)
end

local function errors_since(n)
  local out = {}
  for i = n + 1, #notifications do
    if notifications[i].level >= vim.log.levels.ERROR then
      table.insert(out, notifications[i].msg)
    end
  end
  return out
end

local function buffer_text(buf)
  return vim.api.nvim_buf_get_lines(buf, 0, -1, false)
end

-- 1. Static diagnostics at the ground-truth lines ---------------------------

local timer_line = { [timer_site.line] = true }
local ok = wait(function()
  return find(bufA, "LEAK001", timer_line) ~= nil
end)
local d = find(bufA, "LEAK001", timer_line)
check("static LEAK001 at " .. A.program .. ":" .. timer_site.line, ok and d and d.col <= timer_site.column - 1 and timer_site.column - 1 < d.end_col, {
  expected_col = timer_site.column,
  got = codes(bufA),
})

ok = wait(function()
  return find(bufC, "LEAK003", rec_lines) ~= nil
end)
check("static LEAK003 at " .. C.program .. ":" .. rec.enclosing_function.line .. "/" .. rec.allocation_site.line, ok, { got = codes(bufC) })

-- Negative: the control file. Wait for its publish (a server may also stay
-- silent for a clean file), then check it has neither finding.
local gname = vim.api.nvim_buf_get_name(bufG)
wait(function()
  return published[gname] ~= nil
end, 3000)
check("no LEAK001/LEAK003 in " .. G.program, find(bufG, "LEAK001") == nil and find(bufG, "LEAK003") == nil, {
  published = published[gname] or 0,
  got = codes(bufG),
})

-- 2. Preferred quick fix through vim.lsp.buf.code_action() -------------------

local offered, picked = {}, nil
vim.ui.select = function(items, opts, on_choice)
  local choice, idx
  for i, item in ipairs(items) do
    -- 0.7 passes {client_id, action}; 0.8+ passes {action = …, ctx = …}.
    local action = item.action or item[2]
    table.insert(offered, { title = action.title, kind = action.kind, preferred = action.isPreferred == true })
    if action.isPreferred and not choice then
      choice, idx = item, i
    end
  end
  picked = choice and (choice.action or choice[2]).title
  on_choice(choice, idx)
end

vim.api.nvim_set_current_buf(bufA)
vim.api.nvim_win_set_cursor(0, { timer_site.line, timer_site.column - 1 })
local before = buffer_text(bufA)
vim.lsp.buf.code_action()

-- The callback body: the lines after the site, up to the first line indented
-- no deeper than the site itself (`}, 1);`).
local function callback_body(lines)
  local indent = #lines[timer_site.line]:match("^%s*")
  local body = {}
  for i = timer_site.line + 1, #lines do
    if #lines[i]:match("^%s*") <= indent then
      break
    end
    table.insert(body, vim.trim(lines[i]))
  end
  return body
end
local want = token .. " = null;"
ok = wait(function()
  return vim.tbl_contains(callback_body(buffer_text(bufA)), want)
end)
check("preferred quick fix inserts `" .. want .. "` in the timer callback", ok and picked ~= nil, {
  offered = offered,
  picked = picked,
  body = callback_body(buffer_text(bufA)),
})
local gone = wait(function()
  return find(bufA, "LEAK001", timer_line) == nil
end)
check("LEAK001 goes away after the fix", gone, { got = codes(bufA) })

-- The edit reaches the file on disk with :write.
vim.cmd("silent write")
local on_disk = vim.fn.readfile(WS .. "/" .. A.program)
check("fixed file written to disk", vim.tbl_contains(callback_body(on_disk), want) and #on_disk == #before + 1, {
  lines_before = #before,
  lines_after = #on_disk,
})

-- Back to the leaking code for the heap checks.
vim.cmd("silent undo")
vim.cmd("silent write")
ok = wait(function()
  return find(bufA, "LEAK001", timer_line) ~= nil
end)
check("LEAK001 back after undo", ok and #buffer_text(bufA) == #before, { got = codes(bufA) })

-- 3. Heap-backed diagnostics with :LeakOpenSnapshot --------------------------

local function open_snapshot(entry, path)
  local n = #notifications
  path = path or FIXTURES .. "/" .. entry.file
  local t = vim.loop.hrtime()
  vim.cmd("LeakOpenSnapshot " .. vim.fn.fnameescape(path))
  local done = wait(function()
    for i = n + 1, #notifications do
      local m = notifications[i].msg
      if m:find("loaded", 1, true) or notifications[i].level >= vim.log.levels.ERROR then
        return true
      end
    end
    return false
  end, 60000)
  return done and #errors_since(n) == 0, { errors = errors_since(n), ms = math.floor((vim.loop.hrtime() - t) / 1e6) }
end

local loaded, info = open_snapshot(A)
check(":LeakOpenSnapshot " .. A.file, loaded, info)
ok = wait(function()
  return find(bufA, "LEAK101", timer_line) ~= nil
end)
local heap_d = find(bufA, "LEAK101", timer_line)
check("heap LEAK101 at " .. A.program .. ":" .. timer_site.line, ok, { got = codes(bufA) })
-- static + heap at one site: one diagnostic with Error severity.
local at_site = 0
for _, x in ipairs(vim.diagnostic.get(bufA, { lnum = timer_site.line - 1 })) do
  if code_of(x) == "LEAK001" or code_of(x) == "LEAK101" then
    at_site = at_site + 1
  end
end
check("static+heap merged into one Error diagnostic", heap_d ~= nil and heap_d.severity == vim.diagnostic.severity.ERROR and at_site == 1, {
  at_site = at_site,
  related = heap_d and heap_d.user_data and heap_d.user_data.lsp and heap_d.user_data.lsp.relatedInformation and #heap_d.user_data.lsp.relatedInformation or 0,
})

loaded, info = open_snapshot(C)
check(":LeakOpenSnapshot " .. C.file, loaded, info)
ok = wait(function()
  return find(bufC, "LEAK103", rec_lines) ~= nil
end)
check("heap LEAK103 at " .. C.program .. ":" .. rec.enclosing_function.line .. "/" .. rec.allocation_site.line, ok, { got = codes(bufC) })

-- Negative: the control snapshot blames nothing in the control program.
loaded, info = open_snapshot(G)
check(":LeakOpenSnapshot " .. G.file, loaded, info)
vim.wait(1000, function() return false end, 50) -- let the re-publish land
local heap_in_g = {}
for _, x in ipairs(vim.diagnostic.get(bufG)) do
  if (code_of(x) or ""):match("^LEAK1") then
    table.insert(heap_in_g, simplify(x))
  end
end
check("no heap diagnostics in " .. G.program .. " with its own (leak-free) snapshot", #heap_in_g == 0, { got = heap_in_g })

-- 4. "Add leak regression test" on a heap-confirmed interval (examples/poller)

local poller_snapshot = env("LEAKLSP_POLLER_SNAPSHOT")
local bufP = open("poller/poller.js")
local poller_line, poller_col
for i, l in ipairs(buffer_text(bufP)) do
  if l:find("// leak: LEAK105", 1, true) then
    poller_line, poller_col = i, l:find("setInterval", 1, true) - 1
  end
end
loaded, info = open_snapshot({ file = vim.fn.fnamemodify(poller_snapshot, ":t") }, poller_snapshot)
check(":LeakOpenSnapshot poller.heapsnapshot", loaded, info)
ok = wait(function()
  return find(bufP, "LEAK105", { [poller_line] = true }) ~= nil
end)
check("heap-confirmed LEAK105 at poller/poller.js:" .. poller_line, ok, { got = codes(bufP) })
local titles = {}
vim.ui.select = function(items, opts, on_choice)
  for i, item in ipairs(items) do
    local action = item.action or item[2]
    table.insert(titles, action.title)
    if action.title:find("Add leak regression test", 1, true) then
      return on_choice(item, i)
    end
  end
  on_choice(nil, nil)
end
vim.api.nvim_set_current_buf(bufP)
vim.api.nvim_win_set_cursor(0, { poller_line, poller_col }) -- on the diagnostic
vim.lsp.buf.code_action()
local test_file = WS .. "/poller/poller.leak.test.js"
local test_text = {}
ok = wait(function()
  local b = vim.fn.bufnr(test_file)
  test_text = b > 0 and vim.api.nvim_buf_get_lines(b, 0, -1, false) or {}
  return table.concat(test_text, "\n"):find("new Poller()", 1, true) ~= nil
end)
if ok then
  vim.api.nvim_buf_call(vim.fn.bufnr(test_file), function() vim.cmd("silent write") end)
end
local on_disk = vim.fn.filereadable(test_file) == 1 and table.concat(vim.fn.readfile(test_file), "\n") or ""
check("\"Add leak regression test\" writes poller.leak.test.js (node:test, assertNoLeak)", ok
  and on_disk:find("require('node:test')", 1, true) ~= nil and on_disk:find("assertNoLeak", 1, true) ~= nil, {
  offered = titles,
  text = test_text,
})

-- 5. :LeakCloseSnapshot drops heap evidence, static findings stay ------------

local n = #notifications
vim.cmd("LeakCloseSnapshot")
ok = wait(function()
  for i = n + 1, #notifications do
    if notifications[i].msg:find("closed", 1, true) then
      return true
    end
  end
  return false
end)
check(":LeakCloseSnapshot", ok and #errors_since(n) == 0, { errors = errors_since(n) })

-- Summary --------------------------------------------------------------------

H.finish({
  nvim = vim.version(),
  server = SERVER,
  ms = math.floor((vim.loop.hrtime() - t0) / 1e6),
  notifications = notifications,
})
