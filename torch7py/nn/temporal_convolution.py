"""nn.TemporalConvolution: port of torch/nn TemporalConvolution.lua and THNN
TemporalConvolution.c (frames x frameSize input; weight outputFrameSize x (kW * inputFrameSize))."""
import numpy as np
from numpy.lib.stride_tricks import as_strided

from .. import messages, numerics, obgemm
from ..tensor import Tensor, TorchError
from ._conv import uniform_reset
from ..messages import size_desc, size_str
from ._kernels import arr, check_type, new_tensor, out_like, sizes_str
from ._thnn_check import arg_check, arg_error, error
from .module import Module


def check_frames(m, input):
    """THNN's checks of a (nFrames x inputFrameSize) input or a batch of them; nFrames."""
    arg_check(m.kW > 0, 9, 'kernel size should be greater than zero, but got kW: %d', m.kW)
    arg_check(m.dW > 0, 11, 'stride should be greater than zero, but got dW: %d', m.dW)
    if input.dim() not in (2, 3):
        raise TorchError(messages.msg('thnn_argcheck', 2, '2D or 3D (batch mode) tensor '
                                      'expected for input, but got: %s' % sizes_str(input._size)))
    T, F = input._size[-2:]
    if F != m.inputFrameSize:
        raise TorchError(messages.msg('thnn_argcheck', 2, 'invalid input frame size. Got: %d, '
                                      'Expected: %d' % (F, m.inputFrameSize)))
    if T < m.kW:
        raise TorchError(messages.msg('thnn_argcheck', 2, 'input sequence smaller than kernel '
                                      'size. Got: %d, Expected: %d' % (T, m.kW)))
    return T


def _rows(flat, off, n, stride, length):
    """n rows of length elements of a flat array, stride elements apart from element off (a
    THTensor_(setStorage2d) window)."""
    it = flat.itemsize
    return as_strided(flat[off:], (n, length), (stride * it, it))


