-- leaklsp for Neovim: starts the leaklsp language server for JavaScript and
-- TypeScript buffers (one client per project root) and adds :Leak* commands
-- to load V8 heap snapshots.
--
-- Works on Neovim 0.7 (vim.lsp.start_client + buf_attach_client) and newer
-- (vim.lsp.start from 0.8). Keep the 0.7 path free of 0.8+ APIs: 0.7.2 is
-- what the end-to-end test runs.
local M = {}

M.name = "leaklsp"

M.defaults = {
  -- Server command; the client talks LSP over its stdin/stdout.
  cmd = { "leaklsp", "serve" },
  filetypes = { "javascript", "javascriptreact", "typescript", "typescriptreact" },
  root_markers = { "package.json", "tsconfig.json", ".git" },
  -- leaklsp settings: snapshot, baseline, pathMappings, rules, includeNodeModules, lens.
  settings = {},
  on_attach = nil,
  capabilities = nil,
  -- Register :LeakOpenSnapshot and friends.
  commands = true,
  -- Captures (:LeakCapture, :LeakGrowth) go here, under the project root.
  capture_dir = ".leaklsp",
  -- Show the heap CodeLens ("1,350 closures · 1.6 MB retained"); with
  -- settings = { lens = { style = "inlayHint" } } they are inlay hints at
  -- the end of the line instead (Neovim 0.10+), enabled in leaklsp buffers.
  codelens = true,
}

M.config = nil

-- root_dir -> client id, so every buffer of a project shares one server.
local clients_by_root = {}
-- client id -> path of the loaded snapshot (for statuslines and :checkhealth).
M.loaded = {}

-- Client API shims: 0.10 renamed the client listings and 0.11 made client
-- methods colon calls; the old spellings warn there.
local has_011 = vim.fn.has("nvim-0.11") == 1

local function get_clients(filter)
  if vim.lsp.get_clients then
    return vim.lsp.get_clients(filter)
  end
  if filter and filter.bufnr then
    return vim.tbl_values(vim.lsp.buf_get_clients(filter.bufnr))
  end
  return vim.lsp.get_active_clients()
end

local function is_stopped(client)
  if has_011 then
    return client:is_stopped()
  end
  return client.is_stopped()
end

local function request(client, method, params, handler, bufnr)
  if has_011 then
    return client:request(method, params, handler, bufnr)
  end
  return client.request(method, params, handler, bufnr)
end

local function notify(msg, level)
  vim.notify("leaklsp: " .. msg, level or vim.log.levels.INFO)
end

-- JSON needs objects, not empty arrays: Lua cannot tell `{}` apart, and the
-- server expects maps for pathMappings and rules.
local function as_json_objects(settings)
  local out = vim.empty_dict()
  for k, v in pairs(settings or {}) do
    if type(v) == "table" and next(v) == nil then
      out[k] = vim.empty_dict()
    else
      out[k] = v
    end
  end
  return out
end

-- Accept both `settings = { pathMappings = … }` and the lspconfig habit
-- `settings = { leaklsp = { … } }`.
local function leaklsp_settings(settings)
  settings = settings or {}
  if type(settings.leaklsp) == "table" then
    return settings.leaklsp
  end
  return settings
end

-- The heap counts as inlay hints (settings lens.style = "inlayHint") need
-- vim.lsp.inlay_hint (Neovim 0.10+). Older versions get the CodeLens
-- instead of nothing, with a warning once.
local warned_inlay = false
function M.inlay_hints_wanted(settings)
  local lens = settings and settings.lens
  return type(lens) == "table" and lens.style == "inlayHint"
end

local function lens_fallback(settings)
  if not M.inlay_hints_wanted(settings) or vim.lsp.inlay_hint then
    return settings
  end
  if not warned_inlay then
    warned_inlay = true
    notify("lens.style = \"inlayHint\" needs Neovim 0.10 or newer; showing the heap counts as CodeLens", vim.log.levels.WARN)
  end
  local out = vim.deepcopy(settings)
  out.lens.style = "codeLens"
  return out
end

-- Search upwards from path for a root marker (0.7 has no vim.fs).
function M.find_root(path, markers)
  local dir = vim.fn.fnamemodify(path, ":p:h")
  while true do
    for _, marker in ipairs(markers) do
      if vim.loop.fs_stat(dir .. "/" .. marker) then
        return dir
      end
    end
    local parent = vim.fn.fnamemodify(dir, ":h")
    if parent == dir then
      return nil
    end
    dir = parent
  end
end

