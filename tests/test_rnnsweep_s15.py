"""Public rnn/dpnn scripts run through th (session 14, rnnsweep15): the mechanisms their runs
found. Expectations from Lua's semantics (a function stored in a class's metatable is what its
objects' method lookup finds: luaT's __index reads the metatable) and from numpy formulas."""
from luatest import th_script


def test_a_method_the_script_stores_under_a_python_only_name_is_found(tmp_path):
    # A cutorch stand-in (or `torch.Tensor.cuda = ...` where cutorch is missing) stores cuda
    # in the tensor metatables; Torch7 without cutorch has no Tensor:cuda, so the script's
    # function is the one found. Without the store, the name stays nil, as before.
    out = th_script("""
print(torch.Tensor(2).cuda == nil)
torch.getmetatable('torch.DoubleTensor').cuda = function(self) return 'mt' end
torch.FloatTensor.cuda = function(self) return 'cls' end
print(torch.Tensor(2):cuda(), torch.FloatTensor(1):cuda(), torch.LongTensor(1).cuda == nil)
print(rawget(torch.getmetatable('torch.DoubleTensor'), 'cuda') ~= nil)
require 'nn'
print(nn.Linear(2, 2).state_dict == nil)
function nn.Module:state_dict() return 'sd' end
print(nn.Linear(2, 2):state_dict())
""", tmp_path)
    assert out.returncode == 0, out.stderr
    lines = [line.rstrip('\t').split('\t') for line in out.stdout.splitlines()]
    assert lines == [['true'], ['mt', 'cls', 'true'], ['true'], ['true'], ['sd']]


def test_rnn_before_2016_bptt_calls_stop_with_abstract_recurrents_message(tmp_path):
    # rnn ba937a0's AbstractRecurrent.lua keeps backwardThroughTime and its four siblings as
    # `error"DEPRECATED Jan 8, 2016"`: a 2015 script (rnn's doc/article/rnn-example.lua) stops
    # there, with that text, not at a nil method
    out = th_script("""
require 'rnn'
local r = nn.Recurrent(4, nn.Linear(3, 4), nn.Linear(4, 4), nn.Sigmoid(), 5)
for step = 1, 2 do
   local x = torch.randn(2, 3)
   r:forward(x)
   r:backward(x, torch.randn(2, 4))
end
for _, name in ipairs{'backwardThroughTime', 'updateGradInputThroughTime',
      'accGradParametersThroughTime', 'accUpdateGradParametersThroughTime',
      'backwardUpdateThroughTime'} do
   local ok, err = pcall(function() return r[name](r) end)
   print(name, ok, (tostring(err):gsub('^.-:%d+: ', '')))
end
print(pcall(function() return nn.FastLSTM(2, 2):backwardThroughTime() end))
""", tmp_path)
    assert out.returncode == 0, out.stderr
    lines = [line.rstrip('\t').split('\t') for line in out.stdout.splitlines()]
    assert [l[1:] for l in lines[:5]] == [['false', 'DEPRECATED Jan 8, 2016']] * 5
    assert lines[5][0] == 'false' and lines[5][1].endswith('DEPRECATED Jan 8, 2016')


# nnx's SpatialReSampling, transcribed pixel by pixel from generic/SpatialReSampling.c (C float
# ratios, neighbours and surfaces; the sum in the tensor's real type; backward accumulating in
# the loop's order), against torch7py's vectorized version
import math  # noqa: E402

import numpy as np  # noqa: E402

import torch7py as torch  # noqa: E402
from torch7py.legacy import ern  # noqa: E402
from torch7py.nn.spatial_glimpse import SpatialGlimpse  # noqa: E402
from torch7py.nn.spatial_re_sampling import SpatialReSampling  # noqa: E402

_F = np.float32


def _c_pixels(ih, iw, oh, ow):
    wr = _F(_F(iw - 1) / _F(ow - 1))
    hr = _F(_F(ih - 1) / _F(oh - 1))
    for y in range(oh):
        for x in range(ow):
            ix, iy = _F(wr * _F(x)), _F(hr * _F(y))
            ixn, iyn = _F(math.floor(ix)), _F(math.floor(iy))
            ixe, iys = _F(ixn + 1), _F(iyn + 1)
            se = _F(_F(ix - ixn) * _F(iy - iyn))
            sw = _F(_F(ixe - ix) * _F(iy - iyn))
            ne = _F(_F(ix - ixn) * _F(iys - iy))
            nw = _F(_F(ixe - ix) * _F(iys - iy))
            x0, y0 = int(ixn), int(iyn)
            x1, y1 = int(min(ixe, iw - 1)), int(min(iys, ih - 1))
            yield y, x, ((y0, x0, nw), (y0, x1, ne), (y1, x0, sw), (y1, x1, se))


