"""Write compat/package_names.py: the keys of Torch7's `torch` table after `require 'torch'`, of
its `nn` table after `require 'nn'`, of `optim` after `require 'optim'` and of `nngraph` after
`require 'nngraph'`, in the order Torch7 sets them, read from the sources.

    python tools/package_names.py --torch7 /work/ext/torch7 --nn /work/ext/nn \
        --optim /work/ext/optim --nngraph /work/ext/nngraph --graph /work/ext/graph

torch: libtorch's luaopen (init.c: utils.c's torch_utils__, the classes luaT_newmetatable
registers, TensorMath.lua's dispatch functions torch_TensorMath__, random.lua's random__ and
_gen), then init.lua top to bottom with each required file's top-level definitions in place.
TensorMath.lua and random.lua are cwrap scripts: they run in LuaJIT (lupa) with a cwrap that
only records what `interface:wrap` is given. nn: init.lua's requires in order, each file's
top-level `nn.X = `, `function nn.X` and `torch.class('nn.X', ...)`; optim and nngraph likewise.
"""
import argparse
import os
import re

_STORAGE_TYPES = ("Byte", "Char", "Short", "Int", "Long", "Float", "Double", "Half")

_CWRAP_STUB = r"""
local CI = {}
CI.__index = CI
local made = {}
function CI.new()
   local o = setmetatable({txt = {}, names = {}}, CI)
   made[#made + 1] = o
   return o
end
function CI:wrap(name) self.names[#self.names + 1] = name end
function CI:print() end
function CI:register(name)
   self.registered = self.registered or {}
   self.registered[name] = self.names
   self.names = {}
end
function CI:tostring() return '' end
function CI:clearhistory() end
function CI:tofile() end
local any = setmetatable({}, {__index = function() return {} end})
CI.argtypes = any
package.preload.cwrap = function() return {CInterface = CI, types = any, argtypes = any} end
package.preload.torchcwrap = function() return true end
return made
"""


def _cwrap_names(path, what):
    """Names that the cwrap script at path registers: what='dispatch' (TensorMath's
    dispatchregistry, its torch_TensorMath__) or a register name (random.lua's random__)."""
    import lupa.luajit21 as lupa_mod
    lua = lupa_mod.LuaRuntime(unpack_returned_tuples=True)
    made = lua.execute(_CWRAP_STUB)
    with open(path, encoding="utf-8") as f:
        code = f.read()
    lua.globals().arg = lua.table()
    lua.globals().print = lambda *a: None
    lua.execute(code)
    names = []
    for o in made.values():
        if what == "dispatch":
            txt = list(o.txt.values())
            for line in txt:
                m = re.match(r'\{"(\w+)", torch_\w+\},', line)
                if m:
                    names.append(m.group(1))
        elif o.registered is not None and o.registered[what] is not None:
            names.extend(o.registered[what].values())
    return names


def _lua_defs(path, pkg):
    """Top-level `pkg.X = `, `function pkg.X(` (also one block deep: FFInterface.lua's `if ok
    then`), `torch.class('pkg.X'` of a Lua file, in order, with torch's own init.lua calls that
    set fields (setdefaulttensortype, setheaptracking) and the files it requires in place."""
    out = []
    pat = re.compile(
        r"^(?:   )?function\s+%(p)s\.(?P<f>\w+)\s*\(|^%(p)s\.(?P<a>\w+)\s*=[^=]"
        r"|torch\.class\(\s*['\"]%(p)s\.(?P<c>\w+)['\"]"
        r"|^(?P<call>torch\.set(?:defaulttensortype|heaptracking))\("
        r"|^require\s*\(?\s*['\"]%(p)s\.(?P<r>\w+)['\"]" % {"p": re.escape(pkg)}, re.M)
    with open(path, encoding="utf-8") as f:
        src = f.read()
    for m in pat.finditer(src):
        name = m.group("f") or m.group("a") or m.group("c")
        if name:
            out.append(name)
        elif m.group("call"):
            out += ["Tensor", "Storage"] if "default" in m.group("call") else ["_heaptracking"]
        else:
            sub = os.path.join(os.path.dirname(path), m.group("r") + ".lua")
            if pkg == "torch" and m.group("r") == "test":
                sub = os.path.join(os.path.dirname(path), "test", "test.lua")
            if os.path.exists(sub):
                out += _lua_defs(sub, pkg)
    return out


