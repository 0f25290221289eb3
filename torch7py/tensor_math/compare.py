"""TensorMath's comparisons: lt le gt ge eq ne and nonzero."""
import numpy as np

from ..tensor import ByteTensor, LongTensor
from ._helpers import _check_same_n, _resize, _result, _view_as
from ._dispatch import _define


# --------------------------------------------------------------------------------------------
# comparisons
# --------------------------------------------------------------------------------------------

def _make_cmp(ufunc):
    def value_b(T, res, src, value):
        r = _result(ByteTensor, res, src._size)
        ufunc(src.numpy(), value, out=r.numpy(), casting="unsafe")
        return r

    def value_t(T, res, src, value):
        r = _result(T, res, src._size)
        ufunc(src.numpy(), value, out=r.numpy(), casting="unsafe")
        return r

    def tensor_b(T, res, a, b):
        _check_same_n(a, b, ("r_", "ta", "tb"))
        r = _result(ByteTensor, res, a._size)
        ufunc(a.numpy(), _view_as(b, a._size), out=r.numpy(), casting="unsafe")
        return r

    def tensor_t(T, res, a, b):
        _check_same_n(a, b, ("r_", "ta", "tb"))
        r = _result(T, res, a._size)
        ufunc(a.numpy(), _view_as(b, a._size), out=r.numpy(), casting="unsafe")
        return r
    return [("B? T r", value_b), ("T* T r", value_t), ("B? T T", tensor_b),
            ("T* T T", tensor_t)]


for _n, _u in (("lt", np.less), ("le", np.less_equal), ("gt", np.greater),
               ("ge", np.greater_equal), ("eq", np.equal), ("ne", np.not_equal)):
    _define(_n, _make_cmp(_u))


def _nonzero(T, res, src):
    r = LongTensor() if res is None else res
    if not src._size:
        _resize(r, ())
        return r
    nz = np.nonzero(src.numpy())
    cnt = nz[0].shape[0]
    _resize(r, (cnt, src.dim()))
    if cnt:
        np.add(np.stack(nz, axis=1), 1, out=r.numpy())
    return r


_define("nonzero", [("L? T", _nonzero)])
