-- Defines :LeakOpenSnapshot, :LeakCompare, :LeakCloseSnapshot and
-- :LeakScanWorkspace at startup, so they exist however the server is
-- started (vim.lsp.enable on 0.11+, require("leaklsp").setup() on 0.7+).
-- Starts nothing. Set vim.g.leaklsp_commands = false to skip them.
if vim.g.loaded_leaklsp or vim.fn.has("nvim-0.7") == 0 then
  return
end
vim.g.loaded_leaklsp = true
if vim.g.leaklsp_commands ~= false then
  require("leaklsp").create_commands()
end