def _c_forward(a, oh, ow):
    dt = a.dtype.type
    out = np.zeros((a.shape[0], oh, ow), dtype=dt)
    for k in range(a.shape[0]):
        for y, x, nb in _c_pixels(a.shape[1], a.shape[2], oh, ow):
            if dt is np.float64:  # real * float in double, summed left to right
                t = [float(a[k, yy, xx]) * float(w) for yy, xx, w in nb]
                out[k, y, x] = ((t[0] + t[1]) + t[2]) + t[3]
            else:  # float * float, summed in float
                t = [_F(a[k, yy, xx] * w) for yy, xx, w in nb]
                out[k, y, x] = _F(_F(_F(t[0] + t[1]) + t[2]) + t[3])
    return out


def _c_backward(shape, go):
    dt = go.dtype.type
    gi = np.zeros(shape, dtype=dt)
    for k in range(shape[0]):
        for y, x, nb in _c_pixels(shape[1], shape[2], go.shape[1], go.shape[2]):
            g = float(go[k, y, x])
            for yy, xx, w in nb:
                gi[k, yy, xx] = dt(float(gi[k, yy, xx]) + float(w) * g)
    return gi


def test_spatial_re_sampling_matches_nnx_c_loop_for_double_and_float():
    rng = np.random.RandomState(3)
    for T in (torch.DoubleTensor, torch.FloatTensor):
        m = SpatialReSampling({"oheight": 4, "owidth": 5}).type(T.typename)
        x = T(2, 7, 9)
        a = rng.randn(2, 7, 9).astype(x.dtype)
        x.numpy()[...] = a
        np.testing.assert_array_equal(m.forward(x).numpy(), _c_forward(a, 4, 5))
        go = T(2, 4, 5)
        g = rng.randn(2, 4, 5).astype(x.dtype)
        go.numpy()[...] = g
        np.testing.assert_array_equal(m.backward(x, go).numpy(), _c_backward((2, 7, 9), g))
    # rwidth/rheight: the output size from the input's, kept in owidth/oheight (nnx's Lua)
    r = SpatialReSampling(2, 3)
    assert r.forward(torch.Tensor(1, 3, 3).fill(1)).size().totable() == [1, 9, 6]
    assert (r.owidth, r.oheight) == (6, 9)
    # registered with dpnn's classes (nn.SpatialReSampling after require 'dpnn', and for load)
    assert ern.DPNN_CLASSES["nn.SpatialReSampling"] is SpatialReSampling


def test_spatial_glimpse_with_scale_one_and_a_half_resamples_its_larger_patch():
    # dpnn: a scale other than 2 uses nnx's SpatialReSampling{oheight=size, owidth=size};
    # size 4 at the centre of a 12x12 image: depth 2 is the 6x6 patch of rows/cols 4..9
    # (1-based: padding 2, h = 16 - 6 = 10, corner floor(0.5 * 10) = 5 in the padded image),
    # re-sampled to 4x4
    img = np.arange(144, dtype=np.float64).reshape(1, 1, 12, 12) / 7.0
    x = torch.Tensor(1, 1, 12, 12)
    x.numpy()[...] = img
    sg = SpatialGlimpse(4, 2, 1.5)
    out = sg.forward([x, torch.Tensor(1, 2).zero()]).numpy()
    assert out.shape == (1, 2, 4, 4)
    np.testing.assert_array_equal(out[0, 0], img[0, 0, 4:8, 4:8])  # depth 1: pad 1, corner 5
    np.testing.assert_array_equal(out[0, 1], _c_forward(img[0, :, 3:9, 3:9], 4, 4)[0])


def test_inception_with_a_config_lacking_its_sizes_stops_where_inception_lua_indexes(tmp_path):
    # th's trepl requires Penlight, whose `config` module is a global: the dpnn README's
    # `nn.Inception(config)` gets that table; Inception.lua then evaluates
    # `nn.SpatialConvolution(self.inputSize, self.reduceSize[i], ...)`: Lua's index error
    out = th_script("""
require 'dpnn'
print(type(config))
print(pcall(nn.Inception, config))
print(pcall(nn.Inception, {inputSize = 3, reduceSize = {2, 2, 2, 2}}))
""", tmp_path)
    assert out.returncode == 0, out.stderr
    lines = [line.rstrip('\t').split('\t') for line in out.stdout.splitlines()]
    assert lines == [['table'],
                     ['false', "attempt to index field 'reduceSize' (a nil value)"],
                     ['false', "attempt to index field 'outputSize' (a nil value)"]]


def test_gru_without_output_size_stops_at_gru_lua_arithmetic_and_lstm_defaults_it(tmp_path):
    # GRU.lua keeps outputSize as given and builds nn.Linear(inputSize, 2*self.outputSize);
    # LSTM.lua defaults it to inputSize (a public speech script calls nn.FastLSTM(300))
    out = th_script("""
require 'rnn'
print(pcall(nn.GRU, 3))
print(tostring(nn.FastLSTM(3)), nn.LSTM(3).outputSize)
""", tmp_path)
    assert out.returncode == 0, out.stderr
    lines = [line.rstrip('\t').split('\t') for line in out.stdout.splitlines()]
    assert lines == [['false', "attempt to perform arithmetic on field 'outputSize' (a nil value)"],
                     ['nn.FastLSTM(3 -> 3)', '3']]
