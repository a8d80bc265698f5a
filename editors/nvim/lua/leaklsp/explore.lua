-- leaklsp for Neovim: capture heap snapshots from running Node processes
-- (:LeakCapture, :LeakGrowth) and explore the loaded heap (:LeakSuspects
-- fills the quickfix list, :LeakRetainers opens a float at the cursor's
-- site, the CodeLens command shows the same float). Neovim 0.7 API only.
local X = {}

local function leaklsp()
  return require("leaklsp")
end

local function notify(msg, level)
  vim.notify("leaklsp: " .. msg, level or vim.log.levels.INFO)
end

local has_011 = vim.fn.has("nvim-0.11") == 1

local function request(client, method, params, handler, bufnr)
  if has_011 then
    return client:request(method, params, handler, bufnr)
  end
  return client.request(method, params, handler, bufnr)
end

local function config()
  local L = leaklsp()
  return L.config or L.defaults
end

-- The leaklsp executable: the first word of the server command.
local function server_bin()
  return config().cmd[1]
end

-- The project root of the current buffer's server, else the working
-- directory: commands run there (a --run "node load.js" is relative to it).
local function root()
  local client = leaklsp().client_for(0)
  return client and client.config and client.config.root_dir or vim.fn.getcwd()
end

-- Where captures go: capture_dir (default ".leaklsp") under the root.
function X.capture_dir()
  local dir = config().capture_dir or ".leaklsp"
  if dir:sub(1, 1) == "/" then
    return dir
  end
  return root() .. "/" .. dir
end

-- run(cmd, on_exit(code, stdout_lines, stderr_lines)) runs a command
-- without blocking the editor.
local function run(cmd, on_exit)
  local out, err = {}, {}
  local id = vim.fn.jobstart(cmd, {
    cwd = root(),
    stdout_buffered = true,
    stderr_buffered = true,
    on_stdout = function(_, data)
      out = data or {}
    end,
    on_stderr = function(_, data)
      err = data or {}
    end,
    on_exit = function(_, code)
      vim.schedule(function()
        on_exit(code, vim.tbl_filter(function(l) return l ~= "" end, out), vim.tbl_filter(function(l) return l ~= "" end, err))
      end)
    end,
  })
  if id <= 0 then
    notify("cannot run " .. table.concat(cmd, " "), vim.log.levels.ERROR)
  end
  return id
end

-- pick_target(on_target) offers the Node processes of `leaklsp targets`.
function X.pick_target(on_target)
  run({ server_bin(), "targets", "--json" }, function(code, out, err)
    if code ~= 0 then
      notify("targets: " .. table.concat(err, " "), vim.log.levels.ERROR)
      return
    end
    local ok, list = pcall(vim.json.decode, table.concat(out, "\n"))
    if not ok or type(list) ~= "table" or #list == 0 then
      notify("no Node.js process found (start one with --inspect, or give host:port)", vim.log.levels.WARN)
      return
    end
    vim.ui.select(list, {
      prompt = "Capture from:",
      format_item = function(p)
        return string.format("%d  %s  %s", p.pid, p.inspector and p.inspector ~= vim.NIL and "inspector" or "(SIGUSR1)", p.command)
      end,
    }, function(p)
      if p then
        on_target((p.inspector and p.inspector ~= vim.NIL) and p.inspector or ("pid:" .. p.pid))
      end
    end)
  end)
end

local function with_target(target, fn)
  if target and target ~= "" then
    fn(target)
  else
    X.pick_target(fn)
  end
end

