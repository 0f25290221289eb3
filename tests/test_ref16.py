"""tools/ref_diff.py: our th against a reference th, per script.  The two th's here are small
shell scripts written by the test (no Torch7 needed); what they print is chosen so that each
expectation follows by hand from the tool's documented rules (run in the script's folder as
`th NAME.lua ARGS`, stderr dropped, COLUMNS unset, only addresses and the C-source suffix
normalised)."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOOL = os.path.join(ROOT, "tools", "ref_diff.py")

# both th's print where they run, what they were given and whether COLUMNS reached them,
# a table address (always a different one) and an error message; the reference adds the
# " at FILE.c:LINE" of the original's C code. Per script name:
#   tab.lua: ours drops the trailing tab of one line; rc.lua: the reference exits 3
REF = r"""#!/bin/sh
echo "cwd=$(basename "$PWD") script=$1 args=$2,$3 cols=${COLUMNS-unset}"
printf 'table: 0x55d0c0ffee10\t\n'
echo "bad argument #2 to '?' (out of range at /tmp/b/src/torch7/generic/Tensor.c:913)"
echo "size mismatch, m1: [2 x 3], m2: [4 x 5] at /tmp/b/src/torch7/lib/TH/generic/THTensorMath.c:1293"
echo "stderr is not compared $$" >&2
[ "$1" = rc.lua ] && exit 3
exit 0
"""

OURS = r"""#!/bin/sh
echo "cwd=$(basename "$PWD") script=$1 args=$2,$3 cols=${COLUMNS-unset}"
if [ "$1" = tab.lua ]; then printf 'table: 0x7f00deadbeef\n'; else printf 'table: 0x7f00deadbeef\t\n'; fi
echo "bad argument #2 to '?' (out of range)"
echo "size mismatch, m1: [2 x 3], m2: [4 x 5]"
echo "something else on stderr" >&2
exit 0
"""


def _setup(tmp_path):
    bindir = tmp_path / "bin"
    bindir.mkdir()
    for name, text in (("ref_th", REF), ("our_th", OURS)):
        p = bindir / name
        p.write_text(text)
        p.chmod(0o755)
    sdir = tmp_path / "scripts"
    sdir.mkdir()
    for name in ("same", "tab", "rc"):
        (sdir / (name + ".lua")).write_text("print('unused by the fake th')\n")
    (sdir / "same.args").write_text("-lr 0.5\n")
    (sdir / "notes.txt").write_text("not a script\n")
    return bindir, sdir


def _run(args, env_extra=None):
    env = dict(os.environ)
    env["COLUMNS"] = "33"
    env.pop("TORCH7_REF_TH", None)
    env.update(env_extra or {})
    return subprocess.run([sys.executable, TOOL] + args, capture_output=True, text=True,
                          env=env)


def test_reports_each_script_and_the_counts(tmp_path):
    bindir, sdir = _setup(tmp_path)
    r = _run(["--ref", str(bindir / "ref_th"), "--th", str(bindir / "our_th"), str(sdir)])
    assert r.returncode == 1
    out = r.stdout
    lines = out.split("\n")
    # a folder stands for its .lua files, sorted: rc, same, tab
    heads = [ln for ln in lines if ln.startswith(("identical:", "different:"))]
    assert heads == [
        "different: %s (exit status: reference 3, ours 0)" % (sdir / "rc.lua"),
        "identical: %s" % (sdir / "same.lua"),
        "different: %s (exit status: reference 0, ours 0)" % (sdir / "tab.lua"),
    ]
    assert lines[-2:] == ["1 identical, 2 different", ""]
    # tab.lua's only difference is the trailing tab: it is not normalised away
    tab_part = out[out.index("different: %s" % (sdir / "tab.lua")):]
    assert "-table: ADDR\t\n+table: ADDR\n" in tab_part
    assert "--- reference/tab.lua\n+++ ours/tab.lua\n" in tab_part
    # rc.lua prints the same: the exit status alone makes it different, with no diff lines
    rc_part = out[:out.index("identical:")]
    assert "---" not in rc_part


def test_runs_like_the_oracle_scripts_were_recorded(tmp_path):
    bindir, sdir = _setup(tmp_path)
    # the reference against itself shows what it was given: the script's folder, its
    # relative name, the .args words, no COLUMNS (the test sets COLUMNS=33)
    ref = str(bindir / "ref_th")
    r = _run(["--ref", ref, "--th", str(bindir / "our_th"), str(sdir / "same.lua")])
    assert r.returncode == 0, r.stdout
    assert r.stdout == "identical: %s\n1 identical, 0 different\n" % (sdir / "same.lua")
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    try:
        import ref_diff
    finally:
        sys.path.pop(0)
    os.environ["COLUMNS"] = "33"
    try:
        out, rc = ref_diff.run_one(ref, str(sdir / "same.lua"), 30, ref_diff.make_normaliser())
    finally:
        del os.environ["COLUMNS"]
    assert rc == 0
    assert out == ("cwd=scripts script=same.lua args=-lr,0.5 cols=unset\n"
                   "table: ADDR\t\n"
                   "bad argument #2 to '?' (out of range)\n"
                   "size mismatch, m1: [2 x 3], m2: [4 x 5]\n")


def test_reference_from_the_environment_and_the_c_suffix_switch(tmp_path):
    bindir, sdir = _setup(tmp_path)
    env = {"TORCH7_REF_TH": str(bindir / "ref_th")}
    r = _run(["--th", str(bindir / "our_th"), str(sdir / "same.lua")], env)
    assert r.returncode == 0 and r.stdout.endswith("1 identical, 0 different\n")
    # keeping the C-source suffix, the two error lines differ (and nothing else)
    r = _run(["--th", str(bindir / "our_th"), "--keep-c-suffix", str(sdir / "same.lua")], env)
    assert r.returncode == 1
    minus = [ln for ln in r.stdout.split("\n") if ln.startswith("-") and not ln.startswith("---")]
    assert minus == [
        "-bad argument #2 to '?' (out of range at /tmp/b/src/torch7/generic/Tensor.c:913)",
        "-size mismatch, m1: [2 x 3], m2: [4 x 5] at "
        "/tmp/b/src/torch7/lib/TH/generic/THTensorMath.c:1293",
    ]
    assert r.stdout.endswith("0 identical, 1 different\n")


def test_without_a_reference_it_says_how_to_give_one(tmp_path):
    r = _run([str(tmp_path)])
    assert r.returncode == 2
    assert "no reference th: give --ref or set TORCH7_REF_TH" in r.stderr


# ---------------------------------------------------------------- differences found by the
# sweep against the original (torch7 814ea4a built locally); each expected text below is what
# the original Torch7 printed for the same script.

from luatest import th_script  # noqa: E402


def _th(script, tmp_path):
    r = th_script(script, tmp_path)
    assert r.returncode == 0, r.stderr
    return r.stdout


SHIFTS = r"""local function P(name, t)
  local o = {}
  for i = 1, t:nElement() do o[i] = string.format('%.17g', t:view(-1)[i]) end
  print(name, table.concat(o, ' '))
