"""TensorOperator.c: the + - * / % and unary minus operators of tensors."""
import numpy as np

from .. import messages
from ..storage import strtol0
from ..tensor import Tensor, TorchError
from ._helpers import _check_same_n, _new, _NUMBER_TYPES, _real, _view_as
from ._dispatch import _argname, _code
from .pointwise import _add_value, _div, _mul, _remainder
from .blas import _dot, _mm, _mv


# --------------------------------------------------------------------------------------------
# operators (TensorOperator.c): + - * / % and unary minus
# --------------------------------------------------------------------------------------------

def _is_num(x):
    return isinstance(x, _NUMBER_TYPES) and not isinstance(x, bool)


def _numeric(x):
    """luaL_checknumber / lua_isnumber of an operand: a numeric string is its number
    (x + '1', x * ' 2', x / '0x10'); anything else as given."""
    if isinstance(x, str):
        n = messages.lua_tonumber(x)
        if n is not None:
            return n
    return x


def _checkreal(T, x):
    """luaG_(checkreal) of an operand (TensorOperator's + - *): for an integer type a string
    is strtol(s, NULL, 0), with no check that it is a number ('x' is 0, '010' is 8, '12abc'
    12); for a float type luaL_checknumber's (a numeric string is its number)."""
    if isinstance(x, str) and T.is_integer:
        return strtol0(x)
    return _numeric(x)


def _op_operand(T, x, op, arg=2):
    """The other operand of a TensorOperator: a tensor of the same type or a number; else
    luaL_checknumber's error for argument #arg (a tensor of another type is a userdata)."""
    if isinstance(x, Tensor):
        if type(x) is not T:
            raise TorchError(messages.bad_argument(arg, "number expected, got userdata"))
        return x
    if _is_num(x):
        return None
    # (luaL_checknumber: Lua's type, a Lua class's object is a table, a storage userdata)
    raise TorchError(messages.bad_argument(arg, "number expected, got %s"
                                           % messages.lua_type(x)))


def _op_add_sub(op, ufunc, negate):
    """a + b and a - b: by a number through add, by a tensor elementwise into a new tensor."""
    def binop(a, b):
        T = type(a)
        b = _checkreal(T, b)
        if type(b) is not T and _op_operand(T, b, op) is None:
            return _add_value(T, None, a, _real(T, -b if negate else b))
        _check_same_n(a, b)
        r = _new(T, a._size)
        ufunc(a.numpy(), _view_as(b, a._size), out=r.numpy())
        return r
    return binop


_op_add = _op_add_sub("__add__", np.add, False)
_op_sub = _op_add_sub("__sub__", np.subtract, True)


def _op_radd(a, b):
    T = type(a)
    b = _checkreal(T, b)
    _op_operand(T, b, "__add__", 1)
    return _add_value(T, None, a, _real(T, b))


def _op_rsub(a, b):
    T = type(a)
    b = _checkreal(T, b)
    _op_operand(T, b, "__sub__", 1)
    r = _new(T, a._size)
    np.subtract(_real(T, b), a.numpy(), out=r.numpy())
    return r


def _op_neg(a):
    r = _new(type(a), a._size)
    np.negative(a.numpy(), out=r.numpy())
    return r


def _op_mul(a, b):
    T = type(a)
    b = _checkreal(T, b)
    if _op_operand(T, b, "__mul__") is None:
        return _mul(T, None, a, _real(T, b))
    da, db = a.dim(), b.dim()
    if da == 1 and db == 1:
        return _dot(T, a, b)
    if da == 2 and db == 1:
        return _mv(T, None, 0, None, 1, a, b)
    if da == 2 and db == 2:
        return _mm(T, None, 0, None, 1, a, b)
    raise TorchError("multiplication between %dD and %dD tensors not yet supported" % (da, db))


def _op_rmul(a, b):
    # x * tensor: TensorOperator's __mul__(x, tensor) checks x as its argument #1
    T = type(a)
    b = _checkreal(T, b)
    _op_operand(T, b, "__mul__", 1)
    return _mul(T, None, a, _real(T, b))


def _op_by_number(op, impl):
    """a / b and a % b: Torch7 takes only a number on the right."""
    def binop(a, b):
        b = _numeric(b)
        if not _is_num(b):
            raise TorchError("%s: number expected as second argument, got %s"
                             % (op, _argname(_code(b))))
        T = type(a)
        return impl(T, None, a, _real(T, b))
    return binop


_op_div = _op_by_number("__div__", _div)


def _op_rdiv(a, b):
    raise TorchError("__div__: a tensor can only be divided by a number (got %s / tensor)"
                     % _argname(_code(b)))


_op_mod = _op_by_number("__mod__", _remainder)


def _op_rmod(a, b):
    raise TorchError("__mod__: the left operand of %% must be a tensor (got %s %% tensor)"
                     % _argname(_code(b)))
