-- :checkhealth leaklsp
local M = {}

-- 0.10 has vim.health.start/ok/…; 0.7–0.9 have require("health").report_*.
local function reporter()
  local h = vim.health
  if h and h.start then
    return h
  end
  h = require("health")
  return {
    start = h.report_start,
    ok = h.report_ok,
    info = h.report_info,
    warn = h.report_warn,
    error = h.report_error,
  }
end

function M.check()
  local health = reporter()
  local leaklsp = require("leaklsp")

  health.start("leaklsp")
  if vim.fn.has("nvim-0.7") == 1 then
    health.ok("Neovim " .. tostring(vim.version().major) .. "." .. tostring(vim.version().minor) .. " (0.7 or newer)")
  else
    health.error("Neovim 0.7 or newer is required")
  end

  if not leaklsp.config then
    health.warn('setup() has not been called', { 'Add require("leaklsp").setup{} to your config' })
  end
  local config = leaklsp.config or leaklsp.defaults
  local exe = config.cmd[1]
  if vim.fn.executable(exe) == 1 then
    health.ok("server: " .. vim.fn.exepath(exe))
    local out = vim.fn.system({ exe, "version" })
    if vim.v.shell_error == 0 then
      health.info("version: " .. vim.trim(out))
    end
  else
    health.error("server not found: " .. exe, {
      "Install it: npm install -g leaklsp (prebuilt), or go install github.com/leaklsp/leaklsp/cmd/leaklsp@latest",
      'or point setup{ cmd = { "/path/to/leaklsp", "serve" } } at it',
    })
  end

  local clients = leaklsp.clients()
  if #clients == 0 then
    health.info("no leaklsp client running (open a JavaScript/TypeScript file)")
  end
  for _, client in ipairs(clients) do
    local snapshot = leaklsp.loaded[client.id]
    health.ok(string.format("client %d, root %s, snapshot: %s", client.id, tostring(client.config.root_dir), snapshot or "none"))
  end
end

return M
