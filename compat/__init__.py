"""The Lua layer of torch7py: Torch7 Lua scripts run unchanged on torch7py.

- `compat.runtime.LuaRuntime`: a LuaJIT 2.1 state (lupa) in which `require 'torch'`, 'nn',
  'optim', 'paths', 'xlua', 'sys' are torch7py and its helpers; Python objects appear with
  Torch7's Lua surface (methods, fields, operators, indexing, `#`, tostring, torch.class).
- `th` (compat.th): Torch7's interpreter: scripts, -e, -l, -i, the prompt, trepl's print.
- `th-parity` (compat.parity): runs Lua cases, compares their results with goldens by the rules
  of ../shared/parity/PROTOCOL.md; `--twins` runs lua_fixtures/ against their Python twins.

torch7py itself never imports this package (nor lupa).
"""
