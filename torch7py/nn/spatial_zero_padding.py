"""nn.SpatialZeroPadding: port of torch/nn SpatialZeroPadding.lua (zeros around each plane;
negative padding crops)."""
from ..messages import at_lua, lua_line, lua_method_call
from . import _lua
from ..tensor import Tensor, TorchError
from ._kernels import arr, out_like
from ._padding import check_input, init_pads, pads_tostring
from .module import Module


class SpatialZeroPadding(Module):

    def __init__(self, pad_l, pad_r=None, pad_t=None, pad_b=None):
        super().__init__()
        init_pads(self, pad_l, pad_r, pad_t, pad_b)

    def _geo(self, input, where=':55'):
        check_input(input, 'nn/SpatialZeroPadding.lua' + where)
        H, W = input._size[-2:]
        oH = H + self.pad_t + self.pad_b
        oW = W + self.pad_l + self.pad_r
        if oH < 1 or oW < 1:
            raise at_lua(TorchError('input is too small'),
                         'nn/SpatialZeroPadding.lua:%d' % (16 if input.dim() == 3 else 37))
        # the overlap of the input and output planes, in each one's coordinates
        it, ib = max(0, -self.pad_t), H - max(0, -self.pad_b)
        il, ir = max(0, -self.pad_l), W - max(0, -self.pad_r)
        ot, ol = max(0, self.pad_t), max(0, self.pad_l)
        src = (Ellipsis, slice(it, ib), slice(il, ir))
        dst = (Ellipsis, slice(ot, ot + ib - it), slice(ol, ol + ir - il))
        return oH, oW, src, dst

    def updateOutput(self, input):
        oH, oW, src, dst = self._geo(input)
        y = out_like(self.output, tuple(input._size[:-2]) + (oH, oW))
        y[...] = 0
        y[dst] = arr(input)[src]
        return self.output

    def updateGradInput(self, input, gradOutput):
        d = self.__dict__
        if not all(type(d.get(k)) is int for k in ('pad_l', 'pad_r', 'pad_t', 'pad_b')):
            return self._lua_grad_input(input, gradOutput)
        oH, oW, src, dst = self._geo(input, ':94')
        want = tuple(input._size[:-2]) + (oH, oW)
        if not isinstance(gradOutput, Tensor) or tuple(gradOutput._size) != want \
                or type(self.gradInput) is not type(input):
            # (gradInput:resizeAs(input) takes an input of its own type only)
            return self._lua_grad_input(input, gradOutput)
        gi = out_like(self.gradInput, input._size)
        gi[...] = 0
        gi[src] = arr(gradOutput)[dst]
        return self.gradInput

    def _lua_grad_input(self, input, gradOutput):
        """SpatialZeroPadding.lua's updateGradInput step by step, for a gradOutput of another
        size: its narrows of gradOutput (TH's 'out of range', named as from Lua's x:narrow())
        and the copy (TH's element count check; a copy of as many elements succeeds)."""
        nd = _lua.mcall(input, 'dim', what="local 'input'")
        if nd not in (3, 4):
            raise at_lua(TorchError('input must be 3 or 4-dimensional'),
                         'nn/SpatialZeroPadding.lua:94')
        h, w = nd - 1, nd
        with lua_line('nn/SpatialZeroPadding.lua:%d' % (62 if nd == 3 else 78)):
            gi = self.gradInput.resizeAs(input).zero()
        dd = self.__dict__
        # (`self.pad_t < 0` ...: Lua's comparisons, a nil pad fails there; `> 0` is `0 <`)
        for d, name, first in ((h, 'pad_t', True), (h, 'pad_b', False),
                               (w, 'pad_l', True), (w, 'pad_r', False)):
            pad = dd.get(name)
            if _lua.lt(pad, 0):
                gi = gi.narrow(d, 1 - pad if first else 1, gi.size(d) + pad)
        # (the lines of the 3D branch, 71-76, or the 4D one's, 87-92: an error there carries
        # its line; gradOutput is the local cg_output)
        base = 71 if nd == 3 else 87
        cg_output = gradOutput
        with lua_method_call('narrow'):
            for j, (d, name, first) in enumerate(((h, 'pad_t', True), (h, 'pad_b', False),
                                                  (w, 'pad_l', True), (w, 'pad_r', False))):
                pad = dd.get(name)
                if _lua.lt(0, pad):
                    try:
                        # (Lua evaluates cg_output:size(d) before the narrow call)
                        n = _lua.mcall(cg_output, 'size', d, what="local 'cg_output'")
                        cg_output = cg_output.narrow(d, 1 + pad if first else 1, n - pad)
                    except Exception as e:
                        raise at_lua(e, 'nn/SpatialZeroPadding.lua:%d' % (base + j))
        try:
            gi.copy(cg_output)
        except Exception as e:
            raise at_lua(e, 'nn/SpatialZeroPadding.lua:%d' % (base + 5))
        return self.gradInput

    def __tostring__(self):
        return pads_tostring(self)