end
local x, s = {1, -2, 0, 3, -5, 7}, {2, 3, -1, 4, 1, -3}
for _, tn in ipairs({'Char', 'Int', 'Long', 'Byte'}) do
  local T = torch[tn .. 'Tensor']
  local X = tn == 'Byte' and T({1, 2, 0, 3, 5, 7}) or T(x)
  P(tn .. ' rshift 1', X:clone():rshift(1))
  P(tn .. ' lshift 3', X:clone():lshift(3))
  P(tn .. ' crshift', torch.crshift(X, T(s)))
  P(tn .. ' clshift', torch.clshift(X, T(s)))
end
local D = torch.DoubleTensor({1.5, -2.25, 0, 3, -0.5, 7})
P('Double clshift', torch.clshift(D, torch.DoubleTensor({2, 3.5, -1, 4, 0.25, -3})))
P('Double crshift', torch.crshift(D, torch.DoubleTensor({2, 3.5, -1, 4, 0.25, -3})))
P('Double lshift 1.5', D:clone():lshift(1.5))
P('Float rshift 0.5', torch.FloatTensor({1.5, -2.25, 3}):rshift(0.5))
"""


def test_shifts_follow_th_c_rules(tmp_path):
    # integers: ((unsigned real) x) << n in C's promoted type, the count modulo the width (x86
    # shl/shr), cast back; Float/Double: x * pow(2, n) (x / pow(2, n)), n not truncated
    assert _th(SHIFTS, tmp_path) == r"""Char rshift 1	0 127 0 1 125 3	
