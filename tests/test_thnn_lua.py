"""`require 'nn.THNN'` and `input.THNN.X(...)` from Lua (compat/thnn.lua): legacy modules that
call THNN as nn's Lua files do get the results of nn's own modules; FFI-style argument errors;
nn's test/LinearTHNN.lua (when the checkout is there) behaves as nn.Linear."""
import os

import pytest

pytest.importorskip("lupa")

from compat.runtime import LuaRuntime

LINEAR_THNN = "/work/ext/nn/test/LinearTHNN.lua"


@pytest.fixture(scope="module")
def rt():
    r = LuaRuntime()
    r.execute("require 'nn'")
    return r


def test_tables_in_the_tensor_metatables(rt):
    r = rt.execute("""
        local THNN = require 'nn.THNN'
        local d, f = torch.DoubleTensor(2), torch.FloatTensor(2)
        return THNN.NULL == nil, THNN.getState() == nil,
               d.THNN == THNN.kernels['torch.DoubleTensor'],
               f.THNN == THNN.kernels['torch.FloatTensor'],
               torch.getmetatable('torch.DoubleTensor').THNN == d.THNN,
               torch.LongTensor(1).THNN == nil,
               type(d.THNN.SpatialConvolutionMM_updateOutput),
               THNN.optionalTensor(nil) == nil, torch.pointer(THNN.optionalTensor(d)),
               torch.pointer(d)
    """)
    assert r[:8] == (True, True, True, True, True, True, "function", True)
    assert r[8] == r[9]


# a module and a criterion written the way legacy code copies nn's Lua files
CUSTOM = """
local THNN = require 'nn.THNN'
local MyELU, parent = torch.class('nn.MyELU%(tag)s', 'nn.Module')
function MyELU:__init(alpha) parent.__init(self); self.alpha = alpha; self.inplace = false end
function MyELU:updateOutput(input)
   input.THNN.ELU_updateOutput(input:cdata(), self.output:cdata(), self.alpha, self.inplace)
   return self.output
end
function MyELU:updateGradInput(input, gradOutput)
   input.THNN.ELU_updateGradInput(input:cdata(), gradOutput:cdata(), self.gradInput:cdata(),
      self.output:cdata(), self.alpha, self.inplace)
   return self.gradInput
end
local MyConv, cparent = torch.class('nn.MyConv%(tag)s', 'nn.SpatialConvolution')
function MyConv:updateOutput(input)
   self.finput = self.finput or input.new()
   self.fgradInput = self.fgradInput or input.new()
   input.THNN.SpatialConvolutionMM_updateOutput(input:cdata(), self.output:cdata(),
      self.weight:cdata(), THNN.optionalTensor(self.bias), self.finput:cdata(),
      self.fgradInput:cdata(), self.kW, self.kH, self.dW, self.dH, self.padW, self.padH)
   return self.output
end
function MyConv:updateGradInput(input, gradOutput)
   input.THNN.SpatialConvolutionMM_updateGradInput(input:cdata(), gradOutput:cdata(),
      self.gradInput:cdata(), self.weight:cdata(), self.finput:cdata(),
      self.fgradInput:cdata(), self.kW, self.kH, self.dW, self.dH, self.padW, self.padH)
   return self.gradInput
end
function MyConv:accGradParameters(input, gradOutput, scale)
   input.THNN.SpatialConvolutionMM_accGradParameters(input:cdata(), gradOutput:cdata(),
      self.gradWeight:cdata(), THNN.optionalTensor(self.gradBias), self.finput:cdata(),
      self.fgradInput:cdata(), self.kW, self.kH, self.dW, self.dH, self.padW, self.padH,
      scale or 1)
end
local MyNLL, nparent = torch.class('nn.MyNLL%(tag)s', 'nn.Criterion')
function MyNLL:__init() nparent.__init(self); self.sizeAverage = true end
function MyNLL:updateOutput(input, target)
   self.output_tensor = self.output_tensor or input.new(1)
   self.total_weight_tensor = self.total_weight_tensor or input.new(1)
   THNN.runKernel('ClassNLLCriterion_updateOutput', input:type(), input:cdata(),
      target:cdata(), self.output_tensor:cdata(), self.sizeAverage, THNN.NULL,
      self.total_weight_tensor:cdata(), -100)
   self.output = self.output_tensor[1]
   return self.output
end
function MyNLL:updateGradInput(input, target)
   self.gradInput:resizeAs(input):zero()
   input.THNN.ClassNLLCriterion_updateGradInput(input:cdata(), target:cdata(),
      self.gradInput:cdata(), self.sizeAverage, THNN.NULL,
      self.total_weight_tensor:cdata(), -100)
   return self.gradInput
end
"""


