"""cudnn.torch's RNN family (cudnn.RNN, LSTM, GRU, BLSTM, BGRU, RNNReLU, RNNTanh) on the CPU.

The module keeps cudnn's fields, its flat `weight` blob included, and computes what cuDNN
computes from it (cudnnRNNForwardTraining/Inference, BackwardData, BackwardWeights), so a
model saved from a GPU runs, trains and is saved back unchanged.

The blob's layout (cuDNN's, what cudnnGetRNNLinLayerMatrixParams/BiasParams point into): for
each pseudo-layer (layer * numDirections + direction) the G input matrices W_k (hiddenSize x
layer input size, row-major), then the G recurrent matrices R_k (hiddenSize x hiddenSize),
then the G input biases bW_k and the G recurrent biases bR_k (hiddenSize each). G and the order
of the gates: LSTM 4 (i, f, c', o), GRU 3 (r, z, h'), RNN_RELU/RNN_TANH 1. The equations are
cuDNN's (cudnnRNNMode_t):

    RNN:  h_t = act(W x_t + R h_{t-1} + bW + bR)
    LSTM: i, f, o = sigmoid(W_. x_t + R_. h_{t-1} + bW_. + bR_.); c' = tanh(same for c')
          c_t = f * c_{t-1} + i * c';  h_t = o * tanh(c_t)
    GRU:  r, z = sigmoid(W_. x_t + R_. h_{t-1} + bW_. + bR_.)
          h' = tanh(W_h x_t + bW_h + r * (R_h h_{t-1} + bR_h));  h_t = (1 - z) * h' + z * h_{t-1}

A bidirectional layer runs its second direction from the last step to the first; its output
is both directions' outputs side by side, the next layer's input. Dropout (training only) is
applied to each layer's output but the last's.
"""
import numpy as np

from ..nn.module import Module
from ..tensor import Tensor, TorchError, tensor_types

GATES = {"CUDNN_LSTM": 4, "CUDNN_GRU": 3, "CUDNN_RNN_RELU": 1, "CUDNN_RNN_TANH": 1}
_DESCS = ("rnnDesc", "dropoutDesc", "wDesc", "xDescs", "yDescs", "hxDesc", "hyDesc", "cxDesc",
          "cyDesc")


def _sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def weight_size(mode, inputSize, hiddenSize, numLayers, numDirections):
    """The number of elements of cudnn's flat weight blob."""
    g, H = GATES[mode], hiddenSize
    n = 0
    for layer in range(numLayers):
        inp = inputSize if layer == 0 else H * numDirections
        n += numDirections * g * (H * inp + H * H + 2 * H)
    return n