Char lshift 3	8 -16 0 24 -40 56	
Char crshift	0 31 0 0 125 0	
Char clshift	4 -16 0 48 -10 0	
Int rshift 1	0 2147483647 0 1 2147483645 3	
Int lshift 3	8 -16 0 24 -40 56	
Int crshift	0 536870911 0 0 2147483645 0	
Int clshift	4 -16 0 48 -10 -536870912	
Long rshift 1	0 9.2233720368547758e+18 0 1 9.2233720368547758e+18 3	
Long lshift 3	8 -16 0 24 -40 56	
Long crshift	0 2.305843009213694e+18 0 0 9.2233720368547758e+18 0	
Long clshift	4 -16 0 48 -10 -2.305843009213694e+18	
Byte rshift 1	0 1 0 1 2 3	
Byte lshift 3	8 16 0 24 40 56	
Byte crshift	0 0 0 0 2 0	
Byte clshift	4 16 0 48 10 0	
Double clshift	6 -25.455844122715714 0 48 -0.59460355750136051 0.875	
Double crshift	0.375 -0.19887378220871649 0 0.1875 -0.42044820762685731 56	
Double lshift 1.5	4.2426406871192857 -6.3639610306789285 0 8.4852813742385713 -1.4142135623730951 19.798989873223331	
Float rshift 0.5	1.0606602430343628 -1.5909903049468994 2.1213204860687256	
"""


RULES = r"""local function E(name, f)
  local ok, m = pcall(f)
  if ok then print(name, 'ok', torch.isTensor(m) and torch.typename(m) .. ' ' .. m:nElement() or tostring(m))
  else print(name, (tostring(m):gsub('^[^:\n]*:%d+: ', ''):gsub(' at /[^ ]*%.c:%d+', ''))) end
end
local X = torch.Tensor({{1, 2, 3}, {4, 5, 6}})
local I = torch.LongTensor({{1, 2, 1}, {2, 1, 1}})
E('gather -1', function() return torch.gather(X, -1, I) end)
E('scatter -1', function() return X:clone():scatter(-1, I, 5) end)
E('scatter 0', function() return X:clone():scatter(0, I, X) end)
E('index -1', function() return X:index(-1, torch.LongTensor({2, 1})) end)
E('index 0 empty', function() return torch.Tensor():index(0, torch.LongTensor({1})) end)
E('indexFill -1', function() return X:clone():indexFill(-1, torch.LongTensor({2}), 9) end)
E('indexFill -1 vector', function() local v = torch.Tensor({1, 2, 3}) v:indexFill(-1, torch.LongTensor({2}), 9) return v[2] end)
E('indexFill 0 empty', function() return torch.Tensor():indexFill(0, torch.LongTensor({2}), 9) end)
E('indexCopy -1', function() return X:clone():indexCopy(-1, torch.LongTensor({1}), X) end)
E('sort empty', function() return torch.sort(torch.Tensor()) end)
E('sort empty 1', function() return torch.Tensor():sort(1, true) end)
E('tril 1D', function() return torch.tril(torch.Tensor(3)) end)
E('triu empty', function() return torch.triu(torch.Tensor(), 1) end)
E('histc empty', function() return torch.histc(torch.Tensor(), 4) end)
E('histc empty range', function() return torch.histc(torch.Tensor(), 4, 0, 1) end)
E('bhistc 1D', function() return torch.bhistc(torch.Tensor(3):zero(), 4) end)
E('bhistc 3D', function() return torch.bhistc(torch.Tensor(1, 2, 3):zero(), 4) end)
E('view empty', function() return torch.Tensor():view(3, 2) end)
E('view empty -1', function() return torch.Tensor():view(-1, 2) end)
E('bmm empty', function() return torch.bmm(torch.Tensor():view(1, 2, 3), torch.Tensor(1, 3, 2)) end)
E('maskedSelect', function() return X:maskedSelect(torch.ByteTensor({1, 0})) end)
local R = torch.Tensor()
E('maskedSelect res', function() R:maskedSelect(X, torch.ByteTensor({1, 1, 1, 0})) end)
print('res size', R:nElement())
E('addr 1D', function() return torch.addr(torch.Tensor(6), torch.Tensor({1, 2}), torch.Tensor({3, 4, 5})) end)
E('addr method empty', function() return torch.Tensor():addr(2, torch.Tensor({1, 2}), torch.Tensor({3, 4, 5})) end)
E('addmv 2D', function() return torch.addmv(X, X, torch.Tensor(3)) end)
E('addmm 1D self', function() return torch.Tensor(4):addmm(X, X:t()) end)
E('addmm res 1D ok', function() return torch.addmm(torch.Tensor(4), torch.Tensor(2, 2):zero(), X, X:t()) end)
for _, p in ipairs({-1, 0.5, 3, math.huge, 0, 1, 2}) do
  print('norm empty', p, string.format('%.17g', torch.norm(torch.Tensor(), p)),
        string.format('%.17g', torch.dist(torch.Tensor(), torch.Tensor(), p)))