class TemporalConvolution(Module):

    def __init__(self, inputFrameSize, outputFrameSize, kW, dW=1):
        super().__init__()
        self.inputFrameSize = inputFrameSize
        self.outputFrameSize = outputFrameSize
        self.kW = kW
        self.dW = 1 if dW is None else dW
        self.weight = new_tensor(outputFrameSize, inputFrameSize * kW)
        self.bias = new_tensor(outputFrameSize)
        self.gradWeight = new_tensor(outputFrameSize, inputFrameSize * kW).zero()
        self.gradBias = new_tensor(outputFrameSize).zero()
        self.reset()

    def reset(self, stdv=None):
        uniform_reset(self, self.kW * self.inputFrameSize, stdv)

    def _frames(self, input):
        nd = input.dim()
        T = check_frames(self, input)
        x = np.ascontiguousarray(arr(input))
        x3 = x if nd == 3 else x[None]
        oT = (T - self.kW) // self.dW + 1
        return nd == 3, x3, oT

    def _windows(self, x3, oT):
        N, T, F = x3.shape
        s = x3.strides
        win = as_strided(x3, (N, oT, self.kW, F), (s[0], s[1] * self.dW, s[1], s[2]),
                         writeable=False)
        return win.reshape(N, oT, self.kW * F)

    def _groups(self, T, oT):
        """THNN's window groups (its 'ouch' loop): per k, nFrame output frames k, k + ofs,
        ... from input frames k*dW, k*dW + ifs, ...: (k, nFrame, ofs, ifs)."""
        ofs = (self.kW - 1) // self.dW + 1
        ifs = ofs * self.dW
        out, k = [], 0
        while oT > 0:
            q = T - k * self.dW - self.kW
            nf = (q // ifs if q >= 0 else -(-q // ifs)) + 1  # (C's division truncates)
            oT -= nf
            out.append((k, nf, ofs, ifs))
            if nf <= 0:
                break  # (C's loop would not end)
            k += 1
        return out

    def _groups_fit(self, T, R):
        """THNN's loop run over R gradOutput frames (a number that is not the input's) reads
        only gradOutput's frames and writes only within the input's T: its result is
        defined."""
        for k, nf, ofs, ifs in self._groups(T, R):
            if nf <= 0 or k + (nf - 1) * ofs >= R or k * self.dW + (nf - 1) * ifs + self.kW > T:
                return False
        return True

    def _exact(self, *arrays):
        return obgemm.available() and all(a.dtype == arrays[0].dtype for a in arrays) \
            and arrays[0].dtype.kind == 'f'

    def _thnn_output(self, x3, oT, y3):
        """THNN's forward per sample: the bias copied into each output frame, then per window
        group addmm(outputWindow, 1, outputWindow, 1, inputWindow, weight^T)."""
        w, b = arr(self.weight), arr(self.bias)
        F, O, T = x3.shape[2], w.shape[0], x3.shape[1]
        for i in range(x3.shape[0]):
            y3[i] = b
            xf, yf = x3[i].reshape(-1), y3[i].reshape(-1)
            for k, nf, ofs, ifs in self._groups(T, oT):
                ow = _rows(yf, k * O, nf, ofs * O, O)
                obgemm.mm_into(ow, _rows(xf, k * self.dW * F, nf, ifs * F, self.kW * F), w.T,
                               1, 1, rstride=(ofs * O, 1))

    def updateOutput(self, input):
        check_type(self, input, self.weight)
        batch, x3, oT = self._frames(input)
        if self._exact(x3, arr(self.weight), arr(self.bias)):
            y = out_like(self.output, (x3.shape[0], oT, self.outputFrameSize) if batch
                         else (oT, self.outputFrameSize))
            self._thnn_output(x3, oT, y if batch else y[None])
            return self.output
        win = self._windows(x3, oT)
        y = np.matmul(win, arr(self.weight).T)
        y += arr(self.bias)
        out_like(self.output, (x3.shape[0], oT, self.outputFrameSize) if batch
                 else (oT, self.outputFrameSize))[...] = y if batch else y[0]
        return self.output

    def _mm_check(self, t, m1):
        """THTensor_(addmm)(t, 1, t, 1, m1, weight)'s size checks (t and m1 sizes; m2 the
        weight, both 2D here)."""
        m2 = self.weight._size
        if m1[1] != m2[0]:
            raise error('size mismatch, m1: %s, m2: %s', size_desc(m1), size_desc(m2))
        if t[0] != m1[0] or t[1] != m2[1]:
            raise error('size mismatch, t: %s, m1: %s, m2: %s', size_desc(t), size_desc(m1),
                        size_desc(m2))

    def _select(self, sz, i):
        """THTensor_(select)(_, src of size sz, 0, i)'s checks inside THNN; the slice's size."""
        if len(sz) <= 1:
            raise arg_error(1, 'cannot select on a vector')
        if i >= sz[0]:
            raise arg_error(3, messages.msg('out_of_range'))
        return sz[1:]

    def _cadd_check(self, src):
        """THTensor_(cadd)(gradBias, gradBias, scale, src)'s element count check."""
        O = self.gradBias._size
        if int(np.prod(src, dtype=np.int64)) != O[0]:
            raise error(messages.msg('inconsistent_3', 'r_', size_str(O), 't', size_str(O),
                                     'src', size_str(src), O[0], O[0],
                                     int(np.prod(src, dtype=np.int64))))

    def _walk(self, input, go, acc):
        """THNN's backward walk over gradOutput (of size go) to its first failing TH call:
        the selects of samples and frames, the bias cadd and the first window GEMM, in C's
        order (dimS is 1 for a 3D gradOutput, 0 otherwise, whatever the input)."""
        nS = go[1] if len(go) == 3 else (go[0] if go else 0)
        ins = input._size
        ofs = (self.kW - 1) // self.dW + 1
        ifs = ofs * self.dW

        def frames(nIn):  # nFrame of the first window group (k = 0), C's truncating division
            q = nIn - self.kW
            return (abs(q) // ifs) * (1 if q >= 0 else -1) + 1
        if not acc:
            if len(go) == 2:
                if nS > 0 and frames(ins[0]) > 0:
                    nf = frames(ins[0])
                    self._mm_check((nf, self.kW * ins[1]), (nf, go[1]))
                return
            for i in range(ins[0]):
                s = self._select(go, i)
                if len(s) < 2 or nS <= 0 or frames(ins[1]) <= 0:
                    return  # the windows read sizes the sample does not have
                nf = frames(ins[1])
                if len(ins) != 3:  # gradInput's sample is a vector: only m1 is known
                    if s[1] != self.weight._size[0]:
                        self._mm_check(None, (nf, s[1]))
                    return
                self._mm_check((nf, self.kW * ins[2]), (nf, s[1]))
            return
        samples = [go] if len(ins) == 2 else None
        for i in range(1 if samples else ins[0]):
            s = go if samples else self._select(go, i)
            for k in range(nS):
                self._cadd_check(self._select(s, k))

    def _go(self, input, gradOutput, oT, acc=False):
        batch = input.dim() == 3
        want = ((input.size(1),) if batch else ()) + (oT, self.outputFrameSize)
        gs = tuple(gradOutput._size)
        if batch and len(gs) == 3 and gs[0] > want[0] and gs[1:] == want[1:]:
            # THNN walks the input's samples only: the extra ones are never read
            go = arr(gradOutput)[:want[0]]
            return go
        if not batch and len(gs) == 2 and gs[1] == want[1] and gs[0] > 0 \
                and self._exact(arr(input), arr(gradOutput), arr(self.weight)) \
                and self._groups_fit(input._size[0], gs[0]):
            # THNN's window groups run until gradOutput's frames are used up, whatever their
            # number: where they stay inside both tensors, that is the result
            return arr(gradOutput)[None]
        if gs != want:
            self._walk(input, tuple(gradOutput._size), acc)
            # the C goes on reading past gradOutput's or gradInput's frames (undefined)
            raise TorchError('size mismatch: gradOutput is %s, expected %s'
                             % (sizes_str(gradOutput._size), sizes_str(want)))
        go = arr(gradOutput)
        return go if batch else go[None]

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        batch, x3, oT = self._frames(input)
        go = self._go(input, gradOutput, oT)
        w = arr(self.weight)
        if self._exact(x3, go, w):
            # THNN: gradInput zeroed, then per sample and window group
            # addmm(gradInputWindow, 1, gradInputWindow, 1, gradOutputWindow, weight)
            gi = out_like(self.gradInput, input._size)
            g3 = gi if batch else gi[None]
            g3[...] = 0
            go = np.ascontiguousarray(go)
            N, T, F = x3.shape
            O = w.shape[0]
            for i in range(N):
                gf, gof = g3[i].reshape(-1), go[i].reshape(-1)
                for k, nf, ofs, ifs in self._groups(T, go.shape[1]):
                    obgemm.mm_into(_rows(gf, k * self.dW * F, nf, ifs * F, self.kW * F),
                                   _rows(gof, k * O, nf, ofs * O, O), w, 1, 1,
                                   rstride=(ifs * F, 1))
            return self.gradInput
        gwin = np.matmul(go, arr(self.weight)).reshape(x3.shape[0], oT, self.kW, -1)
        g = np.zeros(x3.shape, dtype=x3.dtype)
        d = self.dW
        for k in range(self.kW):
            g[:, k:k + d * (oT - 1) + 1:d] += gwin[:, :, k]
        out_like(self.gradInput, input._size)[...] = g if batch else g[0]
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        if scale is None:
            scale = 1
        if isinstance(input, Tensor) and isinstance(gradOutput, Tensor):
            # TemporalConvolution.lua 65: self.gradWeight:cdata(), self.gradBias:cdata()
            from .spatial_convolution_mm import _nil_field
            _nil_field(self, 'gradWeight', 'nn/TemporalConvolution.lua:65')
            _nil_field(self, 'gradBias', 'nn/TemporalConvolution.lua:65')
        batch, x3, oT = self._frames(input)
        go = self._go(input, gradOutput, oT, True)
        gw = arr(self.gradWeight)
        if self._exact(x3, go, gw):
            # THNN, per sample and window group: addmm(gradWeight, 1, gradWeight, scale,
            # gradOutputWindow^T, inputWindow)
            go = np.ascontiguousarray(go)
            N, T, F = x3.shape
            O = go.shape[2]
            for i in range(N):
                xf, gof = x3[i].reshape(-1), go[i].reshape(-1)
                for k, nf, ofs, ifs in self._groups(T, go.shape[1]):
                    obgemm.mm_into(gw, _rows(gof, k * O, nf, ofs * O, O).T,
                                   _rows(xf, k * self.dW * F, nf, ifs * F, self.kW * F),
                                   scale, 1, rstride=self.gradWeight._stride)
        else:
            win = self._windows(x3, oT)
            gw += scale * np.tensordot(go, win, axes=([0, 1], [0, 1]))
        gb = arr(self.gradBias)
        if self._exact(go, gb) and gb.flags.c_contiguous:
            # THNN: per sample, per output frame cadd(gradBias, gradBias, scale, frame) (an
            # axpy: numerics.axpy's order)
            for i in range(go.shape[0]):
                for k in range(go.shape[1]):
                    numerics.axpy(gb, scale, go[i, k])
            return
        gb += scale * go.sum(axis=(0, 1))

    def sharedAccUpdateGradParameters(self, input, gradOutput, lr):
        # TemporalConvolution.lua: no accumulation when sharing, the default update
        self.defaultAccUpdateGradParameters(input, gradOutput, lr)
