-- The cases of tools/diff_nn.lua: constructor arguments (from nn's doc/*.md and test.lua) and
-- inputs for several calls (single and batch, different sizes, tables)
return function(H)
local R, P, T, L, A = H.R, H.P, H.T, H.L, H.A
local function I(...) return {...} end
local C = {}
local function add(t) C[#C + 1] = t end

-- simple layers
add{'Add', args = A(5), inputs = I(R(5), R(3, 5), R(4, 5))}
add{'Add', name = 'Add scalar', args = A(5, true), inputs = I(R(5), R(3, 5))}
add{'AddConstant', args = A(3.5), inputs = I(R(5), R(3, 5), R(2, 3, 4))}
add{'AddConstant', name = 'AddConstant inplace', args = A(3.5, true), inputs = I(R(5), R(3, 5))}
add{'MulConstant', args = A(-2.5), inputs = I(R(5), R(3, 5))}
add{'MulConstant', name = 'MulConstant inplace', args = A(0.5, true), inputs = I(R(5), R(3, 5))}
add{'Mul', inputs = I(R(5), R(3, 5))}
add{'CAdd', args = A(5), inputs = I(R(5), R(3, 5), R(2, 5))}
add{'CAdd', name = 'CAdd 1x5', args = A(1, 5), inputs = I(R(3, 5), R(2, 5))}
add{'CAdd', name = 'CAdd 3x1', args = A(3, 1), inputs = I(R(3, 4), R(3, 2))}
add{'CMul', args = A(5), inputs = I(R(5), R(3, 5), R(2, 5))}
add{'CMul', name = 'CMul 1x5', args = A(1, 5), inputs = I(R(3, 5), R(2, 5))}
add{'CMul', name = 'CMul 3x1x2', args = A(3, 1, 2), inputs = I(R(3, 4, 2), R(3, 4, 2))}
add{'Linear', args = A(4, 3), inputs = I(R(4), R(2, 4), R(5, 4))}
add{'Linear', name = 'Linear nobias', args = A(4, 3, false), inputs = I(R(4), R(2, 4))}
add{'LinearWeightNorm', args = A(4, 3), inputs = I(R(4), R(2, 4), R(3, 4))}
add{'Bilinear', args = A(3, 4, 2), inputs = I(T(R(2, 3), R(2, 4)), T(R(5, 3), R(5, 4)))}
add{'Bilinear', name = 'Bilinear nobias', args = A(3, 4, 2, false),
    inputs = I(T(R(2, 3), R(2, 4)))}
add{'PartialLinear', args = A(5, 3), inputs = I(R(5), R(2, 5))}
add{'Euclidean', args = A(5, 3), inputs = I(R(5), R(2, 5), R(4, 5))}
add{'WeightedEuclidean', args = A(5, 3), inputs = I(R(5), R(2, 5), R(4, 5))}
add{'Cosine', args = A(5, 3), inputs = I(R(5), R(2, 5), R(4, 5))}
add{'Identity', inputs = I(R(5), T(R(2), R(3)))}
add{'Exp', inputs = I(R(5), R(3, 5))}
add{'Log', inputs = I(P(5), P(3, 5))}
add{'Power', args = A(2), inputs = I(R(5), R(3, 5))}
add{'Power', name = 'Power 0.5', args = A(0.5), inputs = I(P(5), P(3, 5))}
add{'Power', name = 'Power 3', args = A(3), inputs = I(R(5), R(3, 5))}
add{'SoftSign', inputs = I(R(5), R(3, 5))}
add{'TanhShrink', inputs = I(R(5), R(3, 5))}
add{'GradientReversal', args = A(0.7), inputs = I(R(5), R(3, 5))}
add{'Clamp', args = A(-0.5, 0.5), inputs = I(R(5), R(3, 5))}
add{'Normalize', args = A(2), inputs = I(R(5), R(3, 5))}
add{'Normalize', name = 'Normalize 1', args = A(1), inputs = I(R(5), R(3, 5))}
add{'Normalize', name = 'Normalize 3', args = A(3), inputs = I(R(5), R(3, 5))}
add{'Normalize', name = 'Normalize inf', args = A(math.huge), inputs = I(R(5), R(3, 5))}
add{'Dropout', args = A(0.3), inputs = I(R(5), R(3, 5), R(3, 5))}
add{'Dropout', name = 'Dropout v1', args = A(0.3, true), inputs = I(R(5), R(3, 5))}
add{'Dropout', name = 'Dropout inplace', args = A(0.4, false, true), inputs = I(R(5), R(3, 5))}
add{'Dropout', name = 'Dropout eval', args = A(0.3), train = false, inputs = I(R(5), R(3, 5))}
add{'Dropout', name = 'Dropout stochastic', args = A(0.3, false, false, true), train = false,
    inputs = I(R(5), R(3, 5))}
add{'SpatialDropout', args = A(0.3), inputs = I(R(3, 4, 4), R(2, 3, 4, 4))}
add{'VolumetricDropout', args = A(0.3), inputs = I(R(2, 3, 4, 4), R(2, 2, 3, 4, 4))}
add{'WhiteNoise', args = A(0, 0.2), inputs = I(R(5), R(3, 5))}
add{'WhiteNoise', name = 'WhiteNoise eval', args = A(0, 0.2), train = false,
    inputs = I(R(5), R(3, 5))}
add{'L1Penalty', args = A(0.1), inputs = I(R(5), R(3, 5))}
add{'L1Penalty', name = 'L1Penalty sizeAverage', args = A(0.1, true), inputs = I(R(3, 5))}
add{'ZeroGrad', inputs = I(R(5), R(3, 5))}
add{'Contiguous', inputs = I(R(5), function() return torch.randn(5, 3):t() end)}
add{'Copy', args = A('torch.DoubleTensor', 'torch.FloatTensor'), types = {'torch.DoubleTensor'},
    inputs = I(R(5), R(3, 5))}
add{'Constant', args = function() torch.manualSeed(3); return {torch.randn(3)} end,
    inputs = I(R(5), R(2, 5))}
add{'Constant', name = 'Constant ndim', args = function() torch.manualSeed(3)
    return {torch.randn(3), 1} end, inputs = I(R(5), R(2, 5))}
add{'PixelShuffle', args = A(2), inputs = I(R(8, 2, 3), R(2, 8, 2, 3))}
add{'Padding', args = A(1, 2), inputs = I(R(3), R(3, 4))}
add{'Padding', name = 'Padding front', args = A(1, -2, 1, 5), inputs = I(R(3, 4), R(2, 3, 4))}
add{'Padding', name = 'Padding index', args = A(1, 2, 1, 0, 2), inputs = I(R(3, 4), R(2, 3, 4))}
add{'Padding', name = 'Padding dim2', args = A(2, 3, 2), inputs = I(R(3, 4), R(2, 3, 4))}
add{'SpatialZeroPadding', args = A(1, 2, -1, 1), inputs = I(R(2, 4, 5), R(3, 2, 4, 5))}

-- shapes
add{'Reshape', args = A(6), inputs = I(R(2, 3), R(4, 2, 3), R(6))}
add{'Reshape', name = 'Reshape 3x2', args = A(3, 2), inputs = I(R(6), R(4, 6), R(2, 3))}
add{'Reshape', name = 'Reshape batch', args = A(3, 2, true), inputs = I(R(2, 6), R(1, 6))}
add{'Reshape', name = 'Reshape storage', args = function() return {torch.LongStorage{3, 2}} end,
    inputs = I(R(6), R(4, 6))}
add{'View', args = A(6), inputs = I(R(2, 3), R(4, 2, 3))}
add{'View', name = 'View -1', args = A(-1, 3), inputs = I(R(2, 3), R(4, 2, 3))}
add{'View', name = 'View storage', args = function() return {torch.LongStorage{3, 2}} end,
    inputs = I(R(6), R(2, 3))}
add{'Select', args = A(1, 2), inputs = I(R(3, 4), R(3))}
add{'Select', name = 'Select -1', args = A(2, -1), inputs = I(R(3, 4), R(2, 3, 4))}
add{'Narrow', args = A(1, 2, 2), inputs = I(R(4, 3), R(5))}
add{'Narrow', name = 'Narrow negative', args = A(2, -3, 2), inputs = I(R(4, 5), R(2, 6))}
add{'Narrow', name = 'Narrow length -1', args = A(1, 2, -1), inputs = I(R(4, 3), R(6))}
add{'Replicate', args = A(3), inputs = I(R(5), R(2, 5))}
add{'Replicate', name = 'Replicate dim2', args = A(3, 2), inputs = I(R(5), R(2, 5))}
add{'Replicate', name = 'Replicate ndim', args = A(3, 1, 1), inputs = I(R(5), R(2, 5))}
add{'Squeeze', inputs = I(R(1, 3, 1), R(2, 1, 4))}
add{'Squeeze', name = 'Squeeze dim', args = A(2), inputs = I(R(3, 1, 2), R(2, 1, 4))}
add{'Squeeze', name = 'Squeeze batch', args = A(1, 2), inputs = I(R(3, 1, 2), R(1, 3))}
add{'Unsqueeze', args = A(2), inputs = I(R(3, 4), R(5))}
add{'Unsqueeze', name = 'Unsqueeze batch', args = A(1, 1), inputs = I(R(3, 4), R(2, 3, 4))}
add{'Transpose', args = A({1, 2}), inputs = I(R(3, 4), R(2, 3))}
add{'Transpose', name = 'Transpose two', args = A({1, 2}, {2, 3}), inputs = I(R(2, 3, 4))}
add{'Collapse', args = A(2), inputs = I(R(2, 3, 4), R(3, 2, 2))}
add{'Sum', args = A(1), inputs = I(R(3, 4), R(5))}
add{'Sum', name = 'Sum dim2', args = A(2), inputs = I(R(3, 4), R(2, 3, 4))}
add{'Sum', name = 'Sum batch', args = A(1, 1), inputs = I(R(3, 4), R(2, 3, 4))}
add{'Sum', name = 'Sum average', args = A(2, nil, true), inputs = I(R(3, 4), R(2, 3, 4))}
add{'Sum', name = 'Sum squeeze false', args = A(2, nil, false, false), inputs = I(R(3, 4))}
add{'Mean', args = A(1), inputs = I(R(3, 4), R(5))}
add{'Mean', name = 'Mean batch', args = A(1, 1), inputs = I(R(3, 4), R(2, 3, 4))}
add{'Max', args = A(1), inputs = I(R(3, 4), R(5))}
add{'Max', name = 'Max batch', args = A(1, 1), inputs = I(R(3, 4), R(2, 3, 4))}
add{'Max', name = 'Max dim2', args = A(2), inputs = I(R(3, 4), R(2, 3, 4))}
add{'Min', args = A(1), inputs = I(R(3, 4), R(5))}
add{'Min', name = 'Min batch', args = A(1, 1), inputs = I(R(3, 4), R(2, 3, 4))}
add{'MaskedSelect', inputs = I(T(R(3, 4), function() return torch.rand(3, 4):gt(0.5) end))}
add{'Index', args = A(1), inputs = I(T(R(5), L(3, 5)), T(R(5, 2), L(4, 5)))}
add{'Maxout', args = A(4, 3, 2), inputs = I(R(4), R(3, 4))}
add{'OneHot', args = A(5), nobackward = true,
    inputs = I(function() return torch.LongTensor{1, 3, 5} end,
               function() return torch.LongTensor{{1, 3}, {5, 2}} end)}

-- tables
add{'CAddTable', inputs = I(T(R(3), R(3)), T(R(2, 3), R(2, 3), R(2, 3)))}
add{'CAddTable', name = 'CAddTable inplace', args = A(true),
    inputs = I(T(R(3), R(3)), T(R(2, 3), R(2, 3)))}
add{'CSubTable', inputs = I(T(R(3), R(3)), T(R(2, 3), R(2, 3)))}
add{'CMulTable', inputs = I(T(R(3), R(3)), T(R(2, 3), R(2, 3), R(2, 3)))}
add{'CDivTable', inputs = I(T(R(3), P(3)), T(R(2, 3), P(2, 3)))}
add{'CMaxTable', inputs = I(T(R(3), R(3)), T(R(2, 3), R(2, 3), R(2, 3)))}
add{'CMinTable', inputs = I(T(R(3), R(3)), T(R(2, 3), R(2, 3), R(2, 3)))}
add{'JoinTable', args = A(1), inputs = I(T(R(3), R(2)), T(R(2, 3), R(1, 3)))}
add{'JoinTable', name = 'JoinTable batch', args = A(1, 1),
    inputs = I(T(R(3), R(2)), T(R(2, 3), R(2, 1)))}
add{'JoinTable', name = 'JoinTable -1', args = A(-1), inputs = I(T(R(2, 3), R(2, 1)))}
add{'SplitTable', args = A(1), inputs = I(R(3, 2), R(2, 4))}
add{'SplitTable', name = 'SplitTable batch', args = A(1, 1), inputs = I(R(3, 2), R(2, 3, 4))}
add{'SplitTable', name = 'SplitTable -1', args = A(-1), inputs = I(R(3, 2), R(2, 3, 4))}
add{'SelectTable', args = A(1), inputs = I(T(R(3), R(2)), T(R(2), R(4), R(1)))}
add{'SelectTable', name = 'SelectTable -1', args = A(-1), inputs = I(T(R(3), R(2)))}
add{'SelectTable', name = 'SelectTable nested', args = A(2),
    inputs = I(T(R(3), T(R(2), R(1))))}
add{'NarrowTable', args = A(2, 2), inputs = I(T(R(3), R(2), R(1), R(4)))}
add{'FlattenTable', inputs = I(T(R(3), T(R(2), T(R(1))), R(4)), T(R(3), T(R(2), T(R(1))), R(4)))}
add{'ZipTable', inputs = I(T(T(R(2), R(3)), T(R(4), R(5))))}
add{'ZipTableOneToMany', inputs = I(T(R(2), T(R(4), R(5))))}
add{'CAddTensorTable', inputs = I(T(R(3), T(R(3), R(3))))}
add{'DotProduct', inputs = I(T(R(3), R(3)), T(R(2, 3), R(2, 3)))}
add{'CosineDistance', inputs = I(T(R(3), R(3)), T(R(2, 3), R(2, 3)))}
add{'PairwiseDistance', args = A(2), inputs = I(T(R(3), R(3)), T(R(2, 3), R(2, 3)))}
add{'PairwiseDistance', name = 'PairwiseDistance 1', args = A(1),
    inputs = I(T(R(3), R(3)), T(R(2, 3), R(2, 3)))}
add{'PairwiseDistance', name = 'PairwiseDistance 3', args = A(3),
    inputs = I(T(R(3), R(3)), T(R(2, 3), R(2, 3)))}
add{'MM', inputs = I(T(R(2, 3), R(3, 4)), T(R(5, 2, 3), R(5, 3, 4)))}
add{'MM', name = 'MM transposed', args = A(true, true), inputs = I(T(R(3, 2), R(4, 3)))}
add{'MV', inputs = I(T(R(2, 3), R(3)), T(R(5, 2, 3), R(5, 3)))}
add{'MV', name = 'MV transposed', args = A(true), inputs = I(T(R(3, 2), R(3)))}
add{'MixtureTable', inputs = I(T(P(3), T(R(4), R(4), R(4))), T(P(2, 3), T(R(2, 4), R(2, 4), R(2, 4))))}
add{'MixtureTable', name = 'MixtureTable tensor', inputs = I(T(P(3), R(3, 4)), T(P(2, 3), R(2, 3, 4)))}

-- tables whose length changes from call to call: the module grows and shrinks its own output
-- and gradInput tables (a script holding them sees the same tables)
local function lens(...)
   local out = {}
   for i, n in ipairs{...} do
      out[i] = function()
         local t = {}
         for j = 1, n do t[j] = torch.randn(2, 3) end
         return t
      end
   end
   return unpack(out)
end
add{'CAddTable', name = 'CAddTable lengths', inputs = I(lens(3, 2, 4, 1))}
add{'CMulTable', name = 'CMulTable lengths', inputs = I(lens(3, 2, 4))}
add{'CMaxTable', name = 'CMaxTable lengths', inputs = I(lens(3, 2, 4))}
add{'JoinTable', name = 'JoinTable lengths', args = A(2), inputs = I(lens(3, 2, 4))}
add{'Identity', name = 'Identity lengths', inputs = I(lens(3, 2, 4))}
add{'NarrowTable', name = 'NarrowTable lengths', args = A(1, 2), inputs = I(lens(3, 2, 4))}
add{'SelectTable', name = 'SelectTable lengths', args = A(2), inputs = I(lens(3, 2, 4))}
add{'FlattenTable', name = 'FlattenTable lengths',
    inputs = I(T(R(3), T(R(2), T(R(1))), R(4)), T(R(3), R(4)), T(T(R(1), R(2)), T(R(2), T(R(1)))))}
add{'SplitTable', name = 'SplitTable lengths', args = A(1), inputs = I(R(3, 2), R(2, 2), R(4, 2))}
add{'ZipTable', name = 'ZipTable lengths',
    inputs = I(T(T(R(2), R(3)), T(R(4), R(5))), T(T(R(2)), T(R(4))),
               T(T(R(2), R(3), R(1)), T(R(4), R(5), R(1))))}
add{'MixtureTable', name = 'MixtureTable lengths',
    inputs = I(T(P(2, 3), T(R(2, 4), R(2, 4), R(2, 4))), T(P(2, 2), T(R(2, 4), R(2, 4))),
               T(P(2, 4), T(R(2, 4), R(2, 4), R(2, 4), R(2, 4))))}

-- containers (NN: the namespace the inner modules come from)
local function mods(f) return function(NN) return f(NN) end end
add{'Sequential', name = 'Sequential', inputs = I(R(4), R(3, 4)),
    build = function(m, NN) m:add(NN.Linear(4, 3)):add(NN.Tanh()):add(NN.Linear(3, 2)) end}
add{'Concat', args = A(1), inputs = I(R(4), R(4)),
    build = function(m, NN) m:add(NN.Linear(4, 3)):add(NN.Linear(4, 2)) end}
add{'Concat', name = 'Concat dim2', args = A(2), inputs = I(R(3, 4), R(2, 4)),
    build = function(m, NN) m:add(NN.Linear(4, 3)):add(NN.Tanh()) end}
add{'DepthConcat', args = A(1), inputs = I(R(4), R(4)),
    build = function(m, NN) m:add(NN.Linear(4, 3)):add(NN.Linear(4, 2)) end}
add{'ConcatTable', inputs = I(R(4), R(3, 4)),
    build = function(m, NN) m:add(NN.Linear(4, 3)):add(NN.Identity()) end}
add{'ParallelTable', inputs = I(T(R(4), R(3)), T(R(2, 4), R(2, 3))),
    build = function(m, NN) m:add(NN.Linear(4, 3)):add(NN.Tanh()) end}
add{'Parallel', args = A(1, 1), inputs = I(R(2, 4), R(2, 4)),
    build = function(m, NN) m:add(NN.Linear(4, 3)):add(NN.Linear(4, 2)) end}
add{'MapTable', inputs = I(T(R(4), R(4)), T(R(2, 4), R(2, 4), R(2, 4))),
    args = function(NN) return {NN.Linear(4, 2)} end}
add{'MapTable', name = 'MapTable lengths', inputs = I(lens(3, 2, 4)),
    args = function(NN) return {NN.Tanh()} end}
add{'ConcatTable', name = 'ConcatTable table input', inputs = I(lens(3, 2, 4)),
    build = function(m, NN) m:add(NN.Identity()):add(NN.CAddTable()) end}
add{'ParallelTable', name = 'ParallelTable lengths', inputs = I(lens(3, 2, 3)),
    build = function(m, NN) m:add(NN.Tanh()):add(NN.Sigmoid()) end}
add{'Bottle', args = function(NN) return {NN.Linear(4, 2)} end, inputs = I(R(3, 5, 4), R(2, 4))}
add{'Bottle', name = 'Bottle 3', args = function(NN) return {NN.Linear(4, 2), 3, 3} end,
    inputs = I(R(3, 5, 4))}
add{'Decorator', args = function(NN) return {NN.Linear(4, 2)} end, inputs = I(R(4), R(3, 4))}
add{'DontCast', args = function(NN) return {NN.Linear(4, 2)} end, inputs = I(R(4), R(3, 4))}
add{'WeightNorm', origleaves = true, leftout = 'weight gradWeight', args = function(NN) return {NN.Linear(4, 2)} end, inputs = I(R(4), R(3, 4))}
add{'CReLU', args = A(3), inputs = I(R(3), R(2, 3))}
add{'NaN', args = function(NN) return {NN.Linear(4, 2)} end, inputs = I(R(4), R(3, 4))}

-- more pure-Lua modules (some built of C ones)
add{'LayerNormalization', args = A(5), inputs = I(R(3, 5), R(2, 5))}
add{'TemporalDynamicKMaxPooling', args = A(2), inputs = I(R(5, 3), R(2, 6, 3))}
add{'TemporalDynamicKMaxPooling', name = 'TemporalDynamicKMaxPooling factor', args = A(2, 0.5),
    inputs = I(R(6, 3), R(2, 8, 3))}
add{'SpatialLPPooling', args = A(2, 2, 2, 2), inputs = I(P(2, 4, 4), P(3, 2, 4, 4))}
add{'SpatialSubtractiveNormalization', args = function() return {2, torch.ones(3, 3)} end,
    inputs = I(R(2, 6, 6), R(2, 2, 6, 6))}
add{'SpatialDivisiveNormalization', args = function() return {2, torch.ones(3, 3)} end,
    inputs = I(P(2, 6, 6), P(2, 2, 6, 6))}
add{'SpatialContrastiveNormalization', args = function() return {1, torch.ones(3, 3)} end,
    inputs = I(P(1, 5, 5))}
add{'Convert', args = A('bchw', 'bf'), inputs = I(R(2, 3, 2, 2))}
add{'Convert', name = 'Convert chw', args = A('chw', 'hwc'), inputs = I(R(3, 2, 4))}

-- bad input: the errors (message text) must be the original's
local function bad(name, args, ...)
   add{name, name = name .. ' bad input ' .. (#C), args = args, inputs = I(...), types = {'torch.DoubleTensor'}}
end
bad('Linear', A(4, 3), R(5), R(2, 5), R(2, 3, 4))
bad('Reshape', A(6), R(5), R(2, 5))
bad('Reshape', A(2, 3), R(7))
bad('View', A(6), R(5), R(2, 2, 2))
bad('View', A(-1, 4), R(6))
bad('Narrow', A(1, 3, 3), R(4))
bad('Narrow', A(3, 1, 1), R(4, 2))
bad('Select', A(1, 5), R(4, 2))
bad('Select', A(3, 1), R(4, 2))
bad('Replicate', A(3, 3), R(4, 2))
bad('Sum', A(3), R(4, 2))
bad('Mean', A(3), R(4))
bad('Max', A(3), R(4, 2))
bad('Squeeze', A(3), R(4, 1))
bad('Unsqueeze', A(4), R(4, 2))
bad('Transpose', A({1, 3}), R(4, 2))
bad('JoinTable', A(1), T(R(2, 3), R(2, 4)))
bad('JoinTable', A(3), T(R(2, 3), R(2, 3)))
bad('SplitTable', A(3), R(2, 3))
bad('CAddTable', nil, T(R(3), R(4)))
bad('CMulTable', nil, T(R(3), R(2, 2)))
bad('CSubTable', nil, T(R(3), R(4)))
bad('CDivTable', nil, T(R(3), R(4)))
bad('SelectTable', A(3), T(R(3), R(4)))
bad('NarrowTable', A(2, 3), T(R(3), R(4)))
bad('MM', nil, T(R(2, 3), R(4, 2)), T(R(2, 3), R(3)), T(R(2, 2, 3), R(3, 3, 2)))
bad('MV', nil, T(R(2, 3), R(4)), T(R(2, 3, 3), R(2)))
bad('DotProduct', nil, T(R(3), R(4)))
bad('CosineDistance', nil, T(R(3), R(4)))
bad('PairwiseDistance', A(2), T(R(3), R(4)), T(R(2, 3, 4), R(2, 3, 4)))
bad('Euclidean', A(3, 2), R(4), R(2, 4), R(2, 3, 3))
bad('WeightedEuclidean', A(3, 2), R(4), R(2, 3, 3))
bad('Cosine', A(3, 2), R(4), R(2, 3, 3))
bad('Bilinear', A(3, 4, 2), T(R(2, 3), R(3, 4)), T(R(2, 4), R(2, 4)), T(R(3), R(4)))
bad('Add', A(5), R(4), R(3, 4))
bad('CMul', A(5), R(4), R(3, 4))
bad('Normalize', A(2), R(2, 3, 4))
bad('Padding', A(3, 2), R(3))
bad('Index', A(1), T(R(5), L(3, 9)))
bad('Collapse', A(2), R(3))
bad('MixtureTable', nil, T(P(3), T(R(4), R(4))))
bad('PixelShuffle', A(2), R(3, 2, 2), R(4, 2))
bad('Power', A(2), T(R(3), R(3)))

-- criterions
local function crit(t) t.crit = true; add(t) end
local function pm1(n) return function() return torch.Tensor(n):random(2):mul(2):add(-3) end end
crit{'CosineEmbeddingCriterion', args = A(0.1),
     inputs = I(function() return {torch.randn(5), torch.randn(5)}, 1 end,
                function() return {torch.randn(3, 5), torch.randn(3, 5)}, pm1(3)() end)}
crit{'HingeEmbeddingCriterion', args = A(1),
     inputs = I(function() return torch.randn(5), pm1(5)() end)}
crit{'L1HingeEmbeddingCriterion', args = A(1),
     inputs = I(function() return {torch.randn(5), torch.randn(5)}, 1 end,
                function() return {torch.randn(5), torch.randn(5)}, -1 end)}
crit{'MarginRankingCriterion', args = A(0.5),
     inputs = I(function() return {torch.randn(1), torch.randn(1)}, 1 end,
                function() return {torch.randn(4), torch.randn(4)}, pm1(4)() end)}
crit{'MultiLabelSoftMarginCriterion',
     inputs = I(function() return torch.randn(5), torch.Tensor(5):random(2):add(-1) end,
                function() return torch.randn(3, 5), torch.Tensor(3, 5):random(2):add(-1) end)}
crit{'CrossEntropyCriterion', keeptarget = true,
     inputs = I(function() return torch.randn(5), 3 end,
                function() return torch.randn(3, 5), torch.LongTensor{1, 5, 2} end)}
crit{'DistanceRatioCriterion', args = A(true),
     inputs = I(function() return {torch.rand(4), torch.rand(4)}, nil end)}
crit{'SpatialAutoCropMSECriterion',
     inputs = I(function() return torch.randn(2, 4, 4), torch.randn(2, 3, 3) end)}
crit{'MultiCriterion', build = function(c, NN) c:add(NN.MSECriterion(), 0.5)
     c:add(NN.AbsCriterion()) end,
     inputs = I(function() return torch.randn(5), torch.randn(5) end)}
crit{'ParallelCriterion', build = function(c, NN) c:add(NN.MSECriterion(), 0.5)
     c:add(NN.AbsCriterion()) end,
     inputs = I(function() return {torch.randn(5), torch.randn(3)},
                {torch.randn(5), torch.randn(3)} end)}
crit{'ParallelCriterion', name = 'ParallelCriterion repeat', args = A(true),
     build = function(c, NN) c:add(NN.MSECriterion(), 0.5)
     c:add(NN.AbsCriterion()) end,
     inputs = I(function() return {torch.randn(5), torch.randn(5)}, torch.randn(5) end)}
crit{'CriterionTable', args = function(NN) return {NN.MSECriterion()} end,
     inputs = I(function() return {torch.randn(5), torch.randn(5)} end)}
crit{'ModuleCriterion', args = function(NN) return {NN.MSECriterion(), NN.Tanh()} end,
     inputs = I(function() return torch.randn(5), torch.randn(5) end)}
local function nosa(m) m.sizeAverage = false end
crit{'HingeEmbeddingCriterion', name = 'HingeEmbeddingCriterion sum', args = A(0.5), post = nosa,
     inputs = I(function() return torch.randn(5), pm1(5)() end,
                function() return torch.randn(5), 1 end)}
crit{'MarginRankingCriterion', name = 'MarginRankingCriterion sum', args = A(0.2), post = nosa,
     inputs = I(function() return {torch.randn(4), torch.randn(4)}, pm1(4)() end)}
crit{'CosineEmbeddingCriterion', name = 'CosineEmbeddingCriterion sum', args = A(0.3),
     post = nosa,
     inputs = I(function() return {torch.randn(3, 5), torch.randn(3, 5)}, pm1(3)() end,
                function() return {torch.randn(5), torch.randn(5)}, -1 end)}
crit{'MultiLabelSoftMarginCriterion', name = 'MultiLabelSoftMarginCriterion weights',
     args = function() return {torch.Tensor{0.5, 2, 1, 0.25, 3}} end,
     inputs = I(function() return torch.randn(3, 5), torch.Tensor(3, 5):random(2):add(-1) end,
                function() return torch.randn(5), torch.Tensor(5):random(2):add(-1) end)}
crit{'MultiLabelSoftMarginCriterion', name = 'MultiLabelSoftMarginCriterion sum',
     args = function() return {nil, false} end,
     inputs = I(function() return torch.randn(3, 5), torch.Tensor(3, 5):random(2):add(-1) end)}
crit{'L1HingeEmbeddingCriterion', name = 'L1HingeEmbeddingCriterion margin', args = A(0.1),
     inputs = I(function() return {torch.randn(5), torch.randn(5)}, -1 end)}
crit{'DistanceRatioCriterion', name = 'DistanceRatioCriterion batch', args = A(false),
     inputs = I(function() return {torch.rand(3), torch.rand(3)}, nil end)}
crit{'CrossEntropyCriterion', name = 'CrossEntropyCriterion weights', keeptarget = true,
     args = function() return {torch.Tensor{1, 2, 0.5, 1, 3}} end,
     inputs = I(function() return torch.randn(3, 5), torch.LongTensor{1, 5, 2} end)}
crit{'SpatialAutoCropMSECriterion', name = 'SpatialAutoCropMSECriterion batch',
     inputs = I(function() return torch.randn(2, 2, 5, 4), torch.randn(2, 2, 3, 2) end)}
return C
end
