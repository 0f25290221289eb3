"""Torch7's TensorMath (TensorMath.lua + THTensorMath.c): torch.f(...) functions and t:f(...).

One module a family: _dispatch (the argument matcher and the registry), pointwise (with unary
math), blas, reductions, sort, compare, construct, index and operators; ../lapack.py and
../conv.py register theirs through the same _define. Every torch.f function lands in this
package's namespace and __all__, in the order it was defined."""
import warnings

from ._helpers import _ALL_TYPES, _FLOAT_TYPES, _new  # noqa: F401  (lapack, conv)
from ._dispatch import _FUNCS, _PUBLIC, _code, _define, _DimError, invalid_arguments  # noqa: F401
from . import pointwise, blas, reductions, sort, compare  # noqa: F401  (they register in order)
from . import random_forms  # noqa: F401  (random.py's argument checks)
from .construct import sized_invalid, _zeros_m, _ones_m, _reshape_m  # noqa: F401  (random)
from .index import maskedSelect, maskedFill, maskedCopy  # noqa: F401  (tensor.py's t[mask])
from .operators import (_op_add, _op_radd, _op_sub, _op_rsub, _op_mul, _op_rmul, _op_div,
                        _op_rdiv, _op_mod, _op_rmod, _op_neg)

# Torch7 computes inf/nan silently; numpy's floating-point warnings raised from these modules
# (overflow in add/mul, ...) are not Torch7 behaviour. Division, log etc. also run in errstate.
warnings.filterwarnings("ignore", category=RuntimeWarning,
                        module=r"torch7py\.(tensor_math(\.\w+)?|conv|lapack)$")


# --------------------------------------------------------------------------------------------
# installation of the methods on the tensor classes
# --------------------------------------------------------------------------------------------

def _make_method(fn, T):
    """t:f(...) for tensors of type T: the call form of a known signature (the types of the
    arguments after self) straight from a small table, else fn's matcher."""
    form, dim_error = fn.form, fn.dim_error
    fast = {}

    def method(self, *args):
        a = (self,) + args
        n = len(args)
        # the key: the argument types (one argument: its type alone, none: None)
        key = type(args[0]) if n == 1 else (type(args[0]), type(args[1])) if n == 2 else \
            tuple(map(type, args)) if n else None
        f = fast.get(key)
        if f is None:
            f = form(T, a, True)
            if type(self) is T and (key is not str if n == 1 else n == 0 or str not in key) \
                    and len(fast) < 256:
                fast[key] = f
        elif type(self) is not T:  # a subclass: its own signature in the matcher
            f = form(T, a, True)
        try:
            return f(a)
        except _DimError:  # cwrap checks dimensions as part of the argument types
            raise dim_error(T, a, True) from None
    method.__name__ = fn.name
    method.__qualname__ = "%s.%s" % (T.__name__, fn.name)
    method.__doc__ = "%s:%s (Torch7 TensorMath)" % (T.typename, fn.name)
    return method


def install(base):
    """Add the TensorMath methods and the Python operators to the tensor classes."""
    own = set(vars(base))
    for name, fn in _FUNCS.items():
        if not fn.method or name in own:
            continue
        for T in fn.types:
            setattr(T, name, _make_method(fn, T))
    for T in _ALL_TYPES:
        for name, m in (("zeros", _zeros_m), ("ones", _ones_m), ("reshape", _reshape_m)):
            if name not in own:
                setattr(T, name, m)
    base.__add__ = _op_add
    base.__radd__ = _op_radd
    base.__sub__ = _op_sub
    base.__rsub__ = _op_rsub
    base.__mul__ = _op_mul
    base.__rmul__ = _op_rmul
    base.__truediv__ = _op_div
    base.__rtruediv__ = _op_rdiv
    base.__mod__ = _op_mod
    base.__rmod__ = _op_rmod
    base.__neg__ = _op_neg



from .. import lapack as _lapack_mod  # noqa: E402,F401  (registers the LAPACK functions)
from .. import conv as _conv_mod  # noqa: E402,F401  (registers conv2/xcorr2/conv3/xcorr3)

globals().update(_PUBLIC)
__all__ = list(_PUBLIC)