end
print('norm inf', torch.norm(torch.Tensor({0.5, 2}), math.huge))
"""


def test_dimension_and_argument_rules_of_th(tmp_path):
    # negative dimensions pass TH's `dim < nDimension` checks and meet THLongTensor_size /
    # select / the index count; sort, tril/triu, histc/bhistc, view of a tensor without a
    # storage, maskedSelect's 'src' and its early resize, cwrap's dim= checks of addmm/addmv/
    # addr (self too in the method forms), norm/dist of no element: pow(0, 1/p)
    assert _th(RULES, tmp_path) == r"""gather -1	bad argument #2 to '?' (dimension -1 out of range of 2D tensor)	
scatter -1	bad argument #2 to '?' (dimension -1 out of range of 2D tensor)	
scatter 0	bad argument #2 to '?' (dimension 0 out of range of 2D tensor)	
index -1	bad argument #2 to '?' (out of range)	
index 0 empty	bad argument #2 to '?' (Source tensor is empty)	
indexFill -1	bad argument #2 to '?' (out of range)	
indexFill -1 vector	ok	9	
indexFill 0 empty	bad argument #1 to '?' (tensor must have one dimension)	
indexCopy -1	bad argument #4 to '?' (Number of indices should be equal to source:size(dim))	
sort empty	bad argument #2 to '?' (invalid dimension 0)	
sort empty 1	bad argument #2 to '?' (invalid dimension 1)	
tril 1D	bad argument #1 to '?' (expected a matrix)	
triu empty	bad argument #1 to '?' (expected a matrix)	
histc empty	bad argument #1 to '?' (tensor must have one dimension)	
histc empty range	ok	torch.DoubleTensor 4	
bhistc 1D	bad argument #2 to '?' (invalid dimension 2)	
bhistc 3D	bad argument #2 to '?' (invalid dimension 3, the input must be a 2d tensor)	
view empty	bad argument #1 to 'set' (expecting number or torch.DoubleTensor or torch.DoubleStorage)	
view empty -1	bad argument #1 to 'set' (expecting number or torch.DoubleTensor or torch.DoubleStorage)	
bmm empty	bad argument #1 to 'set' (expecting number or torch.DoubleTensor or torch.DoubleStorage)	
maskedSelect	inconsistent tensor size, expected src [2 x 3] and mask [2] to have the same number of elements, but got 6 and 2 elements respectively	
maskedSelect res	inconsistent tensor size, expected src [2 x 3] and mask [4] to have the same number of elements, but got 6 and 4 elements respectively	
res size	3	
addr 1D	invalid arguments: DoubleTensor DoubleTensor DoubleTensor 
expected arguments: [*DoubleTensor*] [double] DoubleTensor~2D [double] DoubleTensor~1D DoubleTensor~1D	
addr method empty	invalid arguments: DoubleTensor number DoubleTensor DoubleTensor 
expected arguments: *DoubleTensor~2D* [DoubleTensor~2D] [double] DoubleTensor~1D DoubleTensor~1D | *DoubleTensor~2D* double [DoubleTensor~2D] double DoubleTensor~1D DoubleTensor~1D	
addmv 2D	invalid arguments: DoubleTensor DoubleTensor DoubleTensor 
expected arguments: [*DoubleTensor*] [double] DoubleTensor~1D [double] DoubleTensor~2D DoubleTensor~1D	
addmm 1D self	invalid arguments: DoubleTensor DoubleTensor DoubleTensor 
expected arguments: *DoubleTensor~2D* [DoubleTensor~2D] [double] DoubleTensor~2D DoubleTensor~2D | *DoubleTensor~2D* double [DoubleTensor~2D] double DoubleTensor~2D DoubleTensor~2D	
addmm res 1D ok	ok	torch.DoubleTensor 4	
norm empty	-1	inf	inf	
norm empty	0.5	0	0	
norm empty	3	0	0	
norm empty	inf	1	1	
norm empty	0	0	0	
norm empty	1	0	0	
norm empty	2	0	0	
norm inf	1	
"""


def test_format_rounds_exact_halves_away_at_high_precision(tmp_path):
    # LuaJIT 2.1.0-beta2's printf rounds an exact half away from zero at any precision; at 17
    # significant digits an ulp of the double is more than a unit of the last digit, so the
    # half has to be written digit by digit (the original printed these)
    out = _th("""
