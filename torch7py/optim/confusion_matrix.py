"""optim.ConfusionMatrix: Torch7's confusion matrix (counts, per-class and global accuracies)."""
import math
import numbers
from collections.abc import Mapping

import numpy as np

from .. import messages
from ..tensor import FloatTensor, LongTensor, Tensor, TorchError


def _lua_num(v):
    """Lua's tostring of a number ('%.14g')."""
    if v != v:
        return "nan"  # LuaJIT's number formatting writes a NaN without its sign
    if v in (math.inf, -math.inf):
        return "inf" if v > 0 else "-inf"
    return "%.14g" % v


def _is_number(v):
    """Lua's type(v) == 'number' (a boolean is no number there)."""
    return isinstance(v, numbers.Number) and not isinstance(v, bool)


def _as_list(classes):
    if isinstance(classes, Mapping):  # a Lua table seen from Python
        return [classes[k] for k in sorted(k for k in classes if isinstance(k, numbers.Integral))]
    return list(classes)


def _class_indices(t, what):
    """A column of 1-based class indices (numbers) from a tensor of classes or of scores."""
    if not isinstance(t, Tensor):  # ConfusionMatrix.lua's first use: t:size()
        raise TorchError(messages.lua_call_error(t, what, 'size'))
    a = t.numpy()
    if t.dim() == 1:
        return a.astype(np.float32).astype(np.float64)
    if t.dim() == 2:
        if a.shape[1] == 1:
            return a[:, 0].astype(np.float32).astype(np.float64)
        return np.argmax(a.astype(np.float32), axis=1).astype(np.float64) + 1
    raise messages.at_lua(TorchError("%s has invalid number of dimensions" % what),
                          "optim/ConfusionMatrix.lua:%d" % (85 if what == "predictions" else 102))


# the lines of optim/ConfusionMatrix.lua (optim a5ceed7) that raise, as the reference prints
_WHERE = "optim/ConfusionMatrix.lua:%d"


