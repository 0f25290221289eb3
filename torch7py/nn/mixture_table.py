"""nn.MixtureTable: port of torch/nn MixtureTable.lua (a gater's weights mix experts given as a
table of tensors or as one tensor)."""
import numpy as np

from .. import messages
from ..messages import at_lua, lua_line, lua_method_call, size_str
from .. import numerics
from ..storage import LongStorage, TorchError
from . import _lua, utils
from ._kernels import arr, out_like, th_sum_dims
from .module import Module


class MixtureTable(Module):

    def __init__(self, dim=None):
        super().__init__()
        if dim is not None:
            # (`self.dim = dim` with dim nil makes no live key: the node it takes at once
            # holds nil, and the rehash the next keys make drops it; dim gets its key when
            # updateOutput sets it)
            self.dim = dim
        self.size = LongStorage()  # (MixtureTable.lua's fields, in its order)
        self.batchSize = 0
        self.size2 = LongStorage()
        self.backwardSetup = False
        self.gradInput = []

    def _setup(self, input, forward=False):
        # MixtureTable.lua: local gaterInput, expertInputs = table.unpack(input); its buffers
        # input[1].new(); gaterInput:size(1) (the locals' names are Lua's, for its errors)
        gaterInput, expertInputs = (_lua.unpack(input) + [None, None])[:2]
        if not forward and self.__dict__.get('_sum') is None:
            _lua.field_call(_lua.index(input, 1), 'new')  # self._sum or input[1].new()
        self.dimG = 2
        batch = _lua.mcall(gaterInput, 'size', 1, what="local 'gaterInput'")
        if gaterInput.dim() < 2:
            self.dimG = 1
            if self.__dict__.get('dim') is None:
                self.dim = 1
            batch = 1
        if self.__dict__.get('dim') is None:
            self.dim = 2
        is_table = self.__dict__.get('table') or isinstance(expertInputs, list)
        g = arr(gaterInput)
        if is_table:
            self.table = True
            if gaterInput.size(self.dimG) != _lua.length(expertInputs):
                raise at_lua(ValueError('Should be one gater output per expert'),
                             'nn/MixtureTable.lua:34')
            nd = _lua.mcall(_lua.index(expertInputs, 1), 'dim',
                            what="local 'expertInput'") + 1
        else:
            nd = _lua.mcall(expertInputs, 'dim', what="local 'expertInputs'")
        size = [1] * nd
        if self.dimG > 1:
            size[0] = gaterInput.size(1)
        size[self.dim - 1] = gaterInput.size(self.dimG)
        if forward:
            # self.size:resize(n):fill(1), then its entries: kept by a forward that fails later
            self.size.resize(nd).fill(1)
            for i, v in enumerate(size):
                self.size[i + 1] = v
        if forward and not is_table:
            # self.output:resizeAs(expertInputs:select(self.dim, 1)) before the view (the
            # select of a vector is a number, which resizeAs refuses)
            with lua_line('nn/MixtureTable.lua:58'), lua_method_call('resizeAs'):
                self.output.resizeAs(expertInputs.select(self.dim, 1))
        if forward and is_table:
            # self.output:resizeAs(expertInput) (line 42), then self.batchSize (line 43)
            with lua_line('nn/MixtureTable.lua:42'), lua_method_call('resizeAs'):
                self.output.resizeAs(_lua.index(expertInputs, 1))
        if forward:
            # (MixtureTable.lua:43 or :59, after output:resizeAs(...); its backward leaves it)
            self.batchSize = batch
        # a view, as MixtureTable.lua's _gaterView:view(gaterInput, size): its size error;
        # then its expandAs of the gate(s) over the expert(s): theirs
        gview = gaterInput.view(*size)
        if forward:
            # self._gaterView:view(gaterInput, self.size): kept when the expandAs after fails
            self._gaterView.view(gaterInput, self.size)
        if is_table:
            if forward:
                self.output.zero()  # then output:addcmul(expertInput, gate) expert by expert
            for i, t in enumerate(expertInputs):
                try:
                    gview.select(self.dim, i + 1).expandAs(t)
                except TorchError:
                    # the experts before it were added into output
                    if forward and i:
                        y = arr(self.output)
                        for j in range(i):
                            gate = np.broadcast_to(np.take(arr(gview), j, axis=self.dim - 1),
                                                   y.shape)
                            y[...] = y + arr(expertInputs[j]).reshape(y.shape) * gate
                    raise
            e = np.stack([arr(t) for t in expertInputs], axis=self.dim - 1)
        else:
            gview.expandAs(expertInputs)
            e = arr(expertInputs)
        return g, arr(gview), e, is_table

    def updateOutput(self, input):
        # MixtureTable.lua: table.unpack(input), then `self._gaterView = ... or input[1].new()`
        _lua.unpack(input)
        utils.lua_buffers(self, _lua.index(input, 1), '_gaterView', '_expert', '_expertView',
                          what='')
        g, gv, e, is_table = self._setup(input, forward=True)
        gated = gv * e
        if is_table or e.dtype.kind != 'f':
            # output:zero(), then output:addcmul(expertInput, gate) per expert, in order
            mixed = numerics.seqsum_axis(gated, self.dim - 1)
        else:
            # _expert:cmul(gate, expertInputs), then output:sum(_expert, dim) (TH's sum(dim))
            mixed = th_sum_dims(gated, (self.dim - 1,))
        mixed = np.squeeze(mixed, self.dim - 1)
        shape = arr(input[1][0]).shape if is_table else mixed.shape
        y = out_like(self.output, shape)
        y[...] = mixed.reshape(shape)
        if not is_table:
            # the buffer MixtureTable.lua leaves (with _gaterView, made in _setup): _expert the
            # gated experts, self._expert:cmul(self._gaterView:expandAs(expertInputs), ...)
            out_like(self._expert, input[1]._size)[...] = gated
        return self.output

    def _backward_buffers(self, input, gradOutput, is_table):
        """The buffers MixtureTable.lua's updateGradInput leaves: (table) _expert, _expertView
        and _sum of the last expert; (tensor) size2, _expertView the view of gradOutput,
        _expert the product, _expert2 its transposed copy (when not contiguous) and
        _expertView2 the view that was summed."""
        gaterInput, expertInputs = input[0], input[1]
        if is_table:
            if not len(expertInputs):
                return
            with lua_line('nn/MixtureTable.lua:97'):
                self._expert.cmul(gradOutput, expertInputs[-1])
            if self.dimG == 1:
                self._expertView.view(self._expert, -1)
            else:
                self._expertView.view(self._expert, gradOutput.size(1), -1)
            self._sum.sum(self._expertView, self.dimG)
            return
        self.size2.resize(expertInputs.dim())
        self.size2.copy(expertInputs.size())
        self.size2[self.dim] = 1
        self._expertView.view(gradOutput, self.size2)
        with lua_line('nn/MixtureTable.lua:123'):
            self._expert.cmul(self._expertView.expandAs(expertInputs), expertInputs)
        expert = self._expert.transpose(self.dim, self.dimG)
        if not expert.isContiguous():
            self._expert2.resizeAs(expert).copy(expert)
            expert = self._expert2
        if self.dimG == 1:
            self._expertView2.view(expert, gaterInput.size(1), -1)
        else:
            self._expertView2.view(expert, gaterInput.size(1), gaterInput.size(2), -1)

    def _lua_grad_before_forward(self, input):
        """MixtureTable.lua's updateGradInput on a module no forward has set up (no dimG, no
        _expertView): its lines up to the first that fails, the view of gradOutput into the
        forward's buffer at the latest."""
        from .. import messages
        from ..tensor import TorchError
        gaterInput, expertInputs = (_lua.unpack(input) + [None, None])[:2]
        if not isinstance(self.gradInput, list):
            self.gradInput = []
        utils.recursiveResizeAs(self.gradInput, input)
        gaterGradInput = _lua.index(self.gradInput, 1)
        utils.lua_buffers(self, _lua.index(input, 1), '_sum', '_expertView2', '_expert2',
                          what='')
        if self.__dict__.get('table'):
            raise TorchError(messages.msg('index_field', '_expert', 'nil'))
        _lua.mcall(self.size2, 'resize', _lua.mcall(expertInputs, 'dim',
                                                    what="local 'expertInputs'"))
        self.size2.copy(expertInputs.size())
        if self.__dict__.get('dim') is None:  # self.size2[self.dim] = 1, a nil key
            raise TorchError("the class torch.LongStorage cannot be indexed")
        self.size2[self.dim] = 1
        _lua.mcall(gaterGradInput, 'resizeAs', gaterInput)
        raise TorchError(messages.msg('index_field', '_expertView', 'nil'))

    def updateGradInput(self, input, gradOutput):
        if self.__dict__.get('_expertView') is None or self.__dict__.get('dimG') is None:
            return self._lua_grad_before_forward(input)
        g, gv, e, is_table = self._setup(input)
        if is_table:
            first = _lua.index(input[1], 1)
            if not (type(gradOutput) is type(first)
                    and gradOutput.nElement() == first.nElement()):
                # line 97's self._expert:cmul(gradOutput, expertInputs[1]) refuses it (after
                # line 70's recursiveResizeAs and the buffers): cwrap's or TH's message
                utils.recursiveResizeAs(self.gradInput, input)
                try:
                    _lua.mcall(self._expert, 'cmul', gradOutput, first)
                except Exception as err:
                    raise at_lua(err, 'nn/MixtureTable.lua:97')
            if self.dimG > 1 and gradOutput._size[0] != g.shape[0]:
                # line 107: gaterGradInput:select(2, 1):copy(self._sum:select(2, 1)), the sum
                # of the view (gradOutput:size(1), -1) of gradOutput * expert 1
                utils.recursiveResizeAs(self.gradInput, input)
                raise at_lua(TorchError(messages.msg(
                    'inconsistent_2', 'tensor', size_str((g.shape[0],)), 'src',
                    size_str(gradOutput._size[:1]), g.shape[0], gradOutput._size[0])),
                    'nn/MixtureTable.lua:107')
        if not is_table:
            ex = _lua.index(input, 2)
            if not (type(gradOutput) is type(ex) and gradOutput.nElement() * ex.size(self.dim)
                    == ex.nElement()):
                # MixtureTable.lua 71-121: the gradInput resized as the input and the buffers
                # made, then self._expertView:view(gradOutput, self.size2) (size2: the
                # experts' sizes with 1 at dim) fails in Tensor.lua's view
                gi = self.gradInput
                if not isinstance(gi, list):
                    gi = self.gradInput = []
                utils.recursiveResizeAs(gi, input)
                utils.lua_buffers(self, input[0], '_sum', '_expertView2', '_expert2')
                size2 = list(ex._size)
                size2[self.dim - 1] = 1
                self.size2.resize(len(size2))
                self.size2._data[:] = size2
                gi[0].resizeAs(input[0])
                self._expertView.view(gradOutput, self.size2)
        go = np.expand_dims(arr(gradOutput).reshape(e.shape[:self.dim - 1]
                                                    + e.shape[self.dim:]), self.dim - 1)
        # MixtureTable.lua: recursiveResizeAs(self.gradInput, input), which grows and shrinks
        # the same table (a script holding gradInput or its expert table keeps seeing them)
        gi = self.gradInput
        if not isinstance(gi, list):
            gi = self.gradInput = []
        utils.recursiveResizeAs(gi, input)
        utils.lua_buffers(self, input[0], '_sum', '_expertView2', '_expert2')
        # the gater's gradient: each expert's gradOutput * input summed over its elements in
        # row-major order, accreal (double for float), as MixtureTable.lua's _sum:sum(view)
        prod = go * e
        G = e.shape[self.dim - 1]
        if is_table:
            parts = np.moveaxis(prod, self.dim - 1, 0)  # (G, expert input's shape)
            rows = parts.reshape(G, g.shape[0] if self.dimG > 1 else 1, -1)
            sums = numerics.seqsum_axis(rows, 2, np.float64)[..., 0].T  # (batch, G)
        else:
            t = np.swapaxes(prod, self.dim - 1, self.dimG - 1)
            lead = t.shape[:self.dimG]
            t = np.ascontiguousarray(t).reshape(lead + (-1,))
            sums = numerics.seqsum_axis(t, t.ndim - 1, np.float64)[..., 0]
        out_like(gi[0], g.shape)[...] = sums.astype(g.dtype).reshape(g.shape)
        gexp = gv * go
        if is_table:
            lst = gi[1]
            for i, t in enumerate(input[1]):
                out_like(lst[i], t._size)[...] = np.take(gexp, i, axis=self.dim - 1).reshape(
                    arr(t).shape)
        else:
            out_like(gi[1], input[1]._size)[...] = gexp
        self._backward_buffers(input, gradOutput, is_table)
        return self.gradInput

    def type(self, type=None, tensorCache=None):
        # MixtureTable.lua: `self._gaterView = nil` ... (each key set to nil takes a node)
        for k in ('_gaterView', '_expert', '_expertView', '_sum', '_expert2', '_expertView2'):
            self.__dict__[k] = None
        return super().type(type, tensorCache)

    def clearState(self):
        utils.clear(self, ['_gaterView', '_expert', '_expertView', '_sum', '_expert2',
                           '_expertView2'])
        return super().clearState()