print(string.format('%.17g', 0.877582550048828125))
print(string.format('%.17g', torch.FloatTensor({-0.5}):cos()[1]))
print(string.format('%.17f|%25.17g|%-25.17e|%+.17G', 1.315944671630859375, 0.877582550048828125,
                    0.877582550048828125, -0.877582550048828125))
print(string.format('%.30g %.2g %.3e %.1f', -2.5421502590179443359375, 0.125, 1.0625, 0.25))
""", tmp_path)
    assert out == (
        "0.87758255004882813\t\n"
        "0.87758255004882813\t\n"
        "1.31594467163085938|      0.87758255004882813|8.77582550048828125e-01  |"
        "-0.87758255004882813\t\n"
        "-2.5421502590179443359375 0.13 1.063e+00 0.3\t\n")


CWRAP = r"""local function E(f, ...)
  local ok, m = pcall(f, ...)
  print(ok, (tostring(m):gsub(' at /[^ ]*%.c:%d+', '')))
end
local X = torch.Tensor(2, 3):fill(1)
E(torch.fill)
E(torch.fill, nil, 2)
E(torch.zero, 1, 2)
E(torch.squeeze, nil, 1)
E(torch.numel, 3)
E(torch.zeros)
E(torch.ones, X)
E(function() return X:ones() end)
E(torch.rand)
E(function() return X:randn() end)
E(function() return X:multinomial() end)
E(torch.multinomial, 'a')
torch.setdefaulttensortype('torch.FloatTensor')
E(torch.fill, 'a')
"""


def test_cwrap_forms_without_a_tensor_or_a_size(tmp_path):
    # TensorMath's fill/zero/squeeze/numel as torch.* functions check their arguments as
    # cwrap does; a size (LongArg) is a required argument; multinomial's method form requires
    # its result (the original printed these)
    assert _th(CWRAP, tmp_path) == r"""false	invalid arguments: no arguments provided