-- The client configuration for one root; also usable on its own with
-- vim.lsp.start (see :help leaklsp-lspconfig).
function M.client_config(root_dir, opts)
  opts = opts or M.config or M.defaults
  local settings = as_json_objects(lens_fallback(leaklsp_settings(opts.settings)))
  return {
    name = M.name,
    cmd = opts.cmd,
    root_dir = root_dir,
    init_options = settings,
    -- Sent as workspace/didChangeConfiguration {settings = {leaklsp = …}}.
    settings = { leaklsp = settings },
    capabilities = opts.capabilities,
    on_attach = opts.on_attach,
    on_exit = function(_, _, client_id)
      M.loaded[client_id] = nil
      for root, id in pairs(clients_by_root) do
        if id == client_id then
          clients_by_root[root] = nil
        end
      end
    end,
  }
end

-- The configuration that lsp/leaklsp.lua gives vim.lsp.config (Neovim
-- 0.11+): `vim.lsp.enable("leaklsp")` then starts the server with it, and
-- the :Leak* commands (plugin/leaklsp.lua) find the client by name. Users
-- override fields with vim.lsp.config("leaklsp", {…}); their settings go
-- under `settings = { leaklsp = {…} }` and are sent as init options too.
function M.lsp_config()
  return {
    cmd = vim.deepcopy(M.defaults.cmd),
    filetypes = vim.deepcopy(M.defaults.filetypes),
    root_markers = vim.deepcopy(M.defaults.root_markers),
    settings = { leaklsp = {} },
    before_init = function(params, config)
      local settings = as_json_objects(lens_fallback(leaklsp_settings(config.settings)))
      params.initializationOptions = settings
      -- Answers to workspace/configuration read this table: empty maps
      -- must stay JSON objects there too.
      if type(config.settings) == "table" and type(config.settings.leaklsp) == "table" then
        for k, v in pairs(settings) do
          config.settings.leaklsp[k] = v
        end
      end
    end,
    on_exit = function(_, _, client_id)
      M.loaded[client_id] = nil
    end,
  }
end

local function is_file_buffer(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr)
  return name ~= "" and vim.bo[bufnr].buftype == "" and not name:match("^%a[%w+.-]*://")
end

local function live_client(id)
  local client = id and vim.lsp.get_client_by_id(id)
  if client and not is_stopped(client) then
    return client
  end
  return nil
end

