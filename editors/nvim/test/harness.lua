-- Shared by the Neovim end-to-end scripts (e2e.lua, e2e-capture.lua,
-- packaging.lua), loaded with dofile: required environment, the list of
-- checks, and the summary that ends each run. Neovim 0.7 API.
local M = { checks = {} }

-- env returns a variable the test's .sh script must set.
function M.env(name)
  local v = os.getenv(name)
  assert(v and v ~= "", name .. " is not set (run the test through its .sh script)")
  return v
end

-- code_of is a diagnostic's LEAK code: newer Neovim carries it as d.code,
-- 0.7 only in d.user_data.lsp.
function M.code_of(d)
  if d.code then
    return d.code
  end
  local lsp = d.user_data and d.user_data.lsp
  return lsp and lsp.code
end

function M.check(name, ok, detail)
  table.insert(M.checks, { name = name, ok = ok and true or false, detail = detail })
end

-- finish stops the leaklsp clients, prints one JSON summary (fields plus
-- the checks) and "N passed, N failed", and quits: 0 all passed, else 1.
function M.finish(fields)
  local passed, failed = 0, 0
  for _, c in ipairs(M.checks) do
    if c.ok then
      passed = passed + 1
    else
      failed = failed + 1
    end
  end
  local leaklsp = require("leaklsp")
  for _, client in ipairs(leaklsp.clients()) do
    if vim.fn.has("nvim-0.11") == 1 then
      client:stop()
    else
      client.stop()
    end
  end
  vim.wait(2000, function()
    return #leaklsp.clients() == 0
  end, 20)
  fields.checks = M.checks
  local encoded, json = pcall(vim.json.encode, fields)
  io.stdout:write((encoded and json or vim.inspect(fields)) .. "\n")
  io.stdout:write(string.format("%d passed, %d failed\n", passed, failed))
  io.stdout:flush()
  if failed > 0 then
    vim.cmd("cquit! 1")
  else
    vim.cmd("qall!")
  end
end

return M
