-- Filetype detection for AAM (Annotated Article Markup): `*.aam` files.
vim.filetype.add({ extension = { aam = 'aam' } })