-- Start (or reuse) the server for the buffer's project and attach it.
function M.attach(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  if not is_file_buffer(bufnr) then
    return nil
  end
  local opts = M.config or M.defaults
  local path = vim.api.nvim_buf_get_name(bufnr)
  local root = M.find_root(path, opts.root_markers) or vim.fn.fnamemodify(path, ":p:h")

  local existing = live_client(clients_by_root[root])
  if existing then
    vim.lsp.buf_attach_client(bufnr, existing.id)
    return existing.id
  end

  local config = M.client_config(root, opts)
  local id
  if vim.fn.has("nvim-0.8") == 1 then
    -- vim.lsp.start attaches the current buffer and reuses a client with the
    -- same name and root_dir.
    vim.api.nvim_buf_call(bufnr, function()
      id = vim.lsp.start(config, { bufnr = bufnr })
    end)
  else
    id = vim.lsp.start_client(config)
    if id then
      vim.lsp.buf_attach_client(bufnr, id)
    end
  end
  if not id then
    notify("could not start " .. table.concat(opts.cmd, " "), vim.log.levels.ERROR)
    return nil
  end
  clients_by_root[root] = id
  return id
end

-- All running leaklsp clients.
function M.clients()
  local out = {}
  for _, client in ipairs(get_clients()) do
    if client.name == M.name then
      table.insert(out, client)
    end
  end
  return out
end

-- The leaklsp client of a buffer, or the only one running.
function M.client_for(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  for _, client in ipairs(get_clients({ bufnr = bufnr })) do
    if client.name == M.name then
      return client
    end
  end
  local all = M.clients()
  if #all == 1 then
    return all[1]
  end
  return nil
end

-- Run a server command; on_done(err, result) is called when it answers.
function M.execute(command, arguments, on_done)
  local client = M.client_for(0)
  if not client then
    notify("no leaklsp server for this buffer (open a JavaScript/TypeScript file first)", vim.log.levels.ERROR)
    return false
  end
  local params = { command = command, arguments = arguments }
  request(client, "workspace/executeCommand", params, function(err, result)
    if err then
      notify(command .. " failed: " .. (err.message or vim.inspect(err)), vim.log.levels.ERROR)
    end
    if on_done then
      on_done(err, result, client)
    end
  end, vim.api.nvim_get_current_buf())
  return true
end

local function absolute(path)
  return vim.fn.fnamemodify(vim.fn.expand(path), ":p")
end

local function describe(result)
  if type(result) ~= "table" then
    return ""
  end
  local function count(n, noun)
    return string.format("%s %s%s", tostring(n or "?"), noun, n == 1 and "" or "s")
  end
  return string.format(" (%s in %s)", count(result.suspects, "suspect"), count(result.files, "file"))
end

-- after(on_success, on_done) is an execute callback: on_success(result,
-- client) when the command worked, then the outcome to the caller's on_done.
local function after(on_success, on_done)
  return function(err, result, client)
    if not err then
      on_success(result, client)
    end
    if on_done then
      on_done(err, result)
    end
  end
end

-- Load a heap snapshot (.heapsnapshot or .heapsnapshot.gz).
function M.open_snapshot(path, on_done)
  path = absolute(path)
  if vim.fn.filereadable(path) == 0 then
    notify("cannot read " .. path, vim.log.levels.ERROR)
    return false
  end
  notify("loading " .. path .. " …")
  return M.execute("leaklsp.server.openSnapshot", { { path = path } }, after(function(result, client)
    M.loaded[client.id] = path
    notify("loaded " .. path .. describe(result))
  end, on_done))
end

-- Compare a target snapshot with a baseline (growth per allocation site).
function M.compare(baseline, target, on_done)
  baseline, target = absolute(baseline), absolute(target)
  return M.execute("leaklsp.server.compareSnapshots", { { baseline = baseline, target = target } }, after(function(result, client)
    M.loaded[client.id] = target
    notify("compared " .. target .. " with " .. baseline .. describe(result))
  end, on_done))
end

function M.close_snapshot(on_done)
  return M.execute("leaklsp.server.closeSnapshot", {}, after(function(_, client)
    M.loaded[client.id] = nil
    notify("heap snapshot closed")
  end, on_done))
end

function M.scan_workspace(on_done)
  return M.execute("leaklsp.server.scanWorkspace", {}, on_done)
end

-- For statuslines: the snapshot loaded in this buffer's server, or "".
function M.status()
  local client = M.client_for(0)
  local path = client and M.loaded[client.id]
  return path and ("leak: " .. vim.fn.fnamemodify(path, ":t")) or ""
end

-- The :Leak* commands; plugin/leaklsp.lua creates them at startup, setup()
-- again (both are idempotent).
function M.create_commands()
  local cmd = vim.api.nvim_create_user_command
  cmd("LeakOpenSnapshot", function(args)
    if args.args ~= "" then
      M.open_snapshot(args.args)
      return
    end
    vim.ui.input({ prompt = "Heap snapshot: ", completion = "file" }, function(input)
      if input and input ~= "" then
        M.open_snapshot(input)
      end
    end)
  end, { nargs = "?", complete = "file", desc = "leaklsp: load a V8 heap snapshot" })

  cmd("LeakCompare", function(args)
    if #args.fargs ~= 2 then
      notify("usage: :LeakCompare {baseline} {target}", vim.log.levels.ERROR)
      return
    end
    M.compare(args.fargs[1], args.fargs[2])
  end, { nargs = "+", complete = "file", desc = "leaklsp: compare a heap snapshot with a baseline" })

  cmd("LeakCloseSnapshot", function()
    M.close_snapshot()
  end, { nargs = 0, desc = "leaklsp: unload the heap snapshot" })

  cmd("LeakScanWorkspace", function()
    M.scan_workspace()
  end, { nargs = 0, desc = "leaklsp: scan every JS/TS file of the workspace" })

  -- :LeakCapture, :LeakGrowth, :LeakSuspects, :LeakRetainers (explore.lua).
  require("leaklsp.explore").create_commands()
end

-- setup{ cmd = {…}, settings = {…}, filetypes = …, root_markers = …,
--        on_attach = …, capabilities = …, commands = true }
function M.setup(opts)
  M.config = vim.tbl_deep_extend("force", {}, M.defaults, opts or {})
  -- Lists are replaced, not merged index by index.
  for _, key in ipairs({ "cmd", "filetypes", "root_markers" }) do
    if opts and opts[key] then
      M.config[key] = opts[key]
    end
  end
  if M.config.commands then
    M.create_commands()
  end

  local group = vim.api.nvim_create_augroup("leaklsp", { clear = true })
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = M.config.filetypes,
    callback = function(ev)
      M.attach(ev.buf)
    end,
    desc = "leaklsp: start or attach the language server",
  })
  -- Buffers opened before setup() (lazy loading).
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(M.config.filetypes, vim.bo[bufnr].filetype) then
      M.attach(bufnr)
    end
  end
end

return M
