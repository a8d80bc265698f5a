-- End-to-end test of the plugin as installed (the layout release.sh builds,
-- scripts/release/nvim-plugin.sh), in real headless Neovim, run by e2e.sh
-- after e2e.lua:
--   - plugin/leaklsp.lua defines the :Leak* commands without setup();
--   - :help leaklsp works (doc/tags was made at build time);
--   - lsp/leaklsp.lua is a working client configuration: on 0.11+ through
--     vim.lsp.config/vim.lsp.enable, on older Neovim started by hand the way
--     vim.lsp.enable would; the server it starts reports the static LEAK001
--     and, after :LeakOpenSnapshot, the heap LEAK101 on the fixture's line.
-- Prints "N passed, N failed"; exits 0 (all passed) or 1.

local H = dofile(vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":h") .. "/harness.lua")
local env, check = H.env, H.check

local WS = env("LEAKLSP_WS")
local FIXTURES = env("LEAKLSP_FIXTURES")
local SERVER = env("LEAKLSP_SERVER")
local PLUGIN = env("LEAKLSP_PLUGIN")
local TIMEOUT = tonumber(os.getenv("LEAKLSP_TIMEOUT_MS") or "") or 20000


local manifest = vim.json.decode(table.concat(vim.fn.readfile(FIXTURES .. "/manifest.json"), "\n"))
local A
for _, s in ipairs(manifest.snapshots) do
  if s.scenario == "a-timers-als" and not s.allocation_tracking then
    A = s
  end
end
local timer_line
for _, g in ipairs(A.ground_truth.groups) do
  if g.id == "finished-timeout" then
    timer_line = g.allocation_site.line
  end
end
assert(timer_line, "manifest: no finished-timeout group for a-timers-als")

local notifications = {}
vim.notify = function(msg, level)
  table.insert(notifications, { msg = msg, level = level or vim.log.levels.INFO })
end

-- An error must not leave a headless Neovim waiting: it is a failed check.
local function run()
  -- Installed the way a package manager does: on 'runtimepath', plugin/ sourced.
  vim.opt.runtimepath:prepend(PLUGIN)
  vim.cmd("runtime! plugin/leaklsp.lua")

  check("plugin/leaklsp.lua defines :LeakOpenSnapshot without setup()", vim.fn.exists(":LeakOpenSnapshot") == 2)

  local ok, err = pcall(vim.cmd, "help leaklsp")
  check(":help leaklsp opens doc/leaklsp.txt", ok and vim.bo.buftype == "help" and vim.api.nvim_buf_get_name(0):match("doc/leaklsp%.txt$"), err)
  ok, err = pcall(vim.cmd, "help leaklsp-nvim-0.11")
  check(":help leaklsp-nvim-0.11 finds the 0.11 section", ok and vim.api.nvim_get_current_line():find("leaklsp-nvim-0.11", 1, true), err)
  vim.cmd("helpclose")

  -- The configuration vim.lsp.enable("leaklsp") would use.
  local config_file = vim.api.nvim_get_runtime_file("lsp/leaklsp.lua", false)[1]
  check("lsp/leaklsp.lua is on 'runtimepath'", config_file ~= nil)
  local config = dofile(config_file)
  check("lsp/leaklsp.lua: cmd, filetypes, root_markers", config.cmd[1] == "leaklsp" and vim.tbl_contains(config.filetypes, "javascript") and vim.tbl_contains(config.root_markers, "package.json"), { cmd = config.cmd, filetypes = config.filetypes, root_markers = config.root_markers })

  local mappings = { [vim.fn.fnamemodify(A.script_path_in_snapshot, ":h")] = WS }
  local file = WS .. "/" .. A.program
  local has_011 = vim.fn.has("nvim-0.11") == 1
  if has_011 then
    vim.lsp.config("leaklsp", { cmd = { SERVER, "serve" }, settings = { leaklsp = { pathMappings = mappings, rules = {} } } })
    vim.lsp.enable("leaklsp")
    vim.cmd("edit " .. vim.fn.fnameescape(file))
  else
    -- What vim.lsp.enable does on 0.11: find the root by root_markers, start
    -- a client named after the config, attach the buffer.
    vim.cmd("edit " .. vim.fn.fnameescape(file))
    config.name = "leaklsp"
    config.cmd = { SERVER, "serve" }
    config.settings = { leaklsp = { pathMappings = mappings, rules = {} } }
    config.root_dir = require("leaklsp").find_root(file, config.root_markers)
    local id = vim.lsp.start_client(config)
    vim.lsp.buf_attach_client(0, id)
  end
  local buf = vim.api.nvim_get_current_buf()
  if vim.bo[buf].filetype == "" then
    vim.bo[buf].filetype = "javascript"
  end

  local function has(code)
    for _, d in ipairs(vim.diagnostic.get(buf, { lnum = timer_line - 1 })) do
      local c = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
      if c == code then
        return true
      end
    end
    return false
  end
  local function all()
    local out = {}
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      table.insert(out, { line = d.lnum + 1, message = d.message })
    end
    return out
  end

  ok = vim.wait(TIMEOUT, function()
    return has("LEAK001")
  end, 20)
  check((has_011 and "vim.lsp.enable" or "lsp/leaklsp.lua started by hand") .. ": static LEAK001 at " .. A.program .. ":" .. timer_line, ok, { got = all(), notifications = notifications })

  local n = #notifications
  vim.cmd("LeakOpenSnapshot " .. vim.fn.fnameescape(FIXTURES .. "/" .. A.file))
  ok = vim.wait(60000, function()
    return has("LEAK101")
  end, 20)
  check(":LeakOpenSnapshot (plugin/ command, client from lsp/leaklsp.lua): heap LEAK101 at line " .. timer_line, ok, { got = all(), notifications = { unpack(notifications, n + 1) } })
end
local ran, run_err = xpcall(run, debug.traceback)
check("packaging.lua ran to the end", ran, run_err)

H.finish({ nvim = vim.version() })
