-- End-to-end test of capture and heap exploration in real (headless)
-- Neovim; run by e2e-capture.sh, Neovim 0.7 API. The ground truth is the
-- "// LEAK101" label in the leaking script and its JOBS count.
local t0 = vim.loop.hrtime()

local H = dofile(vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":h") .. "/harness.lua")
local env, check = H.env, H.check

local WS = env("LEAKLSP_WS")
local SERVER = env("LEAKLSP_SERVER")
local PLUGIN = env("LEAKLSP_PLUGIN")
local TARGET = env("LEAKLSP_TARGET") -- host:port of the leaking node's inspector
local TIMEOUT = tonumber(os.getenv("LEAKLSP_TIMEOUT_MS") or "") or 60000
local SCRIPT = "timers-als.js"
local JOBS = 2000 -- the script's default JOBS: one leaked Timeout each


local function wait(cond, ms)
  return vim.wait(ms or TIMEOUT, cond, 20)
end

-- The labelled line (1-based).
local leak_line
for i, l in ipairs(vim.fn.readfile(WS .. "/" .. SCRIPT)) do
  if l:match("// LEAK101$") then
    leak_line = i
  end
end
assert(leak_line, "no // LEAK101 label in " .. SCRIPT)

vim.o.hidden = true
vim.opt.runtimepath:prepend(PLUGIN)
local notifications = {}
vim.notify = function(msg, level)
  table.insert(notifications, { msg = msg, level = level or vim.log.levels.INFO })
end
local function errors()
  local out = {}
  for _, n in ipairs(notifications) do
    if n.level >= vim.log.levels.ERROR then
      table.insert(out, n.msg)
    end
  end
  return out
end

local leaklsp = require("leaklsp")
local explore = require("leaklsp.explore")
leaklsp.setup({ cmd = { SERVER, "serve" } })

vim.cmd("edit " .. vim.fn.fnameescape(WS .. "/" .. SCRIPT))
local buf = vim.api.nvim_get_current_buf()
if vim.bo[buf].filetype == "" then
  vim.bo[buf].filetype = "javascript"
end
check("server attached", wait(function() return leaklsp.client_for(buf) ~= nil end), {})

local code_of = H.code_of
local function has(code, line)
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if code_of(d) == code and (line == nil or d.lnum + 1 == line) then
      return true
    end
  end
  return false
end

-- :LeakCapture TARGET → LEAK101 on the labelled line.
local start = vim.loop.hrtime()
local done, file
vim.cmd("LeakCapture " .. TARGET)
-- The command's own callback is internal; wait on its visible outcome.
local ok = wait(function() return has("LEAK101", leak_line) end)
local capture_ms = math.floor((vim.loop.hrtime() - start) / 1e6)
local caps = vim.fn.glob(WS .. "/.leaklsp/*.heapsnapshot.gz", false, true)
check(":LeakCapture shows LEAK101 on the labelled line", ok and #errors() == 0,
  { line = leak_line, ms = capture_ms, captures = caps, errors = errors() })
check("capture saved under .leaklsp/", #caps == 1, { captures = caps })

-- CodeLens on the same line: the Timeouts and their callbacks.
local client = leaklsp.client_for(buf)
local lenses
local function req(method, params)
  local res
  local handler = function(err, result) res = { err = err, result = result } end
  if vim.fn.has("nvim-0.11") == 1 then
    client:request(method, params, handler, buf)
  else
    client.request(method, params, handler, buf)
  end
  wait(function() return res ~= nil end, 10000)
  return res
end
local r = req("textDocument/codeLens", { textDocument = { uri = vim.uri_from_bufnr(buf) } })
local titles = {}
local timer_lens = false
for _, l in ipairs((r and r.result) or {}) do
  table.insert(titles, { line = l.range.start.line + 1, title = l.command.title })
  if l.range.start.line + 1 == leak_line and l.command.title:find("^2,000 timers") then
    timer_lens = true
  end
end
check("CodeLens: 2,000 timers on the labelled line", timer_lens, { lenses = titles, jobs = JOBS })

-- :LeakSuspects → quickfix item on the labelled line.
local items
explore.suspects(function(it) items = it end)
wait(function() return items ~= nil end, 10000)
local in_qf = false
for _, it in ipairs(vim.fn.getqflist()) do
  if it.lnum == leak_line and it.text:find("^LEAK101") and vim.api.nvim_buf_get_name(it.bufnr):find(SCRIPT, 1, true) then
    in_qf = true
  end
end
check(":LeakSuspects fills the quickfix list", in_qf, { items = items })
vim.cmd("cclose")

-- :LeakRetainers at the labelled line → float with the timers and a path.
vim.api.nvim_set_current_buf(buf)
vim.api.nvim_win_set_cursor(0, { leak_line, 0 })
local float, lines
explore.retainers(nil, function(w, l) float, lines = w, l end)
wait(function() return lines ~= nil end, 10000)
local text = table.concat(lines or {}, "\n")
check(":LeakRetainers opens a float with the retainer paths",
  float ~= nil and text:find("2,000 timers", 1, true) ~= nil and text:find("retainer path 1:", 1, true) ~= nil
    and text:find(".timeout → Timeout @", 1, true) ~= nil,
  { lines = lines })
if float and vim.api.nvim_win_is_valid(float) then
  vim.api.nvim_win_close(float, true)
end

-- :LeakGrowth TARGET 300ms: the process does not grow, so the comparison
-- loads and reports no LEAK120 (negative case), while LEAK101 stays.
local before = #notifications
vim.cmd("LeakGrowth " .. TARGET .. " 300ms")
local compared = wait(function()
  for i = before + 1, #notifications do
    if notifications[i].msg:find("compared", 1, true) then
      return true
    end
  end
  return false
end)
wait(function() return has("LEAK101", leak_line) end, 10000)
check(":LeakGrowth compares baseline and target, no growth reported", compared and not has("LEAK120") and has("LEAK101", leak_line) and #errors() == 0,
  { errors = errors(), captures = vim.fn.glob(WS .. "/.leaklsp/*.heapsnapshot.gz", false, true) })

-- lens.style = "inlayHint": Neovim 0.10+ sends it on (and turns the hints
-- on in leaklsp buffers); older ones have no inlay hints and send
-- "codeLens" instead, with a warning, so the counts still show.
local warn_from = #notifications
local cfg = leaklsp.client_config(WS, { cmd = { SERVER, "serve" }, settings = { lens = { style = "inlayHint" } } })
local inlay = vim.lsp.inlay_hint ~= nil
local warned = false
for i = warn_from + 1, #notifications do
  local n = notifications[i]
  warned = warned or (n.level == vim.log.levels.WARN and n.msg:find("inlayHint", 1, true) ~= nil)
end
check("lens.style inlayHint: " .. (inlay and "sent as is" or "CodeLens with a warning on this Neovim"),
  cfg.init_options.lens.style == (inlay and "inlayHint" or "codeLens") and warned == not inlay,
  { sent = cfg.init_options.lens, warned = warned })

-- Summary ----------------------------------------------------------------
H.finish({ nvim = vim.version(), ms = math.floor((vim.loop.hrtime() - t0) / 1e6), capture_to_diagnostic_ms = capture_ms, notifications = notifications })
