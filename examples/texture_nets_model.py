"""texture_nets' own classes (DmitryUlyanov/texture_nets, supplementary/utils.lua of March 2016:
the version its `supplementary/*_model.t7` and `*_style.t7` generators were saved with) in
Python, so that those files load, print and run in torch7py, and export to PyTorch:

    import torch7py as torch
    import examples.texture_nets_model          # registers nn.GenNoise, nn.SpatialCircularPadding
    net = torch.load('supplementary/stylization_models/starry_style.t7')
    net.evaluate()
    y = net.forward(torch.rand(1, 3, 64, 64).double())    # a 1 x 3 x 64 x 64 image

`t7-to-pytorch --define examples/texture_nets_model.py` and tools/t7_sweep.py's --define run it.
These classes belong to texture_nets, not to any package: without this file torch7py loads
them as their fields and names them, as Torch7 without texture_nets' utils.lua refuses them.

- nn.GenNoise (fields: output; optional action, fix_value) replaces its input, in place, with
  uniform noise ('zero': zeros; 'fix': one draw kept in fix_value and cloned on each call); its
  gradInput is gradOutput.
- nn.SpatialCircularPadding(pad_l, pad_r, pad_t, pad_b) on a 4-D input: the input placed in a
  zero border (a negative pad crops), then the first and last rows and columns copied from the
  second-to-last and second ones (a wrap of one pixel, whatever the pads; with pad 0 it
  overwrites the image's own border rows and columns, as that version does); its gradInput is
  gradOutput's interior (the wrapped pixels' gradients are dropped, as the Lua does).

- nn.GenNoise with num_planes (the later version: texture_nets' src/utils.lua, and
  online-neural-doodle's): a new tensor of num_planes maps of N(0, 1) noise times mult; its
  gradInput is zeros.
- nn.NoiseFill (online-neural-doodle): the n_colors input maps, num_mask_noise_times copies
  times uniform noise, then num_noise_channels maps of uniform noise; gradInput is gradOutput.
  (`pretrained/starry_night.t7` of online-neural-doodle runs on a 1 x 4 x H x W mask.)

The PyTorch forms draw GenNoise's uniform noise from torch's generator (a 'fix' layer uses its
fix_value: set action = 'fix' and fix_value on the torch7py side to compare both exactly).
"""
import numpy as np

import torch7py
from torch7py import nn


class GenNoise(nn.Module):
    typename = 'nn.GenNoise'

    def updateOutput(self, input):
        if self.__dict__.get('num_planes') is not None:
            # the later version (texture_nets' src/utils.lua, online-neural-doodle): a new
            # tensor of num_planes maps of N(0, 1) noise times mult, input's other sizes
            size = list(input.size())
            self.sz = input.size()
            size[1] = int(self.num_planes)
            self.output = self.__dict__.get('output') or input.new()
            self.output.resize(*size)
            self.output.normal(0, 1).mul(self.__dict__.get('mult', 1))
            return self.output
        self.output = input
        action = self.__dict__.get('action')
        if action == 'zero':
            self.output.fill(0)
        elif action == 'fix':
            if self.__dict__.get('fix_value') is None:
                self.fix_value = self.output.new().resize(*self.output.size()).uniform()
            self.output = self.fix_value.clone()
        else:
            self.output.uniform()
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.__dict__.get('num_planes') is not None:     # the later version: zeros
            self.gradInput = self.__dict__.get('gradInput') or input.new()
            self.gradInput.resizeAs(input).zero()
            return self.gradInput
        self.gradInput = gradOutput
        return self.gradInput


class NoiseFill(nn.Module):
    """online-neural-doodle's nn.NoiseFill (src/utils.lua): out_size maps: the n_colors input
    maps, num_mask_noise_times copies of them times uniform noise (times mult_noise_mask), then
    num_noise_channels maps of uniform noise (times mult_noise); its gradInput is gradOutput."""
    typename = 'nn.NoiseFill'

    def updateOutput(self, input):
        n = int(self.n_colors)
        self.output.resize(input.size(1), int(self.out_size), input.size(3), input.size(4))
        self.output.narrow(2, 1, n).copy(input)
        masks = self.output.narrow(2, 1, n)
        for i in range(1, int(self.num_mask_noise_times) + 1):
            self.output.narrow(2, n * i + 1, n).uniform().cmul(masks).mul(self.mult_noise_mask)
        k = int(self.num_noise_channels)
        if k > 0:
            first = (int(self.num_mask_noise_times) + 1) * n + 1
            self.output.narrow(2, first, k).uniform().mul(self.mult_noise)
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput = gradOutput
        return self.gradInput