@pytest.mark.parametrize("ttype", ["torch.DoubleTensor", "torch.FloatTensor"])
def test_custom_modules_match_nn(rt, ttype):
    tag = ttype.split(".")[1]
    rt.execute(CUSTOM % {"tag": tag})
    r = rt.execute("""
        local ttype = 'TTYPE'
        torch.manualSeed(4)
        local worst = 0
        local function cmp(a, b) worst = math.max(worst, (a - b):abs():max()) end
        for _, shape in ipairs({{2, 3, 6, 5}, {3, 6, 5}}) do
           local x = torch.randn(table.unpack(shape)):type(ttype)
           local e, my = nn.ELU(0.6):type(ttype), nn.MyELU%(tag)s(0.6):type(ttype)
           local go = torch.randn(x:size()):type(ttype)
           cmp(my:forward(x), e:forward(x)); cmp(my:backward(x, go), e:backward(x, go))
           local c = nn.SpatialConvolutionMM(3, 4, 3, 2, 1, 1, 1, 0):type(ttype)
           local mc = nn.MyConv%(tag)s(3, 4, 3, 2, 1, 1, 1, 0):type(ttype)
           mc.weight:copy(c.weight:view(mc.weight:size())); mc.bias:copy(c.bias)
           c:zeroGradParameters(); mc:zeroGradParameters()
           local y = c:forward(x)
           cmp(mc:forward(x), y)
           local g = torch.randn(y:size()):type(ttype)
           cmp(mc:backward(x, g, 0.5), c:backward(x, g, 0.5))
           cmp(mc.gradWeight:view(-1), c.gradWeight:view(-1)); cmp(mc.gradBias, c.gradBias)
        end
        local x = nn.LogSoftMax():type(ttype):forward(torch.randn(5, 4):type(ttype))
        local t = torch.LongTensor{1, 4, 2, 2, 3}
        local n, mn = nn.ClassNLLCriterion():type(ttype), nn.MyNLL%(tag)s():type(ttype)
        worst = math.max(worst, math.abs(mn:forward(x, t) - n:forward(x, t)))
        cmp(mn:backward(x, t), n:backward(x, t))
        return worst
    """.replace("%(tag)s", tag).replace("TTYPE", ttype))
    assert r < (1e-5 if tag == "Float" else 1e-12)


