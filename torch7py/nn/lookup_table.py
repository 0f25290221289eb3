"""nn.LookupTable: port of torch/nn LookupTable.lua and THNN LookupTable.c."""
import numpy as np

from .. import messages, numerics
from ..messages import at_lua, lua_line
from .. import tensor as _tensor
from . import _lua
from ..tensor_math.pointwise import libm2
from ..tensor import Tensor, TorchError
from . import utils
from ._kernels import arr, new_tensor, out_like
from ._thnn_check import error
from .module import Module


class LookupTable(Module):

    def __init__(self, nIndex, nOutput, paddingValue=0, maxNorm=None, normType=None):
        super().__init__()
        self.weight = new_tensor(nIndex, nOutput)
        self.gradWeight = new_tensor(nIndex, nOutput).zero()
        self.paddingValue = paddingValue or 0
        self.maxNorm = maxNorm
        self.normType = normType
        self.reset()

    def backCompatibility(self):
        if self.__dict__.get('_count') is None:
            self._count = _tensor.IntTensor()
        if self.__dict__.get('_input') is None:
            self._input = _tensor.LongTensor()
        if not self.__dict__.get('shouldScaleGradByFreq'):
            self.shouldScaleGradByFreq = False

    def accUpdateOnly(self):
        self.gradWeight = None  # (LookupTable.lua: the key stays, set to nil)
        return self

    def setPadding(self, paddingValue):
        self.paddingValue = paddingValue
        return self

    def setMaxNorm(self, maxNorm):
        self.maxNorm = maxNorm
        return self

    def setNormType(self, normType):
        self.normType = normType
        return self

    def scaleGradByFreq(self):
        self.shouldScaleGradByFreq = True
        return self

    def reset(self, stdv=None):
        self.weight.normal(0, 1 if stdv is None else stdv)

    def _checked_indices(self, input):
        # not named _indices: that is a field of nn's LookupTable (its CUDA accGradParameters
        # buffer), which a file may hold and which would hide a method of the same name
        if input.dim() not in (1, 2):
            raise at_lua(TorchError('input must be a vector or matrix'), 'nn/LookupTable.lua:78')
        idx = arr(input).reshape(-1).astype(np.int64)
        n = self.weight.size(1)
        bad = (idx < 1) | (idx > n)
        if bad.any():
            # THTensor_(indexSelect)'s THError, raised under the Lua line that calls index
            # (luaL_error names it: updateOutput's line 73 for a vector, 75 for a matrix)
            raise at_lua(TorchError('index out of range'),
                         'nn/LookupTable.lua:%d' % (73 if input.dim() == 1 else 75))
        return idx

    def makeInputContiguous(self, input):
        if not input.isContiguous() or input.typename != self._input.typename:
            self.copiedInput = True
            self._input.resize(*input._size).copy(input)
            return self._input
        self.copiedInput = False
        return input

    def renorm(self, input):
        if not self.__dict__.get('maxNorm'):
            return
        self._input.resize(*input._size).copy(input)
        if self._input.dim() not in (1, 2):
            raise at_lua(TorchError('input must be a vector or matrix'), 'nn/LookupTable.lua:129')
        p = self.__dict__.get('normType')
        p = 2 if p is None else p  # Lua's `normType or 2` keeps a 0
        if p <= 0:
            raise error('non-positive-norm not supported')
        idx = arr(self._input).reshape(-1).astype(np.int64)
        n = self.weight.size(1)
        bad = np.flatnonzero((idx < 1) | (idx > n))
        if bad.size:  # THNN LookupTable_renorm's range check, first bad index in input order
            raise error('input need to be in the range %d <= input < %d, but got input of '
                        'value: %d', 1, n + 1, idx[bad[0]])
        # THNN sorts the index tensor in place (qsort) and moves its unique values to the
        # front (the rest keeps the sorted values): _input, a script sees it so
        srt = np.sort(idx)
        uniq = np.unique(srt)
        srt[:uniq.size] = uniq
        arr(self._input).reshape(-1)[...] = srt
        rows = uniq - 1
        w = arr(self.weight)
        sub = w[rows]
        # THNN LookupTable_renormRow: `real norm += ...` along the row: fabs(x) (exact), x*x
        # in real, else C's double pow(fabs(x), p) added in double and rounded; then
        # norm = pow(norm, 1.0 / p), new_norm = maxNorm / (norm + 1e-7): libm's double pow
        dt, f64 = w.dtype.type, np.float64
        pr, mx = dt(p), dt(self.maxNorm)
        if pr == 1 or pr == 2:
            norm = numerics.seqsum_axis(np.abs(sub) if pr == 1 else sub * sub, 1,
                                        w.dtype).reshape(-1)
        else:
            pw = libm2('pow', np.abs(sub).astype(f64), float(pr), np.empty(sub.shape, f64))
            norm = np.zeros(sub.shape[0], w.dtype)
            for j in range(sub.shape[1]):
                norm = (norm.astype(f64) + pw[:, j]).astype(w.dtype)
        norm = libm2('pow', norm.astype(f64), 1.0 / float(pr),
                     np.empty(norm.shape, f64)).astype(w.dtype)
        big = norm > mx
        new_norm = (f64(mx) / (norm[big].astype(f64) + 1e-7)).astype(w.dtype)
        w[rows[big]] = sub[big] * new_norm[:, None]

    def updateOutput(self, input):
        self.backCompatibility()
        self.renorm(input)
        input = self.makeInputContiguous(input)
        if isinstance(self.weight, Tensor) and isinstance(self.output, Tensor) and \
                self.weight.typename != self.output.typename and input.dim() in (1, 2):
            # self.output:index(self.weight, 1, input) of another type (a script's FloatTensor
            # of pretrained vectors in a Double module): the index method's own error
            with lua_line('nn/LookupTable.lua:%d' % (73 if input.dim() == 1 else 75)):
                self.output.index(self.weight, 1,
                                  input if input.dim() == 1 else input.view(-1))
        if isinstance(input, Tensor) and input.dim() in (1, 2) and \
                isinstance(self.weight, Tensor) and self.weight.dim() >= 1:
            # TH's index resizes the output (one row per index, input:view(-1) for a matrix)
            # before it checks the indices: an index out of range leaves it sized
            out_like(self.output, (input.nElement(),) + tuple(self.weight._size[1:]))
        idx = self._checked_indices(input)
        if input.dim() == 1:
            # LookupTable.lua: self.output:index(self.weight, 1, input), whatever the weight's
            # dimensions (a script's 1-D weight gives a vector of n entries)
            y = out_like(self.output, (idx.size,) + tuple(self.weight._size[1:]))
            np.take(arr(self.weight), idx - 1, axis=0, out=y)
            return self.output
        # LookupTable.lua:75-76: self.output:index(self.weight, 1, input:view(-1)), then
        # self.output = self.output:view(input:size(1), input:size(2), self.weight:size(2)):
        # a new tensor at each 2-D forward (the one before keeps its rows: a script holding
        # it sees them), and a 1-D weight fails at line 76 with the rows already written
        y = out_like(self.output, (idx.size,) + tuple(self.weight._size[1:]))
        np.take(arr(self.weight), idx - 1, axis=0, out=y)
        with lua_line('nn/LookupTable.lua:76'):
            d = self.weight.size(2)
        self.output = self.output.view(input.size(1), input.size(2), d)
        return self.output

    def updateGradInput(self, input, gradOutput):
        # LookupTable.lua: a gradInput of the input's type (input.new()), zeroed to its size
        if messages.torch_type(self.gradInput) != messages.torch_type(input):
            self.gradInput = _lua.field_call(input, 'new', "local 'input'")()
        if not _lua.mcall(self.gradInput, 'isSameSizeAs', input):
            self.gradInput.resizeAs(input).zero()
        return self.gradInput

    def _lua_call(self, input, gradOutput):
        """The THNN call's cdata()s and FFI conversions: self.gradWeight.THNN.
        LookupTable_accGradParameters(input:cdata(), gradOutput:cdata(), ...): the indices a
        LongTensor (THIndexTensor), gradOutput of gradWeight's type."""
        kind = messages.lua_type(gradOutput)
        if kind in messages.NOT_INDEXABLE:
            raise TorchError(messages.index_text(kind, "local 'gradOutput'"))
        if not isinstance(gradOutput, _tensor.Tensor):
            raise TorchError(messages.msg('call_nil_method', 'cdata'))
        real = self.gradWeight.typename[6:]
        for n, v, want in ((2, input, 'LongTensor'), (3, gradOutput, real)):
            if v.typename[6:] != want:
                raise TorchError(messages.msg('thnn_ffi_type', n, v.typename[6:], want))

    def accGradParameters(self, input, gradOutput, scale=1):
        self.backCompatibility()
        if self.__dict__.get('copiedInput'):
            input = self._input
        if _lua.mcall(input, 'dim', what="local 'input'") not in (1, 2):  # LookupTable.lua
            raise at_lua(TorchError('input must be a vector or matrix'), 'nn/LookupTable.lua:102')
        if type(input) is not _tensor.LongTensor or type(gradOutput) is not type(
                self.gradWeight):
            self._lua_call(input, gradOutput)
        idx = arr(input).reshape(-1).astype(np.int64)
        n = self.gradWeight.size(1)
        bad = np.flatnonzero((idx < 1) | (idx > n))
        if bad.size:  # THNN LookupTable_accGradParameters's range check
            raise error('inputs need to be in the range %ld <= input < %ld, but got input of '
                        'value: %ld', 1, n + 1, idx[bad[0]])
        # THNN's row length is gradWeight's first stride (a script may have swapped in a
        # weight of another shape; gradWeight decides)
        d = int(np.prod(self.gradWeight._size[1:], dtype=np.int64))
        # THNN walks the index tensor and reads gradOutput row i for index i, whatever
        # gradOutput's shape: after a forward with another (copied, non-Long) input,
        # _input still holds that input, and Torch7 pairs its indices with gradOutput's
        # first rows (treelstm's IntTensor sentences train this way)
        # (rows past gradOutput's end: THNN reads past its storage, whatever memory holds
        # there; zeros here, so the script goes on as Torch7's did)
        flat = arr(gradOutput).reshape(-1)[:idx.size * d]
        if flat.size < idx.size * d:
            flat = np.concatenate([flat, np.zeros(idx.size * d - flat.size, flat.dtype)])
        go = flat.reshape(idx.size, d)
        keep = idx != self.paddingValue
        if self.shouldScaleGradByFreq:
            counts = np.bincount(idx)
            # THNN keeps the counts per vocabulary row, in a count tensor of gradWeight's height
            self._count.resize(n)
            self._count.numpy()[idx - 1] = counts[idx]
        if not self.gradWeight.isContiguous():
            raise error('gradWeight must be contiguous')
        gw = arr(self.gradWeight).reshape(n, d)
        R = gw.dtype.type
        ks = idx[keep] - 1
        rows = go[keep].astype(gw.dtype, copy=False)
        # THNN: index after index, `real scale_ = scale; if (count) scale_ /= count[k]` in
        # real, then THBlas_(axpy)(stride, scale_, gradOutput[i], 1, gradWeight[k], 1) index
        # after index
        sc = R(1.0 if scale is None else scale)
        if self.shouldScaleGradByFreq:
            sv = (sc / counts[ks + 1].astype(gw.dtype))[:, None]
        else:
            sv = sc
        numerics.axpy_rows(gw, ks, rows, sv, True)

    def type(self, type=None, tensorCache=None):
        if type is None:
            return super().type()
        super().type(type, tensorCache)
        if type is not None:
            # the index buffers stay integer tensors whatever the module's type
            self._count = _tensor.IntTensor()
            self._input = _tensor.LongTensor()
        return self

    def clearState(self):
        utils.clear(self, '_count', '_input', '_sorted', '_indices', '_gradOutput')
        return super().clearState()

    def sharedAccUpdateGradParameters(self, input, gradOutput, lr):
        # LookupTable.lua: no accumulation when sharing, the default update
        self.defaultAccUpdateGradParameters(input, gradOutput, lr)