def _circular(x, pl, pr, pt, pb):
    """SpatialCircularPadding.updateOutput of March 2016 on an (N, C, H, W) array."""
    n, c, hi, wi = x.shape
    h, w = hi + pt + pb, wi + pl + pr
    if w < 1 or h < 1:
        raise ValueError('input is too small')
    out = np.zeros((n, c, h, w), dtype=x.dtype)
    src = x[:, :, max(-pt, 0):hi - max(-pb, 0), max(-pl, 0):wi - max(-pr, 0)]
    out[:, :, max(pt, 0):h - max(pb, 0), max(pl, 0):w - max(pr, 0)] = src
    out[:, :, 0] = out[:, :, h - 2]
    out[:, :, h - 1] = out[:, :, 1]
    out[:, :, :, 0] = out[:, :, :, w - 2]
    out[:, :, :, w - 1] = out[:, :, :, 1]
    return out


class SpatialCircularPadding(nn.Module):
    typename = 'nn.SpatialCircularPadding'

    def __init__(self, pad_l, pad_r=None, pad_t=None, pad_b=None):
        super().__init__()
        self.pad_l = pad_l
        self.pad_r = pad_l if pad_r is None else pad_r
        self.pad_t = pad_l if pad_t is None else pad_t
        self.pad_b = pad_l if pad_b is None else pad_b

    def _pads(self):
        return int(self.pad_l), int(self.pad_r), int(self.pad_t), int(self.pad_b)

    def updateOutput(self, input):
        if input.dim() != 4:
            raise ValueError('input must be 3 or 4-dimensional')
        y = _circular(np.asarray(input.numpy()), *self._pads())
        self.output.resize(*y.shape)
        self.output.numpy()[...] = y
        return self.output

    def updateGradInput(self, input, gradOutput):
        if input.dim() != 4:
            raise ValueError('input must be 4-dimensional')
        pl, pr, pt, pb = self._pads()
        g = gradOutput
        if pt > 0:
            g = g.narrow(3, 1 + pt, g.size(3) - pt)
        if pb > 0:
            g = g.narrow(3, 1, g.size(3) - pb)
        if pl > 0:
            g = g.narrow(4, 1 + pl, g.size(4) - pl)
        if pr > 0:
            g = g.narrow(4, 1, g.size(4) - pr)
        self.gradInput = g
        return self.gradInput

    def __tostring__(self):
        return '%s(l=%d,r=%d,t=%d,b=%d)' % ((self.typename,) + self._pads())


for _cls in (GenNoise, NoiseFill, SpatialCircularPadding):
    torch7py.register_class(_cls.typename, _cls)


# ---- PyTorch forms ---------------------------------------------------------------------------

try:
    import torch
except ImportError:     # torch7py runs the generators without PyTorch; no export then
    torch = None