def torch_names(root):
    names = []
    with open(os.path.join(root, "utils.c"), encoding="utf-8") as f:
        src = f.read()
    reg = re.search(r"torch_utils__ \[\] = \{(.*?)\};", src, re.S).group(1)
    names += re.findall(r'\{"(\w+)",', reg)
    names.append("File")
    names += [t + "Storage" for t in _STORAGE_TYPES]
    names += [t + "Tensor" for t in _STORAGE_TYPES]
    names += ["Timer", "DiskFile", "PipeFile", "MemoryFile"]
    names += _cwrap_names(os.path.join(root, "TensorMath.lua"), "dispatch")
    names += ["Generator", "_gen"]
    names += _cwrap_names(os.path.join(root, "random.lua"), "random__")
    names.append("Allocator")
    names += _lua_defs(os.path.join(root, "init.lua"), "torch")
    return _unique(names)


def nn_names(root):
    return _unique(_lua_defs(os.path.join(root, "init.lua"), "nn"))


def _unique(names):
    seen = set()
    return [n for n in names if not (n in seen or seen.add(n))]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--torch7", required=True)
    ap.add_argument("--nn", required=True)
    ap.add_argument("--optim", required=True)
    ap.add_argument("--nngraph", required=True)
    ap.add_argument("--graph", required=True)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "compat",
                                                  "package_names.py"))
    a = ap.parse_args(argv)
    t, n = torch_names(a.torch7), nn_names(a.nn)
    o = _unique(_lua_defs(os.path.join(a.optim, "init.lua"), "optim"))
    # nn's own tables that torch7py writes as Python modules: their keys after require 'nn'
    # (nn.hessian's other functions come with nn.hessian.enable())
    subs = [("NN_UTILS", _lua_defs(os.path.join(a.nn, "utils.lua"), "nn.utils")),
            ("NN_TABLES", _lua_defs(os.path.join(a.nn, "SpatialConvolutionMap.lua"),
                                    "nn.tables")),
            ("NN_HESSIAN", _lua_defs(os.path.join(a.nn, "hessian.lua"), "nn.hessian")[:1]),
            ("NN_JACOBIAN", _lua_defs(os.path.join(a.nn, "Jacobian.lua"), "nn.Jacobian")),
            ("NN_SPARSEJACOBIAN", _lua_defs(os.path.join(a.nn, "SparseJacobian.lua"),
                                            "nn.SparseJacobian"))]
    g = _unique(_lua_defs(os.path.join(a.nngraph, "init.lua"), "nngraph"))
    gr = _unique(_lua_defs(os.path.join(a.graph, "init.lua"), "graph"))

    def block(name, items):
        lines, cur = [], "    "
        for x in items:
            s = '"%s", ' % x
            if len(cur) + len(s) > 99:
                lines.append(cur.rstrip())
                cur = "    "
            cur += s
        lines.append(cur.rstrip())
        return "%s = (\n%s\n)\n" % (name, "\n".join(lines))

    with open(a.out, "w", encoding="utf-8") as f:
        f.write('"""The keys of Torch7\'s package tables, in the order Torch7 sets them '
                '(written by\n'
                "tools/package_names.py from torch7 814ea4a, nn 8726825, optim a5ceed7, nngraph "
                "3ed3b9b and graph\n37dac07): pairs(torch) after `require 'torch'`, pairs(nn) "
                "after `require 'nn'`, pairs(optim)\nafter `require 'optim'`, pairs(nngraph) "
                "after `require 'nngraph'`, pairs(graph) after\n`require 'graph'`; nn.utils, "
                "nn.tables, nn.hessian, nn.Jacobian and nn.SparseJacobian after\n"
                "`require 'nn'`.\"\"\"\n\n")
        f.write(block("TORCH", t) + "\n" + block("NN", n) + "\n" + block("OPTIM", o) + "\n"
                + block("NNGRAPH", g) + "\n" + block("GRAPH", gr))
        for name, items in subs:
            f.write("\n" + block(name, _unique(items)))
    print("torch: %d names, nn: %d names, optim: %d names, nngraph: %d names, graph: %d names "
          "-> %s" % (len(t), len(n), len(o), len(g), len(gr), a.out))


if __name__ == "__main__":
    main()
