-- Neovim 0.11+: vim.lsp.enable("leaklsp") finds this file on 'runtimepath'
-- and starts the server with it; vim.lsp.config("leaklsp", {…}) overrides
-- fields (cmd, settings = { leaklsp = { pathMappings = … } }, …).
-- Neovim 0.7–0.10 use require("leaklsp").setup() instead.
return require("leaklsp").lsp_config()