expected arguments: *DoubleTensor* double	
false	invalid arguments: nil number 
expected arguments: *DoubleTensor* double	
false	invalid arguments: number number 
expected arguments: *DoubleTensor*	
false	invalid arguments: nil number 
expected arguments: [*DoubleTensor*] DoubleTensor | [*DoubleTensor*] DoubleTensor index	
false	invalid arguments: number 
expected arguments: DoubleTensor	
false	invalid arguments: no arguments provided
expected arguments: [*DoubleTensor*] (LongStorage | dim1 [dim2...])	
false	invalid arguments: DoubleTensor 
expected arguments: [*DoubleTensor*] (LongStorage | dim1 [dim2...])	
false	invalid arguments: DoubleTensor 
expected arguments: *DoubleTensor* (LongStorage | dim1 [dim2...])	
false	invalid arguments: no arguments provided
expected arguments: [*DoubleTensor*] [Generator] (LongStorage | dim1 [dim2...])	
false	invalid arguments: DoubleTensor 
expected arguments: *DoubleTensor* [Generator] (LongStorage | dim1 [dim2...])	
false	invalid arguments: DoubleTensor 
expected arguments: *LongTensor* [Generator] DoubleTensor int [boolean]	
false	invalid arguments: string 
expected arguments: [*LongTensor*] [Generator] DoubleTensor int [boolean]	
false	invalid arguments: string 
expected arguments: *FloatTensor* float	
"""


NUMBER_ARGS = r"""local X = torch.Tensor(2, 3)
print(pcall(function() return X:resize(X) end))
print(pcall(function() return X:resize(2, {}) end))
print(pcall(function() return torch.Tensor(2, X) end))
print(pcall(function() return torch.Tensor(2, {}) end))
print(pcall(function() return torch.Tensor(2, nn) end))
print(pcall(function() return X + {} end))
print(pcall(function() return X * X:storage() end))
print(pcall(function() return X - 'a' end))
print(pcall(function() return X:resize(2, true) end))
print(pcall(function() return X:resize(2, print) end))
"""


def test_number_argument_errors_name_luas_type(tmp_path):
    # luaL_checknumber/checklong's error names Lua's type of the value: a tensor or a storage
    # is a userdata (the original printed these)
    assert _th(NUMBER_ARGS, tmp_path) == r"""false	bad argument #2 to '?' (number expected, got userdata)	
false	bad argument #3 to '?' (number expected, got table)	
false	bad argument #2 to '?' (number expected, got userdata)	
false	bad argument #2 to '?' (number expected, got table)	
false	bad argument #2 to '?' (number expected, got nil)	
false	bad argument #2 to '?' (number expected, got table)	
false	bad argument #2 to '?' (number expected, got userdata)	
false	bad argument #2 to '?' (number expected, got string)	
false	bad argument #3 to '?' (number expected, got boolean)	
false	bad argument #3 to '?' (number expected, got function)	
"""


SUB = r"""local X = torch.Tensor(2, 3):fill(1)
for _, a in ipairs({{}, {1}, {1, nil}, {'a', 2}, {1, 2, 1}, {1, 2, nil, 2}, {1, 2, 1, 2, 1, 1}, {1, 2, 1, 3, 1, 1, 1, 1, 1, 1, 9}, {2.7, 2}, {'1', '-1'}, {1, 2, 1, 2.9}, {0, 1}, {-1, -1, -3, -2}, {2, 1}}) do
  print(pcall(function() local r = X:sub(unpack(a, 1, table.maxn(a))) return r:size():totable()[1], r:size():totable()[2] end))
end
print(pcall(function() return X:sub(1, 2, 1, 3, 1, 1) end))
"""


def test_sub_reads_its_bounds_as_tensor_c(tmp_path):
    # Tensor.c's sub: the first pair always, a further pair when its start is present, each
    # bound luaL_checklong'ed before the pair's checks (the original printed these; the
    # position of the error, which our th reports for the script's line, is stripped)
    out = _th(SUB, tmp_path).replace("s.lua:3: ", "")
    assert out == r"""false	bad argument #1 to 'sub' (number expected, got no value)	