class ConfusionMatrix:
    """ConfusionMatrix(nclasses[, classes]) or ConfusionMatrix(classes): mat[target][pred]."""

    typename = "optim.ConfusionMatrix"

    def __init__(self, nclasses, classes=None):
        if isinstance(nclasses, (Mapping, list, tuple)):  # type(nclasses) == 'table'
            classes = _as_list(nclasses)
            nclasses = len(classes)
        # torch.LongTensor(nclasses, nclasses) checks the size (nil: Torch7's argument error)
        self.mat = LongTensor(nclasses, nclasses).zero()
        # ConfusionMatrix.lua's buffer self._mat_flat = self.mat:view(-1): an empty matrix (0,
        # a negative count, an empty table of classes) fails there, as Torch7's does
        mat_flat = self.mat.view(-1)
        nclasses = int(nclasses)
        self.valids = FloatTensor(nclasses).zero()
        self.unionvalids = FloatTensor(nclasses).zero()
        self.nclasses = nclasses
        self.totalValid = 0
        self.averageValid = 0
        self.classes = _as_list(classes) if classes is not None else []
        # the Lua object's buffers, fields that scripts (and torch.save) see: add and batchAdd
        # copy the scores into them and take their max as ConfusionMatrix.lua does
        self._mat_flat = mat_flat
        self._target = FloatTensor()
        self._prediction = FloatTensor()
        self._max = FloatTensor()
        self._pred_idx = LongTensor()
        self._targ_idx = LongTensor()

    def _buffer(self, key, src, dim):
        """self.<key>:resize(src:size()):copy(src), then, for dim, self._max:max(<idx>, <key>,
        dim) (idx: _pred_idx for _prediction, _targ_idx for _target): the buffers' contents
        after ConfusionMatrix.lua's add/batchAdd (an object without them, from an older file,
        is left as it is)."""
        buf = getattr(self, key, None)
        if not isinstance(src, Tensor) or not isinstance(buf, Tensor):
            return
        buf.resize(src.size()).copy(src)
        if dim:
            idx = getattr(self, "_pred_idx" if key == "_prediction" else "_targ_idx", None)
            mx = getattr(self, "_max", None)
            if isinstance(idx, Tensor) and isinstance(mx, Tensor) and buf.nElement():
                mx.max(idx, buf, dim)

    def _add(self, p, t):
        """ConfusionMatrix:_add: `self.mat[t][p] = self.mat[t][p] + 1` for a target t > 0 (the
        tensor's own indexing, so a class out of range fails as Torch7's does)."""
        if not _is_number(p):
            raise messages.at_lua(TorchError("assertion failed!"), _WHERE % 38)
        if not _is_number(t):
            raise messages.at_lua(TorchError("assertion failed!"), _WHERE % 39)
        if t > 0:
            try:
                row = self.mat[t]
                row[p] = row[p] + 1
            except IndexError as e:  # the tensor's "out of range", as a Torch error
                err = TorchError(str(e))
                err.torch7_plain = True  # raised in luaT's C __index: no position
                raise err from None

    def add(self, prediction, target):
        """Add one sample: numbers (class indices), or a score vector with a class index or a
        one-hot/score target vector (argmax, the first of equal maxima)."""
        if _is_number(prediction):
            self._add(prediction, target)
            return
        if not isinstance(prediction, Tensor):  # self._prediction:resize(prediction:size())
            raise messages.at_lua(TorchError(messages.lua_call_error(
                prediction, "prediction", "size")), _WHERE % 52)
        self._buffer("_prediction", prediction, 0)
        if prediction.dim() != 1:
            raise messages.at_lua(TorchError("assertion failed!"), _WHERE % 53)
        pred = int(np.argmax(prediction.numpy().astype(np.float32))) + 1
        if _is_number(target):
            self._buffer("_prediction", prediction, 1)
            self._add(pred, target)
        else:
            # assert(target:dim() == 1) at its line 60: a target that is no tensor fails
            # indexing or calling dim, a tensor of another dimension the assert
            if not isinstance(target, Tensor):
                raise messages.at_lua(TorchError(messages.lua_call_error(
                    target, "target", "dim")), _WHERE % 60)
            if target.dim() != 1:
                raise messages.at_lua(TorchError("assertion failed!"), _WHERE % 60)
            self._buffer("_target", target, 1)
            self._buffer("_prediction", prediction, 1)
            self._add(pred, int(np.argmax(target.numpy().astype(np.float32))) + 1)

    def batchAdd(self, predictions, targets):
        """Add a batch: predictions are classes (N) or scores (N x C); targets are classes (N)
        or one-hot rows (N x C). As ConfusionMatrix.lua: indexAdd of ones at
        (target - 1) * nclasses + prediction in the flattened matrix."""
        with messages.lua_line(_WHERE % 71):  # self._prediction:resize(predictions:size())...
            self._buffer("_prediction", predictions, 0)
            preds = _class_indices(predictions, "predictions")
            if predictions.dim() == 2 and predictions.size(2) > 1:
                self._buffer("_prediction", predictions, 2)
        with messages.lua_line(_WHERE % 88):  # self._target:resize(targets:size())...
            self._buffer("_target", targets, 0)
            targs = _class_indices(targets, "targets")
            if targets.dim() == 2 and targets.size(2) > 1:
                self._buffer("_target", targets, 2)
        if preds.size != targs.size:  # preds[mask], the mask being targs:ge(1)
            # (maskedSelect under luaT's __index: no position)
            raise messages.from_c(TorchError(messages.msg(
                "inconsistent_2", "src", messages.size_str([preds.size]), "mask",
                messages.size_str([targs.size]), preds.size, targs.size)))
        keep = targs >= 1  # non-positive targets are missing values, ignored
        # preds:typeAs(targs): a LongTensor target truncates the predictions
        preds, targs = preds[keep], targs[keep]
        if targets.dim() == 1 and targets.is_integer or targets.dim() == 2 and \
                targets.size(2) > 1:
            preds = np.trunc(preds)
        indices = ((targs - 1) * self.mat.stride(1) + preds).astype(np.int64)
        idx = LongTensor(int(indices.size)) if indices.size else LongTensor()
        idx.numpy()[...] = indices
        # torch.ones(1):typeAs(mat):expand(indices:size(1)): fails on an empty batch, as in Lua
        with messages.lua_line(_WHERE % 116):
            ones = LongTensor(1).fill(1).expand(idx.size(1))
        # self._mat_flat = self._mat_flat or self.mat:view(-1)
        flat = getattr(self, "_mat_flat", None)
        if flat is None:
            flat = self._mat_flat = self.mat.view(-1)
        with messages.lua_line(_WHERE % 117), messages.lua_method_call("indexAdd"):
            flat.indexAdd(1, idx, ones)  # self._mat_flat:indexAdd(1, indices, ones)

    def zero(self):
        self.mat.zero()
        self.valids.zero()
        self.unionvalids.zero()
        self.totalValid = 0
        self.averageValid = 0

    def updateValids(self):
        """Per-class accuracy (valids), intersection over union (unionvalids), their averages
        over the classes that occurred, and the global accuracy (totalValid)."""
        m = self.mat.numpy().astype(np.float64)
        diag = np.diagonal(m)
        rows, cols = m.sum(1), m.sum(0)
        with np.errstate(all="ignore"):
            self.valids.numpy()[...] = diag / rows
            self.unionvalids.numpy()[...] = diag / (rows + cols - diag)
            total = m.sum()
            self.totalValid = _div(float(diag.sum()), float(total))
        v = self.valids.numpy().astype(np.float64)
        u = self.unionvalids.numpy().astype(np.float64)
        ok = ~np.isnan(v)
        ok_u = ok & ~np.isnan(u)
        # sums in Lua's order, over float32 values read back as doubles
        self.averageValid = _div(_seqsum(v[ok]), int(ok.sum()))
        self.averageUnionValid = _div(_seqsum(u[ok_u]), int(ok_u.sum()))

    def farFrr(self):
        """False acceptance and false rejection rates per class: classFrrs, classFars (-1 for
        an absent class), and the rates of the classes present (views of self._frrs and
        self._fars, which ConfusionMatrix.lua keeps on the object)."""
        from ..tensor import DoubleTensor
        m = self.mat.numpy()
        n = m.shape[0]
        for key in ("_frrs", "_classFrrs", "_fars", "_classFars"):
            if getattr(self, key, None) is None:
                setattr(self, key, DoubleTensor(n).zero())
            getattr(self, key).zero()
        self._classFrrs.add(-1)
        self._classFars.add(-1)
        counts = self.mat.sum(2).numpy().reshape(-1).tolist()  # cmat:sum(2), as the Lua
        frrs, class_frrs = self._frrs.numpy(), self._classFrrs.numpy()
        fars, class_fars = self._fars.numpy(), self._classFars.numpy()
        indx = 0
        for i in range(n):
            if counts[i] != 0:
                frrs[indx] = 1 - int(m[i, i]) / counts[i]
                class_frrs[i] = frrs[indx]
                # farNumerator/farDenominator in Lua's order; 0/0 is x86's NaN (sign set)
                num, den = 0.0, 0
                for j in range(n):
                    if j != i and counts[j] != 0:
                        num = num + int(m[j, i]) / counts[j]
                        den += 1
                fars[indx] = _div(num, den)
                class_fars[i] = fars[indx]
                indx += 1
        # self._frrs[{{1, indx}}]: no class with samples fails there, as in Lua
        return self._classFrrs, self._classFars, self._frrs[[1, indx]], self._fars[[1, indx]]

    def __str__(self):
        self.updateValids()
        out = ["ConfusionMatrix:\n", "["]
        n = self.nclasses
        m = self.mat.numpy()
        max_cnt = int(m.max()) if m.size else 0
        ndigits = max(8, 1 + math.ceil(math.log10(max_cnt))) if max_cnt > 0 else 8
        valids = self.valids.numpy()
        for t in range(n):
            pclass = _fmt3(float(valids[t]) * 100)
            out.append("[" if t == 0 else " [")
            out.extend("%*d" % (ndigits, v) for v in m[t])
            close = "]]  " if t == n - 1 else "]   "
            if self.classes:
                name = self.classes[t] if t < len(self.classes) else ""
                out.append(close + pclass + "% \t[class: " + str(name) + "]\n")
            else:
                out.append(close + pclass + "% \n")
        out.append(" + average row correct: " + _lua_num(self.averageValid * 100) + "% \n")
        out.append(" + average rowUcol correct (VOC measure): "
                   + _lua_num(self.averageUnionValid * 100) + "% \n")
        out.append(" + global correct: " + _lua_num(self.totalValid * 100) + "%")
        return "".join(out)

    __tostring__ = __str__

    def __repr__(self):
        return self.__str__()


def _fmt3(v):
    """Lua's string.format('%2.3f'): LuaJIT writes a NaN without its sign (0/0 is 'nan')."""
    if v != v:
        return "nan"
    return "%2.3f" % v


def _seqsum(a):
    s = 0.0
    for v in a.tolist():  # a handful of per-class numbers, summed in Lua's order
        s += v
    return s


def _div(a, b):
    if b == 0:
        # x86's 0/0 is the NaN with the sign bit set, which Lua prints as -nan
        return -math.nan if a == 0 or a != a else math.copysign(math.inf, a)
    return a / b


def _double(values):
    from ..tensor import DoubleTensor
    values = np.asarray(values, dtype=np.float64)
    t = DoubleTensor(*values.shape) if values.size else DoubleTensor()
    if values.size:
        t.numpy()[...] = values
    return t
