"""Differential checker: torch7py's nn against the original nn's own Lua code.

Most of Torch7's nn is Lua. Our tensor operations are meant to be Torch7's, so the original Lua
code of a module, run in our Lua layer on our tensors, computes what Torch7 computed: an oracle
for every pure-Lua module on inputs nobody recorded. This loads a user's nn checkout (never
copied into this repository) into a separate namespace (`orignn`, tools/diff_nn_load.lua) and
compares, bit for bit, every case of tools/diff_nn_cases.lua (outputs, gradients, parameters,
buffer reuse, types, errors, and the fields: their names and pairs() order after the
constructor, forward/backward, clearState, a type round trip and a save/load, which drive
printing, torch.save's bytes and scripts that walk a module), the original __tostring__ run on
our objects
(tools/diff_nn_tostring.lua) and Module.lua's methods on whole models.

    python tools/diff_nn.py /path/to/nn [--only LUA_PATTERN] [-v]

Exit status 1 when a difference was found.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help"):
        sys.stdout.write(__doc__)
        return 0 if argv else 2
    nndir = os.path.abspath(argv[0])
    if not os.path.exists(os.path.join(nndir, "Module.lua")):
        sys.stderr.write("diff_nn: %s is not an nn checkout (no Module.lua)\n" % nndir)
        return 2
    sys.path.insert(0, os.path.dirname(HERE))
    from compat.runtime import LuaRuntime
    script = os.path.join(HERE, "diff_nn.lua")
    rt = LuaRuntime(argv=[nndir] + argv[1:], script=script)
    rt.enable_trepl()
    from torch7py.luaorder import pairs_order

    def cloned_order(keys, left_out=None):
        # File.lua's writeObject copies the fields into a table `var` (pairs order) and writes
        # var in its pairs order; readObject fills a table in file order, then the object in
        # that table's pairs order. Fields a class's own write leaves out (WeightNorm's weight
        # and gradWeight) are set again at the end of its read: after the others (the original
        # Torch7's clone of a WeightNorm lists its fields so)
        out = str(left_out).split() if left_out is not None else []
        ks = [k for k in str(keys).split() if k not in out]
        return " ".join(pairs_order(pairs_order(pairs_order(ks)) + out))
    rt.globals.DIFF_CLONED_ORDER = rt.to_lua(cloned_order)
    rt.dofile(script)
    return 1 if rt.globals.DIFF_COUNT else 0


if __name__ == "__main__":
    sys.exit(main())