false	bad argument #2 to 'sub' (number expected, got no value)	
false	bad argument #2 to 'sub' (number expected, got no value)	
false	bad argument #1 to 'sub' (number expected, got string)	
false	bad argument #4 to 'sub' (number expected, got no value)	
false	bad argument #3 to 'sub' (number expected, got nil)	
false	bad argument #5 to 'sub' (invalid dimension)	
false	bad argument #5 to 'sub' (invalid dimension)	
true	1	3	
true	2	3	
true	2	2	
false	bad argument #1 to 'sub' (out of range)	
true	1	2	
false	bad argument #2 to 'sub' (end smaller than beginning)	
false	bad argument #6 to '?' (invalid dimension)	
"""


STORAGES = r"""print(pcall(torch.ByteStorage, -1))
print(pcall(function() return torch.FloatStorage(2):resize(-3) end))
print(pcall(function() return torch.ByteStorage({1,2}):copy(torch.DoubleStorage({5, 6, 7})) end))
print(pcall(function() return torch.DoubleStorage({1,2}):copy(torch.DoubleStorage({5, 6, 7})) end))
print(pcall(function() return torch.Tensor(-1) end))
print(pcall(function() return torch.Tensor(2):resize(-2) end))
print(pcall(function() return torch.IntStorage(2):string() end))
print(pcall(function() return torch.CharStorage():string('hi'):string() end))
"""


def test_storage_sizes_copies_and_string(tmp_path):
    # THAlloc's message for a negative size; a copy from another type reads the destination's
    # size of elements without a check, one of the same type checks the sizes; string() is a
    # method of Byte and Char storages only (the original printed these)
    out = _th(STORAGES, tmp_path).replace("s.lua:7: ", "")
    assert out == r"""false	$ Torch: invalid memory size -- maybe an overflow?	
false	$ Torch: invalid memory size -- maybe an overflow?	
true	 5
 6
[torch.ByteStorage of size 2]

false	bad argument #2 to '?' (size mismatch)	
true	[torch.DoubleTensor with no dimension]

true	[torch.DoubleTensor with no dimension]

false	attempt to call method 'string' (a nil value)	
true	hi	
"""


LUAT_OPS = r"""require 'nn'
local S, L, X, m = torch.DoubleStorage({1, 2}), torch.LongStorage({2, 3}), torch.Tensor({1, 2}), nn.Linear(2, 2)
local function P(f) print(pcall(f)) end
P(function() return S ^ 2 end)
P(function() return S + 2 end)
P(function() return -S end)
P(function() local x = S * 2 return x end)
P(function() return 1 % S end)
P(function() return L / 2 end)
P(function() return X ^ 2 end)
P(function() return X < X end)
P(function() return m + 1 end)
P(function() return -m end)
P(function() return m * X end)
P(function() return {} - nn.MSECriterion() end)
P(function() return torch.Generator() / 2 end)
P(function() return X / 2 end)
"""


def test_operators_a_class_lacks_are_luats_errors(tmp_path):
    # luaT gives every class __add ... __le: the handler is the first operand's class if it
    # is a torch object, else the second's; without its __add__... (only tensors have
    # TensorOperator's add, sub, mul, div, mod, unm) luaL_error names both types, at the line
    # that used the operator (the original printed these)
    assert _th(LUAT_OPS, tmp_path) == r"""false	s.lua:4: both torch.DoubleStorage and (null) have no power operator	
false	s.lua:5: both torch.DoubleStorage and (null) have no addition operator	
false	s.lua:6: torch.DoubleStorage has no negation operator	
false	s.lua:7: both torch.DoubleStorage and (null) have no multiplication operator	
false	s.lua:8: both (null) and torch.DoubleStorage have no modulo operator	
false	s.lua:9: both torch.LongStorage and (null) have no division operator	
false	s.lua:10: both torch.DoubleTensor and (null) have no power operator	
false	s.lua:11: both torch.DoubleTensor and torch.DoubleTensor have no less-than operator	
false	s.lua:12: both nn.Linear and (null) have no addition operator	
false	s.lua:13: nn.Linear has no negation operator	
false	s.lua:14: both nn.Linear and torch.DoubleTensor have no multiplication operator	
false	s.lua:15: both (null) and nn.MSECriterion have no substraction operator	
false	s.lua:16: both torch.Generator and (null) have no division operator	
true	 0.5000
 1.0000
[torch.DoubleTensor of size 2]