-- Take a heap snapshot of target (ws://…, host:port, port, pid:N) into
-- capture_dir, then load it. on_done(err, file) when loaded.
function X.capture(target, on_done)
  with_target(target, function(t)
    local dir = X.capture_dir()
    vim.fn.mkdir(dir, "p")
    local file = dir .. "/" .. os.date("heap-%Y%m%d-%H%M%S") .. ".heapsnapshot.gz"
    notify("capturing " .. t .. " …")
    run({ server_bin(), "capture", "-o", file, t }, function(code, _, err)
      if code ~= 0 then
        notify("capture failed: " .. table.concat(err, " "), vim.log.levels.ERROR)
        if on_done then
          on_done(err, nil)
        end
        return
      end
      leaklsp().open_snapshot(file, function(e)
        X.refresh_lenses()
        if on_done then
          on_done(e, file)
        end
      end)
    end)
  end)
end

-- Baseline, wait (a duration such as "30s", or run a command), target;
-- then compare them in the server (LEAK120 growth and every detector).
function X.growth(target, wait, on_done)
  with_target(target, function(t)
    local dir = X.capture_dir()
    vim.fn.mkdir(dir, "p")
    local cmd = { server_bin(), "watch", "--capture-only", "-o", dir }
    if wait and wait:match("^%d+%.?%d*[mun]?[smh]$") then
      vim.list_extend(cmd, { "--after", wait })
    else
      vim.list_extend(cmd, { "--run", wait or "sleep 30" })
    end
    table.insert(cmd, t)
    notify("baseline of " .. t .. ", then " .. (wait or "30s") .. " …")
    run(cmd, function(code, out, err)
      if code ~= 0 or #out ~= 2 then
        notify("growth failed: " .. table.concat(err, " "), vim.log.levels.ERROR)
        if on_done then
          on_done(err, nil)
        end
        return
      end
      leaklsp().compare(out[1], out[2], function(e)
        X.refresh_lenses()
        if on_done then
          on_done(e, out[2])
        end
      end)
    end)
  end)
end

-- Ask the buffer's server a leaklsp/* request.
local function ask(method, params, handler)
  local client = leaklsp().client_for(0)
  if not client then
    notify("no leaklsp server for this buffer", vim.log.levels.ERROR)
    return false
  end
  request(client, method, params, function(err, result)
    if err then
      notify(method .. ": " .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
      return
    end
    handler(result)
  end, vim.api.nvim_get_current_buf())
  return true
end

local function human(n)
  n = tonumber(n) or 0
  for _, u in ipairs({ "B", "KB", "MB", "GB" }) do
    if n < 1000 or u == "GB" then
      return (u == "B" and string.format("%d %s", n, u)) or string.format("%.1f %s", n, u)
    end
    n = n / 1000
  end
end

-- :LeakSuspects: every suspect with a workspace location, in the quickfix
-- list. on_done(items) for tests.
function X.suspects(on_done)
  return ask("leaklsp/suspects", vim.empty_dict(), function(res)
    local items = {}
    for _, s in ipairs(res.suspects or {}) do
      if type(s.location) == "table" then
        table.insert(items, {
          filename = vim.uri_to_fname(s.location.uri),
          lnum = s.location.range.start.line + 1,
          col = s.location.range.start.character + 1,
          text = string.format("%s %s (%d objects, %s retained)", s.code, s.message, s.count, human(s.retainedBytes)),
          type = "E",
        })
      end
    end
    vim.fn.setqflist({}, " ", { title = "Leak suspects: " .. (res.snapshot or ""), items = items })
    if #items > 0 then
      vim.cmd("copen")
    else
      notify(res.snapshot == "" and "no heap snapshot loaded" or "no leak suspect in the workspace")
    end
    if on_done then
      on_done(items)
    end
  end)
end

-- The float's lines for the sites of a leaklsp/retainers answer, and the
-- location each line jumps to.
function X.retainer_lines(res)
  local lines, targets = {}, {}
  for _, site in ipairs(res.sites or {}) do
    table.insert(lines, string.format("%s (self %s)", site.label, human(site.selfBytes)))
    for i, path in ipairs(site.paths or {}) do
      table.insert(lines, string.format("retainer path %d:", i))
      for _, hop in ipairs(path) do
        local where = ""
        if type(hop.location) == "table" then
          where = string.format("  %s:%d", vim.fn.fnamemodify(vim.uri_to_fname(hop.location.uri), ":t"), hop.location.range.start.line + 1)
          targets[#lines + 1] = hop.location
        end
        table.insert(lines, string.format("  .%s → %s%s", hop.edge, hop.node, where))
      end
    end
  end
  return lines, targets
end

-- :LeakRetainers: a float at the cursor with what the heap holds for the
-- sites on this line; <CR> on a hop jumps to its source line.
function X.retainers(pos, on_done)
  local win = vim.api.nvim_get_current_win()
  pos = pos or { line = vim.api.nvim_win_get_cursor(win)[1] - 1, character = 0 }
  local params = { textDocument = { uri = vim.uri_from_bufnr(0) }, position = pos }
  return ask("leaklsp/retainers", params, function(res)
    local lines, targets = X.retainer_lines(res)
    if #lines == 0 then
      notify(res.snapshot == "" and "no heap snapshot loaded" or "the heap snapshot has no live objects for this line")
      if on_done then
        on_done(nil, lines)
      end
      return
    end
    local buf = vim.api.nvim_create_buf(false, true)
    vim.api.nvim_buf_set_lines(buf, 0, -1, false, lines)
    local width = 20
    for _, l in ipairs(lines) do
      width = math.max(width, vim.fn.strdisplaywidth(l))
    end
    local float = vim.api.nvim_open_win(buf, true, {
      relative = "cursor", row = 1, col = 0, style = "minimal", border = "single",
      width = math.min(width, vim.o.columns - 4), height = math.min(#lines, math.max(vim.o.lines - 6, 3)),
    })
    vim.api.nvim_buf_set_keymap(buf, "n", "q", "<cmd>close<CR>", { noremap = true, silent = true })
    vim.api.nvim_buf_set_keymap(buf, "n", "<CR>", "", {
      noremap = true, silent = true,
      callback = function()
        local loc = targets[vim.api.nvim_win_get_cursor(0)[1]]
        if loc then
          vim.api.nvim_win_close(float, true)
          vim.cmd("edit " .. vim.fn.fnameescape(vim.uri_to_fname(loc.uri)))
          vim.api.nvim_win_set_cursor(0, { loc.range.start.line + 1, loc.range.start.character })
        end
      end,
    })
    if on_done then
      on_done(float, lines)
    end
  end)
end

-- Show the heap CodeLens of the visible leaklsp buffers, or turn on the
-- inlay hints of the current one when the settings choose them (0.10+;
-- the server asks for their refresh itself when a snapshot loads).
function X.refresh_lenses()
  if config().codelens == false then
    return
  end
  local settings = config().settings or {}
  if leaklsp().inlay_hints_wanted(settings.leaklsp or settings) and vim.lsp.inlay_hint then
    pcall(vim.lsp.inlay_hint.enable, true, { bufnr = vim.api.nvim_get_current_buf() })
    return
  end
  if vim.lsp.codelens then
    pcall(vim.lsp.codelens.refresh)
  end
end

function X.create_commands()
  local cmd = vim.api.nvim_create_user_command
  cmd("LeakCapture", function(args)
    X.capture(args.args)
  end, { nargs = "?", desc = "leaklsp: capture a heap snapshot from a Node process (ws://…, host:port, port, pid:N)" })
  cmd("LeakGrowth", function(args)
    X.growth(args.fargs[1], args.fargs[2] and table.concat(vim.list_slice(args.fargs, 2), " ") or nil)
  end, { nargs = "*", desc = "leaklsp: find what grows in a Node process: :LeakGrowth TARGET [30s | shell command]" })
  cmd("LeakSuspects", function()
    X.suspects()
  end, { nargs = 0, desc = "leaklsp: leak suspects of the loaded snapshot in the quickfix list" })
  cmd("LeakRetainers", function()
    X.retainers()
  end, { nargs = 0, desc = "leaklsp: what keeps the objects of this line alive" })
  -- The CodeLens command: the float for the lens's site.
  vim.lsp.commands["leaklsp.showRetainers"] = function(command)
    local arg = command.arguments and command.arguments[1]
    if type(arg) == "table" and arg.position then
      X.retainers(arg.position)
    end
  end
  vim.api.nvim_create_autocmd({ "BufEnter", "InsertLeave" }, {
    group = vim.api.nvim_create_augroup("leaklsp_lens", { clear = true }),
    pattern = { "*.js", "*.cjs", "*.mjs", "*.ts", "*.cts", "*.mts", "*.jsx", "*.tsx" },
    callback = function()
      if leaklsp().client_for(0) then
        X.refresh_lenses()
      end
    end,
    desc = "leaklsp: heap CodeLens",
  })
end

return X