class RNN(Module):
    """cudnn.RNN: a multi-layer RNN_RELU/RNN_TANH/LSTM/GRU over seqLength x miniBatch x
    inputSize input (miniBatch x seqLength x inputSize when batchFirst)."""

    typename = "cudnn.RNN"
    _default_mode = "CUDNN_RNN_RELU"
    _default_directions = 1

    def __init__(self, inputSize, hiddenSize, numLayers, batchFirst=False, dropout=0,
                 rememberStates=False):
        super().__init__()
        ttype = type(self.output)
        self.datatype = "CUDNN_DATA_FLOAT"
        self.inputSize, self.hiddenSize, self.numLayers = inputSize, hiddenSize, numLayers
        self.seqLength = self.miniBatch = 1
        self.numDirections = self._default_directions
        self.bidirectional = ("CUDNN_BIDIRECTIONAL" if self.numDirections == 2
                              else "CUDNN_UNIDIRECTIONAL")
        self.inputMode = "CUDNN_LINEAR_INPUT"
        self.mode = self._default_mode
        self.dropout = dropout or 0
        self.seed = 0x01234567
        self.batchFirst = bool(batchFirst)
        self.rememberStates = bool(rememberStates)
        self.sync = True
        self.inputPacked = False
        for name in ("weight", "gradWeight", "reserve", "hiddenOutput", "cellOutput",
                     "gradHiddenInput", "gradCellInput"):
            setattr(self, name, ttype())
        self.train = True
        self.reset()

    def reset(self, stdv=None):
        stdv = stdv or 1.0 / np.sqrt(self.hiddenSize)
        self.weight.resize(self._weight_size())
        self.weight.uniform(-stdv, stdv)
        self.gradWeight.resizeAs(self.weight).zero()

    def _weight_size(self):
        return weight_size(self.mode, self.inputSize, self.hiddenSize, self.numLayers,
                           self.numDirections)

    # ---- loading a GPU checkpoint ------------------------------------------------------------

    def _t7_read(self, fields, version):
        for name in _DESCS:
            fields.pop(name, None)
        self.__dict__.update(fields)
        self.check()

    def check(self, where=None):
        """cudnn's configuration read from the fields, with a clear error where it is not one
        cudnn can have (an unknown mode, a weight blob of the wrong size)."""
        where = where or "<%s>" % self.typename
        mode = self.__dict__.get("mode")
        if mode not in GATES:
            raise TorchError("%s: unknown cudnn RNN mode %r (CUDNN_LSTM, CUDNN_GRU, "
                             "CUDNN_RNN_RELU or CUDNN_RNN_TANH)" % (where, mode))
        for name in ("inputSize", "hiddenSize", "numLayers"):
            v = self.__dict__.get(name)
            if not isinstance(v, int) or v < 1:
                raise TorchError("%s.%s: a positive integer expected, got %r" % (where, name, v))
        bidir = self.__dict__.get("bidirectional", "CUDNN_UNIDIRECTIONAL")
        dirs = self.__dict__.get("numDirections") or (2 if bidir == "CUDNN_BIDIRECTIONAL" else 1)
        if dirs not in (1, 2) or (bidir == "CUDNN_BIDIRECTIONAL") != (dirs == 2):
            raise TorchError("%s: bidirectional %r with numDirections %r" % (where, bidir, dirs))
        if self.__dict__.get("inputMode", "CUDNN_LINEAR_INPUT") != "CUDNN_LINEAR_INPUT":
            raise TorchError("%s: cudnn input mode %r is not supported (CUDNN_LINEAR_INPUT only)"
                             % (where, self.inputMode))
        w = self.__dict__.get("weight")
        need = self._weight_size()
        if not isinstance(w, Tensor) or w.nElement() != need:
            got = w.nElement() if isinstance(w, Tensor) else type(w).__name__
            raise TorchError("%s.weight: the flat weight blob of a %s %d -> %d x %d layers%s "
                             "has %d elements, got %s" % (where, mode, self.inputSize,
                                                          self.hiddenSize, self.numLayers,
                                                          " (bidirectional)" if dirs == 2
                                                          else "", need, got))
        for name in ("gradWeight", "reserve", "hiddenOutput", "cellOutput", "gradHiddenInput",
                     "gradCellInput", "output", "gradInput"):
            if not isinstance(self.__dict__.get(name), Tensor):
                self.__dict__[name] = type(w)()
        self.__dict__.setdefault("dropout", 0)
        self.__dict__.setdefault("batchFirst", False)
        self.__dict__.setdefault("rememberStates", False)
        self.__dict__.setdefault("train", True)
        return self

    # ---- cudnn's views of the blob ------------------------------------------------------------

    def _layers(self, blob):
        """For each pseudo-layer: (W (G*H x in), R (G*H x H), bW (G*H), bR (G*H)) as views of
        the 1-D array `blob` in cuDNN's layout."""
        g, H, D = GATES[self.mode], self.hiddenSize, self.numDirections
        out, off = [], 0
        for layer in range(self.numLayers):
            inp = self.inputSize if layer == 0 else H * D
            for _ in range(D):
                W = blob[off:off + g * H * inp].reshape(g * H, inp)
                off += g * H * inp
                R = blob[off:off + g * H * H].reshape(g * H, H)
                off += g * H * H
                bW = blob[off:off + g * H]
                off += g * H
                bR = blob[off:off + g * H]
                off += g * H
                out.append((W, R, bW, bR))
        return out

    def _lin_params(self, biases):
        """cudnn's weights()/biases(): for each pseudo-layer a list of the 2G matrices (or
        biases) in linLayerID order, each a 1-D tensor viewing the weight blob (cudnn's are
        1-D too: storage, offset, element count)."""
        g, H, D = GATES[self.mode], self.hiddenSize, self.numDirections
        w = self.weight.view(self.weight.nElement())
        res, off = [], 1
        for layer in range(self.numLayers):
            inp = self.inputSize if layer == 0 else H * D
            for _ in range(D):
                mats, bias = [], []
                for k in range(2 * g):
                    n = H * (inp if k < g else H)
                    mats.append(w.narrow(1, off, n))
                    off += n
                for k in range(2 * g):
                    bias.append(w.narrow(1, off, H))
                    off += H
                res.append(bias if biases else mats)
        return res

    def weights(self):
        return self._lin_params(False)

    def biases(self):
        return self._lin_params(True)

    # ---- forward ------------------------------------------------------------------------------

    def _input(self, input):
        if isinstance(input, (list, tuple)):
            raise TorchError("%s: packed sequences (a {data, batchSizes} table) are not supported "
                             "on the CPU; give a seqLength x miniBatch x inputSize tensor"
                             % self.typename)
        if not isinstance(input, Tensor):
            raise TypeError("%s: a tensor input expected" % self.typename)
        x = input.transpose(1, 2) if self.batchFirst and input.dim() == 3 else input
        if x.dim() != 3:
            raise TorchError("input must have 3 dimensions: seqLength, miniBatch, inputSize")
        if x.size(3) != self.inputSize:
            raise TorchError("Incorrect input size!")
        return x

    def _initial(self, name, shape, dtype):
        t = self.__dict__.get(name)
        if t is None or not isinstance(t, Tensor) or t.nElement() == 0:
            return None
        if tuple(t._size) != shape:
            what = "hiddenInput" if name == "hiddenInput" else "cellInput"
            raise TorchError("%s has incorrect size! (%s expected, got %s)"
                             % (what, "x".join(map(str, shape)), "x".join(map(str, t._size))))
        return t.numpy().astype(dtype)

    def updateOutput(self, input):
        self.check()
        x = self._input(input)
        T, B = x.size(1), x.size(2)
        self.seqLength, self.miniBatch = T, B
        H, D, L = self.hiddenSize, self.numDirections, self.numLayers
        ttype = type(self.weight)
        dtype = ttype.dtype
        shape = (L * D, B, H)
        if self.rememberStates:
            ho = self.hiddenOutput
            if ho.dim() == 3 and tuple(ho._size) == shape:
                self.hiddenInput = ho.clone()
                if self.cellOutput.isSameSizeAs(ho):
                    self.cellInput = self.cellOutput.clone()
            else:
                self.hiddenInput = self.cellInput = None
        hx = self._initial("hiddenInput", shape, dtype)
        cx = self._initial("cellInput", shape, dtype) if self.mode == "CUDNN_LSTM" else None
        layers = self._layers(self.weight.contiguous().numpy().reshape(-1))
        seq = x.numpy().astype(dtype)
        hy = np.zeros(shape, dtype)
        cy = np.zeros(shape, dtype)
        caches, masks = [], []
        p = float(self.dropout or 0)
        for layer in range(L):
            outs = []
            for d in range(D):
                k = layer * D + d
                h0 = np.zeros((B, H), dtype) if hx is None else hx[k]
                c0 = np.zeros((B, H), dtype) if cx is None else cx[k]
                y, hT, cT, cache = self._run(layers[k], seq, h0, c0, reverse=d == 1)
                hy[k], cy[k] = hT, cT
                outs.append(y)
                caches.append(cache)
            seq = np.concatenate(outs, axis=2) if D == 2 else outs[0]
            if self.train and p > 0 and layer < L - 1:
                draw = tensor_types["torch.DoubleTensor"](seq.size)
                draw.bernoulli(1.0 - p)
                keep = draw.numpy().reshape(seq.shape).astype(dtype) / (1.0 - p)
                masks.append(keep)
                seq = seq * keep
            else:
                masks.append(None)
        self._cache = (caches, masks, x, hx, cx)
        out = ttype(T, B, H * D)
        out.numpy()[...] = seq
        self.output = out.transpose(1, 2) if self.batchFirst else out
        self.hiddenOutput = ttype(*shape)
        self.hiddenOutput.numpy()[...] = hy
        self.cellOutput = ttype(*shape)
        self.cellOutput.numpy()[...] = cy if self.mode == "CUDNN_LSTM" else 0
        return self.output

    def _run(self, params, seq, h, c, reverse):
        """One direction of one layer over the sequence: outputs (T x B x H), last h and c,
        and what the backward pass needs."""
        W, R, bW, bR = params
        mode, H = self.mode, self.hiddenSize
        T = seq.shape[0]
        # one matmul for every step's input side (a 2-D product: BLAS once, not per step)
        xg = (seq.reshape(-1, seq.shape[2]) @ W.T + bW).reshape(T, seq.shape[1], -1)
        ys = np.empty((T,) + h.shape, h.dtype)
        steps = []
        order = range(T - 1, -1, -1) if reverse else range(T)
        for t in order:
            hp, cp = h, c
            hr = hp @ R.T + bR
            if mode == "CUDNN_LSTM":
                a = xg[t] + hr
                i, f, o = _sigmoid(a[:, :H]), _sigmoid(a[:, H:2 * H]), _sigmoid(a[:, 3 * H:])
                g = np.tanh(a[:, 2 * H:3 * H])
                c = f * cp + i * g
                tc = np.tanh(c)
                h = o * tc
                steps.append((hp, cp, i, f, g, o, tc))
            elif mode == "CUDNN_GRU":
                r = _sigmoid(xg[t, :, :H] + hr[:, :H])
                z = _sigmoid(xg[t, :, H:2 * H] + hr[:, H:2 * H])
                n = np.tanh(xg[t, :, 2 * H:] + r * hr[:, 2 * H:])
                h = (1 - z) * n + z * hp
                steps.append((hp, r, z, n, hr[:, 2 * H:]))
            else:
                a = xg[t] + hr
                h = np.maximum(a, 0) if mode == "CUDNN_RNN_RELU" else np.tanh(a)
                steps.append((hp, a, h))
            ys[t] = h
        return ys, h, c, (list(order), steps, seq)

    # ---- backward (BackwardData and BackwardWeights) ------------------------------------------

    def updateGradInput(self, input, gradOutput):
        if not self.train:
            raise TorchError("updateGradInput can only be called when training!")
        if getattr(self, "_cache", None) is None:
            raise TorchError("%s: backward needs a forward pass first" % self.typename)
        caches, masks, x, hx, cx = self._cache
        dtype = type(self.weight).dtype
        go = gradOutput.transpose(1, 2) if self.batchFirst else gradOutput
        H, D, L = self.hiddenSize, self.numDirections, self.numLayers
        T, B = x.size(1), x.size(2)
        if tuple(go._size) != (T, B, H * D):
            raise TorchError("gradOutput has incorrect size! (%dx%dx%d expected)" % (T, B, H * D))
        blob = self.weight.contiguous().numpy().reshape(-1)
        layers = self._layers(blob)
        dblob = np.zeros(blob.shape, np.float64 if dtype == np.float64 else dtype)
        dlayers = self._layers(dblob)
        shape = (L * D, B, H)
        dhy = self._initial("gradHiddenOutput", shape, dtype)
        dcy = self._initial("gradCellOutput", shape, dtype)
        dhx = np.zeros(shape, dtype)
        dcx = np.zeros(shape, dtype)
        dseq = go.numpy().astype(dtype)
        for layer in range(L - 1, -1, -1):
            if masks[layer] is not None:
                dseq = dseq * masks[layer]
            dinput = None
            for d in range(D):
                k = layer * D + d
                dy = dseq[:, :, d * H:(d + 1) * H]
                dh = np.zeros((B, H), dtype) if dhy is None else dhy[k].copy()
                dc = np.zeros((B, H), dtype) if dcy is None else dcy[k].copy()
                dx, dh, dc = self._back(layers[k], dlayers[k], caches[k], dy, dh, dc)
                dhx[k], dcx[k] = dh, dc
                dinput = dx if dinput is None else dinput + dx
            dseq = dinput
        self._dweight = dblob
        gi = type(self.weight)(T, B, self.inputSize)
        gi.numpy()[...] = dseq
        self.gradInput = gi.transpose(1, 2) if self.batchFirst else gi
        self.gradHiddenInput = type(self.weight)(*shape)
        self.gradHiddenInput.numpy()[...] = dhx
        self.gradCellInput = type(self.weight)(*shape)
        self.gradCellInput.numpy()[...] = dcx if self.mode == "CUDNN_LSTM" else 0
        return self.gradInput

    def _back(self, params, grads, cache, dy, dh, dc):
        W, R, bW, bR = params
        dW, dR, dbW, dbR = grads
        order, steps, seq = cache
        mode = self.mode
        T = len(order)
        dxg = np.empty((T, dy.shape[1], W.shape[0]), dy.dtype)
        for pos in range(T - 1, -1, -1):
            t = order[pos]
            dh = dh + dy[t]
            if mode == "CUDNN_LSTM":
                hp, cp, i, f, g, o, tc = steps[pos]
                do = dh * tc
                dc = dc + dh * o * (1 - tc * tc)
                da = np.concatenate([dc * g * i * (1 - i), dc * cp * f * (1 - f),
                                     dc * i * (1 - g * g), do * o * (1 - o)], axis=1)
                dc = dc * f
                dxg[t] = da
                dhr = da
            elif mode == "CUDNN_GRU":
                hp, r, z, n, hrn = steps[pos]
                dn = dh * (1 - z) * (1 - n * n)
                dz = dh * (hp - n) * z * (1 - z)
                dr = dn * hrn * r * (1 - r)
                dxg[t] = np.concatenate([dr, dz, dn], axis=1)
                dhr = np.concatenate([dr, dz, dn * r], axis=1)
                dh_prev_direct = dh * z
            else:
                hp, a, h = steps[pos]
                da = dh * ((a > 0).astype(dh.dtype) if mode == "CUDNN_RNN_RELU" else 1 - h * h)
                dxg[t] = da
                dhr = da
            dR += dhr.T @ hp
            dbR += dhr.sum(0)
            dh = dhr @ R
            if mode == "CUDNN_GRU":
                dh = dh + dh_prev_direct
        flat = dxg.reshape(-1, dxg.shape[2])
        dW += flat.T @ seq.reshape(-1, seq.shape[2])
        dbW += flat.sum(0)
        dx = (flat @ W).reshape(seq.shape)
        return dx, dh, dc

    def accGradParameters(self, input, gradOutput, scale=1):
        scale = 1 if scale is None else scale
        if scale == 0:
            return
        if not self.train:
            raise TorchError("accGradParameters can only be called when training!")
        if getattr(self, "_dweight", None) is None:
            self.updateGradInput(input, gradOutput)
        if self.gradWeight.nElement() != self.weight.nElement():
            self.gradWeight.resizeAs(self.weight).zero()
        gw = self.gradWeight
        # through the tensor API: gradWeight may be a strided view (getParameters, share)
        d = type(gw)(np.ascontiguousarray(self._dweight, gw.dtype)).view(*gw.size())
        gw.add(scale, d)
        self._dweight = None

    def backward(self, input, gradOutput, scale=1):
        self.updateGradInput(input, gradOutput)
        self.accGradParameters(input, gradOutput, scale)
        return self.gradInput

    def resetStates(self):
        self.hiddenInput = self.cellInput = None
        self.hiddenOutput.zero()
        self.cellOutput.zero()
        self.gradHiddenOutput = self.gradCellOutput = None

    def setSync(self, sync):
        self.sync = sync

    def clearDesc(self):
        for name in _DESCS:
            self.__dict__.pop(name, None)

    def clearState(self):
        self._cache = self._dweight = None
        for name in ("_input", "_gradOutput", "dropoutStates"):
            self.__dict__.pop(name, None)
        if isinstance(self.__dict__.get("reserve"), Tensor):
            self.reserve.set()
        return super().clearState()

    def _t7_fields(self):
        # the Python-side caches are not written (cudnn writes only its Lua fields)
        return {k: v for k, v in self.__dict__.items() if k not in ("_cache", "_dweight")}

    def type(self, type=None, tensorCache=None):
        if type is not None:
            self._cache = self._dweight = None
        return super().type(type, tensorCache)

    def __tostring__(self):
        return "%s(%d -> %d, %d layers%s)" % (self.typename, self.inputSize, self.hiddenSize,
                                              self.numLayers, ", bidirectional"
                                              if self.numDirections == 2 else "")


class LSTM(RNN):
    typename = "cudnn.LSTM"
    _default_mode = "CUDNN_LSTM"


class GRU(RNN):
    typename = "cudnn.GRU"
    _default_mode = "CUDNN_GRU"


class RNNReLU(RNN):
    typename = "cudnn.RNNReLU"
    _default_mode = "CUDNN_RNN_RELU"


class RNNTanh(RNN):
    typename = "cudnn.RNNTanh"
    _default_mode = "CUDNN_RNN_TANH"


class BLSTM(RNN):
    typename = "cudnn.BLSTM"
    _default_mode = "CUDNN_LSTM"
    _default_directions = 2


class BGRU(RNN):
    typename = "cudnn.BGRU"
    _default_mode = "CUDNN_GRU"
    _default_directions = 2


CLASSES = {c.typename: c for c in (RNN, LSTM, GRU, RNNReLU, RNNTanh, BLSTM, BGRU)}