"""


CTOR = r"""require 'nn'
print(pcall(function() return torch.Tensor('2', '3') end))
local a = torch.Tensor(2, '3')
local b = torch.Tensor():resize('4', ' 0x2 ')
local v = nn.View('2', '0x2'):forward(torch.Tensor(4))
local s = torch.Tensor(1, 3):squeeze('1')
local ok, e = pcall(function() return torch.Tensor(2, 'x') end)
print(a:size(1), a:size(2), b:size(1), b:size(2), v:size(1), v:size(2), s:dim(), ok)
local st = torch.DoubleStorage({1, 2, 3, 4, 5, 6, 7, 8})
local t = torch.Tensor(st, 3)
print(t:dim(), t:storageOffset(), t:storage() == st)
print(pcall(torch.DoubleStorage, -1))
"""


def test_tensor_constructor_reads_as_tensor_c(tmp_path):
    # c_readTensorStorageSizeStride: a first argument of Lua type number (not '2'), later
    # sizes by luaL_checklong; a storage and an offset without sizes is no dimension; a
    # negative storage size is THAlloc's error (the original printed these)
    assert _th(CTOR, tmp_path) == r"""false	bad argument #1 to '?' (expecting number or torch.DoubleTensor or torch.DoubleStorage)	
2	3	4	2	2	2	1	false	
0	3	true	
false	$ Torch: invalid memory size -- maybe an overflow?	
"""


SETINDEX = r"""local function P(f) local ok, e = pcall(f) print(ok, ok and '' or (tostring(e):gsub(' at /[^ ]*%.c:%d+', ''))) end
local X = torch.Tensor({{1, 2, 3}, {4, 5, 6}})
P(function() X[0] = 5 end)
P(function() X[3] = 5 end)
P(function() X[1] = torch.Tensor({9}) end)
P(function() X[{1, 2}] = {} end)
P(function() X[{1}] = {} end)
P(function() X[{1}] = nil end)
P(function() X[1] = {} end)
P(function() X[{1, 2}] = torch.Tensor(1) end)
P(function() X[{1, 2, 3}] = {} end)
P(function() X[{{3, 1}}] = true end)
P(function() X[torch.ByteTensor({{1, 0, 1}, {0, 1, 1}})] = torch.FloatTensor(4) end)
P(function() X[torch.LongStorage({1, 2})] = {} end)
X[-1] = 7
X[{1, {2, 3}}] = torch.Tensor({8, 9})
print(X)
"""


def test_assignment_reads_key_then_value_as_tensor_c(tmp_path):
    # Tensor.c's __newindex__: a number key of a matrix narrows (the index is #3 of narrow)
    # then fills or copies (a 1 x n slice); a table key is walked before its value is read
    # (an element: luaG_checkreal, a slice: a number or any tensor); a mask takes a number or
    # a tensor of its own type (the original printed these)
    assert _th(SETINDEX, tmp_path) == r"""false	bad argument #3 to '?' (out of range)	
false	bad argument #3 to '?' (out of range)	
false	inconsistent tensor size, expected tensor [1 x 3] and src [1] to have the same number of elements, but got 3 and 1 elements respectively	
false	bad argument #3 to '?' (number expected, got table)	
false	bad argument #3 to '?' (torch.*Tensor expected, got table)	
false	bad argument #3 to '?' (torch.*Tensor expected, got nil)	
false	bad argument #3 to '?' (torch.*Tensor expected, got table)	
false	bad argument #3 to '?' (number expected, got userdata)	
false	bad argument #2 to '?' (too many indices provided)	
false	bad argument #2 to '?' (start index out of bound)	
false	number or torch.DoubleTensor expected	
false	bad argument #3 to '?' (number expected, got table)	
 1  8  9
 7  7  7
[torch.DoubleTensor of size 2x3]

"""


BOOLKEY = r"""local X = torch.Tensor({{1, 2, 3}, {4, 5, 6}})
print(X[true], X[false])
print(pcall(function() X[true] = 5 end))
print(pcall(function() X[false] = {} end))
"""


def test_boolean_keys_are_declined_as_tensor_c_does(tmp_path):
    # __index__/__newindex__ decline a boolean key: luaT then finds no method (nil) and sets
    # no field of a userdata (the original printed these, with the line's position before the
    # error, which is not compared here)
    out = _th(BOOLKEY, tmp_path).replace("s.lua:3: ", "").replace("s.lua:4: ", "")
    assert out == r"""nil	nil	
false	the class torch.DoubleTensor cannot be indexed	
false	the class torch.DoubleTensor cannot be indexed	
"""