if torch is not None:
    from torch7py.export import register_converter

    class _PassGrad(torch.autograd.Function):
        """value forward, the incoming gradient unchanged backward (GenNoise's gradInput)."""

        @staticmethod
        def forward(ctx, x, value):
            return value

        @staticmethod
        def backward(ctx, g):
            return g, None

    class GenNoiseT(torch.nn.Module):
        def __init__(self, action=None, fix_value=None, num_planes=None, mult=1.0):
            super().__init__()
            self.action, self.fix_value = action, fix_value
            self.num_planes, self.mult = num_planes, mult

        def forward(self, x):
            if self.num_planes is not None:     # the later version: N(0, 1) maps, no gradient
                size = list(x.shape)
                size[1] = self.num_planes
                return torch.randn(size, dtype=x.dtype, device=x.device) * self.mult
            if self.action == 'zero':
                value = torch.zeros_like(x)
            elif self.action == 'fix':
                if self.fix_value is None:
                    self.fix_value = torch.rand_like(x)
                value = self.fix_value.to(x.dtype).clone()
            else:
                value = torch.rand_like(x)
            return _PassGrad.apply(x, value)

    class _CircularFn(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, pads):
            pl, pr, pt, pb = pads
            n, c, hi, wi = x.shape
            h, w = hi + pt + pb, wi + pl + pr
            out = x.new_zeros(n, c, h, w)
            out[:, :, max(pt, 0):h - max(pb, 0), max(pl, 0):w - max(pr, 0)] = \
                x[:, :, max(-pt, 0):hi - max(-pb, 0), max(-pl, 0):wi - max(-pr, 0)]
            out[:, :, 0] = out[:, :, h - 2]
            out[:, :, h - 1] = out[:, :, 1]
            out[:, :, :, 0] = out[:, :, :, w - 2]
            out[:, :, :, w - 1] = out[:, :, :, 1]
            ctx.pads = pads
            return out

        @staticmethod
        def backward(ctx, g):
            pl, pr, pt, pb = ctx.pads
            h, w = g.shape[2], g.shape[3]
            return g[:, :, max(pt, 0):h - max(pb, 0), max(pl, 0):w - max(pr, 0)], None

    class SpatialCircularPaddingT(torch.nn.Module):
        def __init__(self, pads):
            super().__init__()
            if min(pads) < 0:
                raise ValueError('a negative pad: its gradInput is not the input\'s size')
            self.pads = tuple(pads)

        def forward(self, x):
            if x.dim() != 4:
                raise ValueError('input must be 3 or 4-dimensional')
            return _CircularFn.apply(x, self.pads)

    def _field(layer, name):
        return layer[name] if isinstance(layer, dict) else layer.__dict__.get(name)

    class NoiseFillT(torch.nn.Module):
        def __init__(self, n_colors, times, channels, mult_mask, mult):
            super().__init__()
            self.n, self.times, self.channels = n_colors, times, channels
            self.mult_mask, self.mult = mult_mask, mult

        def forward(self, x):
            parts = [x] + [x * torch.rand_like(x) * self.mult_mask for _ in range(self.times)]
            if self.channels:
                size = list(x.shape)
                size[1] = self.channels
                parts.append(torch.rand(size, dtype=x.dtype, device=x.device) * self.mult)
            value = torch.cat(parts, 1).detach()
            if value.shape[1] != x.shape[1]:
                # NoiseFill's gradInput is all of gradOutput: only its first n_colors maps
                # have the input's shape
                return _NarrowGrad.apply(x, value)
            return _PassGrad.apply(x, value)

    class _NarrowGrad(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, value):
            ctx.n = x.shape[1]
            return value

        @staticmethod
        def backward(ctx, g):
            return g[:, :ctx.n], None

    def _noise_fill_form(layer):
        sizes = [int(_field(layer, k)) for k in
                 ('n_colors', 'num_mask_noise_times', 'num_noise_channels')]
        return NoiseFillT(*sizes, float(_field(layer, 'mult_noise_mask')),
                          float(_field(layer, 'mult_noise')))

    def _gen_noise_form(layer):
        if _field(layer, 'num_planes') is not None:
            return GenNoiseT(num_planes=int(_field(layer, 'num_planes')),
                             mult=float(_field(layer, 'mult') or 1))
        fix = _field(layer, 'fix_value')
        # a constant of the form (not a state_dict entry): on the CPU, not on the meta device
        # the export builds its modules on
        fix = None if fix is None else torch.tensor(np.array(fix.numpy()), device='cpu')
        return GenNoiseT(_field(layer, 'action'), fix)

    def _circular_form(layer):
        return SpatialCircularPaddingT([int(_field(layer, k))
                                        for k in ('pad_l', 'pad_r', 'pad_t', 'pad_b')])

    register_converter('nn.GenNoise', _gen_noise_form)
    register_converter('nn.NoiseFill', _noise_fill_form)
    register_converter('nn.SpatialCircularPadding', _circular_form)