def test_ffi_style_errors(rt):
    r = rt.execute("""
        local THNN = require 'nn.THNN'
        local x, f = torch.randn(3, 4), torch.FloatTensor(3, 4)
        local out = {}
        local function e(fn, ...)
           local ok, msg = pcall(fn, ...)
           out[#out + 1] = ok and 'ok' or msg:gsub('^[^:]*:%d+: ', '')
        end
        e(x.THNN.Sigmoid_updateOutput, x:cdata())
        e(x.THNN.Sigmoid_updateOutput, x:cdata(), f:cdata())
        e(x.THNN.Threshold_updateOutput, x:cdata(), x.new():cdata(), nil, 0, false)
        e(x.THNN.Threshold_updateOutput, x:cdata(), x.new():cdata(), f:cdata(), 0, false)
        e(x.THNN.Sigmoid_updateOutput, x:cdata(), 3)
        e(THNN.runKernel, 'Nope_updateOutput', 'torch.DoubleTensor')
        e(THNN.runKernel, 'Sigmoid_updateOutput', 'torch.LongTensor')
        e(x.THNN.ClassNLLCriterion_updateOutput, x:cdata(), x:cdata(), x.new(1):cdata(), true,
          nil, x.new(1):cdata(), -100)
        return table.concat(out, '\\n')
    """)
    assert r.split("\n") == [
        "wrong number of arguments for function call",
        ("bad argument #3 to 'v' (cannot convert 'struct THFloatTensor *' to "
         "'struct THDoubleTensor *')"),
        "bad argument #4 to 'v' (cannot convert 'nil' to 'double')",
        "bad argument #4 to 'v' (cannot convert 'struct THFloatTensor *' to 'double')",
        "bad argument #3 to 'v' (cannot convert 'number' to 'struct THDoubleTensor *')",
        "Function 'nil' not found for tensor type 'torch.DoubleTensor'.",
        "Unsupported tensor type: torch.LongTensor",
        ("bad argument #3 to 'v' (cannot convert 'struct THDoubleTensor *' to "
         "'struct THLongTensor *')"),
    ]


def test_bind_reports_missing_symbols(rt):
    r = rt.execute("""
        local THNN = require 'nn.THNN'
        local lines = {}
        local p = print
        print = function(s) lines[#lines + 1] = s end
        local ft = THNN.bind(THNN.C, {'Abs_updateOutput', 'NoSuch_updateOutput'}, 'Double',
                             THNN.getState)
        print = p
        local x = torch.randn(4):mul(-1)
        local y = torch.Tensor()
        ft.Abs_updateOutput(x:cdata(), y:cdata())
        return #lines, lines[1], ft.NoSuch_updateOutput == nil, (y - x:clone():abs()):max()
    """)
    assert r[0] == 1 and r[1].startswith("not found: THNN_DoubleNoSuch_updateOutput")
    assert r[2] is True and r[3] == 0


@pytest.mark.skipif(not os.path.exists(LINEAR_THNN), reason="nn checkout absent")
def test_nn_linear_thnn_file(rt):
    r = rt.execute("""
        local path = 'PATH'
        dofile(path)
        torch.manualSeed(7)
        local worst = 0
        local function cmp(a, b) worst = math.max(worst, (a - b):abs():max()) end
        for _, ttype in ipairs({'torch.DoubleTensor', 'torch.FloatTensor'}) do
           for _, bias in ipairs({true, false}) do
              local l = nn.Linear(5, 3, bias):type(ttype)
              local t = nn.LinearTHNN(5, 3, bias):type(ttype)
              t.weight:copy(l.weight)
              if bias then t.bias:copy(l.bias) end
              for _, x in ipairs({torch.randn(4, 5), torch.randn(5)}) do
                 x = x:type(ttype)
                 l:zeroGradParameters(); t:zeroGradParameters()
                 cmp(t:forward(x), l:forward(x))
                 local go = torch.randn(l.output:size()):type(ttype)
                 cmp(t:backward(x, go, 0.3), l:backward(x, go, 0.3))
                 cmp(t.gradWeight, l.gradWeight)
                 if bias then cmp(t.gradBias, l.gradBias) end
              end
           end
        end
        return worst
    """.replace("PATH", LINEAR_THNN))
    assert r < 1e-5


def test_require_nn_is_silent_and_binds_every_function():
    import subprocess
    import sys
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict(os.environ, PYTHONPATH=root)
    code = ("require 'nn'; local n = 0; for _ in pairs(torch.DoubleTensor().THNN) do "
            "n = n + 1 end; local m = 0; for _ in pairs(torch.FloatTensor().THNN) do "
            "m = m + 1 end; io.write(n, ' ', m)")
    r = subprocess.run([sys.executable, "-m", "compat.th", "-e", code], check=False,
                       capture_output=True, text=True, env=env, timeout=120)
    from torch7py.nn import thnn
    n = len(thnn.available())
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == f"{n} {n}"
