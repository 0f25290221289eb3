"""Torch7's random numbers bit for bit: THRandom.c, THTensorRandom.c, random.lua, Generator.c."""
import math
import os
import threading

import numpy as np

from . import messages, numerics
from .messages import lua_tonumber
from .storage import LongStorage, check_file
from .tensor import Tensor, TorchError, tensor_types, default_tensor_type

__all__ = [
    "Generator", "manualSeed", "seed", "initialSeed", "getRNGState", "setRNGState",
    "random", "uniform", "normal", "exponential", "cauchy", "logNormal", "geometric",
    "bernoulli", "rand", "randn", "randperm", "multinomial", "multinomialAliasSetup",
    "multinomialAlias", "_gen",
]

_N = 624
_MATRIX_A = np.uint64(0x9908B0DF)
_UMASK = np.uint64(0x80000000)
_LMASK = np.uint64(0x7FFFFFFF)
_ONE = np.uint64(1)
_U11, _U7, _U15, _U18 = np.uint64(11), np.uint64(7), np.uint64(15), np.uint64(18)
_TEMPER_B = np.uint64(0x9D2C5680)
_TEMPER_C = np.uint64(0xEFC60000)
_M64 = (1 << 64) - 1
_TWO_PI = 2.0 * math.pi
_INV_2_32 = 1.0 / 4294967296.0
_INT_MIN = -(1 << 31)

# The bytes of a THGenerator on 64-bit Linux (unsigned long is 8 bytes), as getRNGState returns.
_STATE_DTYPE = np.dtype({
    "names": ["the_initial_seed", "left", "seeded", "next", "state",
              "normal_x", "normal_y", "normal_rho", "normal_is_valid"],
    "formats": ["<u8", "<i4", "<i4", "<u8", ("<u8", (_N,)), "<f8", "<f8", "<f8", "<i4"],
    "offsets": [0, 8, 12, 16, 24, 5016, 5024, 5032, 5040],
    "itemsize": 5048,
})
STATE_SIZE = _STATE_DTYPE.itemsize



def _libm(name, fallback):
    """C's double function name (libm's, as THRandom.c calls it) of a number or an array of
    doubles: numpy's log, exp, tan (and sin, cos on some CPUs) are its own SIMD code, whose last
    bits differ from libm's. Without the C extension: numpy's."""
    c = numerics._c

    def f(a):
        if c is None or not hasattr(c, "libm"):
            return fallback(a)
        a = np.array(a, dtype=np.float64, order="C", copy=None)
        out = np.empty(a.shape, np.float64)
        c.libm(name, a.reshape(-1), out.reshape(-1), False)
        return out if out.ndim else out[()]
    return f


_sqrt = np.sqrt  # (correctly rounded: numpy's is libm's)
_log, _sin, _cos, _tan, _exp = (_libm(n, f) for n, f in (
    ("log", np.log), ("sin", np.sin), ("cos", np.cos), ("tan", np.tan), ("exp", np.exp)))


# -- MT19937 on numpy arrays ---------------------------------------------------------------------
def _twist(old, new):
    """THRandom_nextState from `old` into `new` (may be the same array).

    Word i is old[i+397] (i < 227) or new[i-227] (i >= 227), xor the twist of old words i and
    i+1; the twists are all computed first, then the words go in three slices whose inputs are
    ready (the last word twists with the new word 0)."""
    t = ((old[:623] & _UMASK) | (old[1:] & _LMASK)) >> _ONE
    t ^= (old[1:] & _ONE) * _MATRIX_A
    last = int(old[623])
    np.bitwise_xor(old[397:624], t[0:227], out=new[0:227])
    np.bitwise_xor(new[0:227], t[227:454], out=new[227:454])
    np.bitwise_xor(new[227:396], t[454:623], out=new[454:623])
    first = int(new[0])
    y = (last & 0x80000000) | (first & 0x7FFFFFFF)
    new[623] = int(new[396]) ^ (y >> 1) ^ (0x9908B0DF if first & 1 else 0)


def _temper(y):
    y = y ^ (y >> _U11)
    y ^= (y << _U7) & _TEMPER_B
    y ^= (y << _U15) & _TEMPER_C
    y ^= y >> _U18
    return y


def _seed_words(seed):
    """init_genrand: the 624 state words for a seed (its low 32 bits)."""
    mt = [0] * _N
    x = seed & 0xFFFFFFFF
    mt[0] = x
    for j in range(1, _N):
        x = (1812433253 * (x ^ (x >> 30)) + j) & 0xFFFFFFFF
        mt[j] = x
    return np.array(mt, dtype=np.uint64)


def _urandom_seed():
    return int.from_bytes(os.urandom(8), "little")


def _signed64(x):
    x &= _M64
    return x - (1 << 64) if x >> 63 else x


def _c_long(x, what="argument"):
    """A Lua number read as a C long: truncated toward zero (cwrap's (long)lua_tonumber)."""
    if isinstance(x, str) and lua_tonumber(x) is not None:
        x = lua_tonumber(x)
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, (int, float, np.number)):
        raise TorchError("invalid arguments: %s must be a number, got %s"
                         % (what, messages.torch_type(x)))
    if isinstance(x, (int, np.integer)):
        return int(x)
    x = float(x)
    if x != x or abs(x) >= 9.223372036854775808e18:
        return -(1 << 63)  # cvttsd2si's answer for out-of-range values
    return int(x)


def _c_double(x, what="argument"):
    if isinstance(x, str) and lua_tonumber(x) is not None:
        x = lua_tonumber(x)
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, (int, float, np.number)):
        raise TorchError("invalid arguments: %s must be a number, got %s"
                         % (what, messages.torch_type(x)))
    return float(x)


# _draws' numpy bit generator, made once per thread and given the state words at each use
_MT = threading.local()
_FEW_BLOCKS = 4  # up to this many state blocks a draw twists them itself


class Generator:
    """torch.Generator: one Mersenne Twister stream (a THGenerator), seeded from /dev/urandom."""

    typename = "torch.Generator"
    _t7_userdata = True  # a C object in Torch7 (luaT_pushudata)

    def __init__(self):
        self._manual_seed(_urandom_seed())

    # -- state ---------------------------------------------------------------------------------
    def _manual_seed(self, seed):
        """THRandom_manualSeed: also clears the Box-Muller cache (the struct is blanked first)."""
        self._initial = seed & _M64
        self._mt = _seed_words(seed)
        self._left = 1
        self._next = 0
        self._tarr = None   # tempered outputs of the current state words
        self._tlist = None  # the same as Python ints, for scalar draws
        self._nx = self._ny = self._nrho = 0.0
        self._nvalid = False

    def _tempered_array(self):
        if self._tarr is None:
            self._tarr = _temper(self._mt)
        return self._tarr

    def _state_bytes(self):
        s = np.zeros((), dtype=_STATE_DTYPE)
        s["the_initial_seed"] = self._initial
        s["left"] = self._left
        s["seeded"] = 1
        s["next"] = self._next
        s["state"] = self._mt
        s["normal_x"] = self._nx
        s["normal_y"] = self._ny
        s["normal_rho"] = self._nrho
        s["normal_is_valid"] = 1 if self._nvalid else 0
        return np.frombuffer(s.tobytes(), dtype=np.uint8).copy()

    def _set_state_bytes(self, data):
        """Load a THGenerator's bytes, refusing what THGenerator_isValid refuses."""
        data = np.ascontiguousarray(data, dtype=np.uint8)
        if data.size != STATE_SIZE:
            raise TorchError("bad argument #1 to 'setRNGState' (RNG state is wrong size)")
        s = data.view(_STATE_DTYPE)[0]
        left, nxt = int(s["left"]), int(s["next"])
        # Beyond isValid: a draw before the next twist must stay inside the 624 words.
        if not (int(s["seeded"]) == 1 and 0 < left <= _N and nxt <= _N
                and (left == 1 or nxt + left - 1 <= _N)):
            raise TorchError("bad argument #1 to 'setRNGState' (Invalid RNG state)")
        self._initial = int(s["the_initial_seed"])
        self._mt = np.array(s["state"], dtype=np.uint64)
        self._left, self._next = left, nxt
        self._tarr = self._tlist = None
        self._nx, self._ny, self._nrho = float(s["normal_x"]), float(s["normal_y"]), \
            float(s["normal_rho"])
        self._nvalid = bool(s["normal_is_valid"])

    def __repr__(self):
        return "torch.Generator"

    # -- serialization: Torch7 writes and reads the raw struct bytes (Generator.c) -----------------
    def write(self, file):
        check_file(file, TypeError)
        file.writeByte(tensor_types["torch.ByteTensor"].storage_class._wrap(self._state_bytes()))

    def read(self, file):
        check_file(file, TypeError)
        storage = tensor_types["torch.ByteTensor"].storage_class(STATE_SIZE)
        file.readByte(storage)
        self._set_state_bytes(storage._data)

    def _t7_write_file(self, f):
        f._write_array("Byte", self._state_bytes())

    def _t7_read_file(self, f, version=None):
        self._set_state_bytes(f._read_array("Byte", STATE_SIZE))

    # -- raw 32-bit draws --------------------------------------------------------------------------
    def _draw(self):
        """THRandom_random: one tempered word."""
        left = self._left - 1
        if left == 0:
            _twist(self._mt, self._mt)
            self._tarr = None
            self._tlist = None
            left = _N
            self._next = 0
        self._left = left
        tl = self._tlist
        if tl is None:
            tl = self._tlist = self._tempered_array().tolist()
        i = self._next
        self._next = i + 1
        return tl[i]

    def _draws(self, n):
        """n successive THRandom_random values (uint64 array), whole state blocks at a time."""
        out = np.empty(n, dtype=np.uint64)
        if n <= 0:
            return out
        k = min(self._left - 1, n)
        if k > 0:
            out[:k] = self._tempered_array()[self._next:self._next + k]
            self._next += k
            self._left -= k
        rest = n - k
        if rest == 0:
            return out
        nblocks = -(-rest // _N)
        if nblocks <= _FEW_BLOCKS:
            # a few blocks: twisted and tempered here (~10 us a block; numpy's state
            # property alone costs ~80 us a round trip)
            mt = self._mt
            for b in range(nblocks):
                _twist(mt, mt)
                tarr = _temper(mt)
                j = k + b * _N
                out[j:j + _N] = tarr[:n - j]
            self._tarr = tarr
        else:
            # Torch7's generator is the reference MT19937, which numpy's bit generator
            # implements in C: hand it the state words, take whole twisted-and-tempered
            # blocks, take the last block's words back.
            bits = _MT.__dict__.get("bits")
            if bits is None:  # one per thread: a new one seeds itself from the OS (~80 us)
                bits = _MT.bits = np.random.MT19937(0)
            bits.state = {"bit_generator": "MT19937",
                          "state": {"key": self._mt.astype(np.uint32), "pos": _N}}
            flat = bits.random_raw(nblocks * _N)
            out[k:] = flat[:rest]
            self._mt = bits.state["state"]["key"].astype(np.uint64)
            self._tarr = flat[-_N:].copy()
        self._tlist = None
        used = rest - (nblocks - 1) * _N
        self._next = used
        self._left = _N + 1 - used
        return out

    # -- distributions (THRandom.c) ----------------------------------------------------------------
    def _uniform01(self):
        return self._draw() * _INV_2_32

    def _uniforms01(self, n):
        return self._draws(n).astype(np.float64) * _INV_2_32

    def _normal(self, mean, stdv):
        if not stdv > 0:
            raise TorchError("bad argument #2 to '?' "
                             "(standard deviation must be strictly positive)")
        if not self._nvalid:
            self._nx = self._uniform01()
            self._ny = self._uniform01()
            self._nrho = float(_sqrt(-2.0 * _log(1.0 - self._ny)))
            self._nvalid = True
            return float(self._nrho * _cos(_TWO_PI * self._nx) * stdv + mean)
        self._nvalid = False
        return float(self._nrho * _sin(_TWO_PI * self._nx) * stdv + mean)

    def _normals(self, n, mean, stdv):
        """n successive THRandom_normal values, using and leaving the Box-Muller cache."""
        out = np.empty(n, dtype=np.float64)
        if n <= 0:
            return out
        if not stdv > 0:
            raise TorchError("bad argument #2 to '?' "
                             "(standard deviation must be strictly positive)")
        i = 0
        if self._nvalid:
            out[0] = self._nrho * _sin(_TWO_PI * self._nx) * stdv + mean
            self._nvalid = False
            i = 1
        m = n - i
        if m == 0:
            return out
        pairs = (m + 1) // 2
        u = self._uniforms01(2 * pairs)
        x, y = u[0::2], u[1::2]
        rho = _sqrt(-2.0 * _log(1.0 - y))
        ang = _TWO_PI * x
        out[i::2] = (rho * _cos(ang)) * stdv + mean
        nsin = m // 2
        if nsin:
            out[i + 1::2] = (rho[:nsin] * _sin(ang[:nsin])) * stdv + mean
        if m % 2:
            self._nx, self._ny, self._nrho = float(x[-1]), float(y[-1]), float(rho[-1])
            self._nvalid = True
        return out


_gen = Generator()


def _neg_inv(lam):
    """-1. / lambda with C's division by zero (-inf), not Python's exception."""
    with np.errstate(divide="ignore"):
        return np.float64(-1.0) / np.float64(lam)


def _check_log_normal(stdv):
    # Torch7 (814ea4a) draws exp(normal(mean, stdv)): mean and stdv are those of the log.
    if not stdv > 0:
        raise TorchError("bad argument #2 to '?' "
                         "(standard deviation must be strictly positive)")


def _geometric_values(u, p):
    """(int)(log(1-u)/log(p)) + 1 with x86's int conversion (INT_MIN when out of range)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        q = _log(1.0 - u) / _log(p)
    q = np.asarray(q, dtype=np.float64)
    ok = (q > -2147483649.0) & (q < 2147483648.0)
    iv = np.where(ok, np.trunc(np.where(ok, q, 0.0)), _INT_MIN).astype(np.int64)
    return (iv + 1).astype(np.int32).astype(np.int64)


def _check_geometric(p):
    if not (p > 0 and p < 1):
        raise TorchError("bad argument #1 to '?' (must be > 0 and < 1)")


def _check_bernoulli(p):
    if not (p >= 0 and p <= 1):
        raise TorchError("bad argument #1 to '?' (must be >= 0 and <= 1)")


# -- argument handling -----------------------------------------------------------------------------
def _split_gen(args):
    if args and isinstance(args[0], Generator):
        return args[0], args[1:]
    return _gen, args


def _cwrap_check(name, args, method=False, dispatch=True):
    """cwrap's argument check of TensorMath.lua's / random.lua's declaration of `name`: its
    invalid-arguments error for a call that matches none of the declared forms."""
    from .tensor_math._dispatch import _dispatch_type as dispatch_type, check_args
    T = None
    if method:
        T = type(args[0])
    elif dispatch:
        T, args = dispatch_type(args)
    check_args(name, T, args, method)


def _numbers(rest, defaults, name, conv=_c_double):
    """Positional optional numbers (None marks a required one), as cwrap fills them."""
    if len(rest) > len(defaults) or any(d is None for d in defaults[len(rest):]):
        raise TorchError("invalid arguments to %s: got %d number(s), expected %s"
                         % (name, len(rest), _signature(defaults)))
    return [conv(v, "argument #%d of %s" % (i + 1, name)) for i, v in enumerate(rest)] + \
        list(defaults[len(rest):])


def _signature(defaults):
    return "[Generator] " + " ".join("number" if d is None else "[number]" for d in defaults)


def _dispatch_type(args, name, float_only):
    """TensorMath's dispatcher: the type of the 1st or 2nd argument if a tensor, else a
    trailing type name, else the default tensor type."""
    from .tensor_math._dispatch import _dispatch_type as dispatch
    cls, args = dispatch(args)
    if float_only and cls.dtype.kind != "f":
        raise TorchError("%s does not implement the torch.%s() function" % (cls.typename, name))
    return cls, args


def _sizes(rest):
    if len(rest) == 1 and isinstance(rest[0], (LongStorage, list, tuple)):
        rest = list(rest[0])
    return [_c_long(v, "size") for v in rest]


def _real(t, x):
    """A number passed as Torch7's `real` argument: FloatTensor methods round it to float."""
    return float(np.float32(x)) if t.dtype == np.float32 else x


def _fill(t, values):
    """Write values (in row-major order) into t's logical elements."""
    if t._size:
        t.numpy()[...] = values.reshape(t._size)
    return t


def _float_method(t, name):
    if t.dtype.kind != "f":
        raise TorchError("%s has no method %s (Torch7 defines it for Float and Double tensors)"
                         % (t.typename, name))


# -- module functions: seeds and state -------------------------------------------------------------
def manualSeed(*args):
    """torch.manualSeed([gen,] seed): seeds with the low 32 bits; initialSeed keeps all 64."""
    _cwrap_check("manualSeed", args, dispatch=False)
    gen, rest = _split_gen(args)
    if len(rest) != 1:
        raise TorchError("invalid arguments to manualSeed: expected [Generator] number")
    gen._manual_seed(_c_long(rest[0], "seed") & _M64)


def seed(*args):
    """torch.seed([gen]): reseed from /dev/urandom; returns the seed (as a C long)."""
    _cwrap_check("seed", args, dispatch=False)
    gen, rest = _split_gen(args)
    if rest:
        raise TorchError("invalid arguments to seed: expected [Generator]")
    s = _urandom_seed()
    gen._manual_seed(s)
    return _signed64(s)


def initialSeed(*args):
    _cwrap_check("initialSeed", args, dispatch=False)
    gen, rest = _split_gen(args)
    if rest:
        raise TorchError("invalid arguments to initialSeed: expected [Generator]")
    return _signed64(gen._initial)


def _gen_and_state(args, name):
    """([gen,] [ByteTensor]) arguments: the generator and the state tensor (a new one if none)."""
    gen, rest = _split_gen(args)
    byte_cls = tensor_types["torch.ByteTensor"]
    if len(rest) > 1 or (rest and not isinstance(rest[0], byte_cls)):
        raise TorchError("invalid arguments to %s: expected [Generator] [ByteTensor]" % name)
    return gen, rest[0] if rest else byte_cls()


def getRNGState(*args):
    """torch.getRNGState([gen,] [state]): a ByteTensor holding a copy of the generator struct."""
    _cwrap_check("getRNGState", args, dispatch=False)
    gen, res = _gen_and_state(args, "getRNGState")
    res.resize(STATE_SIZE)
    res.numpy()[...] = gen._state_bytes()
    return res


def setRNGState(*args):
    """torch.setRNGState([gen,] state): restore a state from getRNGState; returns state."""
    _cwrap_check("setRNGState", args, dispatch=False)
    gen, state = _gen_and_state(args, "setRNGState")
    if state.nElement() != STATE_SIZE:
        raise TorchError("bad argument #1 to 'setRNGState' (RNG state is wrong size)")
    if not state.isContiguous():
        raise TorchError("bad argument #1 to 'setRNGState' (RNG state needs to be contiguous)")
    gen._set_state_bytes(state.numpy().reshape(-1))
    return state


# -- module functions: numbers ---------------------------------------------------------------------
def random(*args):
    """torch.random([gen,] [a,] [b]): a 32-bit draw, or an integer in [1, b] or [a, b].

    With a tensor first argument it fills the tensor (Tensor:random)."""
    _cwrap_check("random", args)
    if args and isinstance(args[0], Tensor):
        return args[0].random(*args[1:])
    gen, rest = _split_gen(args)
    bounds = _random_bounds(rest)
    if not bounds:
        return gen._draw()
    if len(bounds) == 1:
        return _to_c_long((gen._draw() % (bounds[0] & _M64)) + 1)
    a, b = bounds
    return _to_c_long((gen._draw() % _range_mod(a, b)) + a)


def _random_bounds(rest):
    """random's [a,] [b] arguments, checked as Torch7 checks them: (), (b,) or (a, b)."""
    if len(rest) == 1:
        b = _c_long(rest[0], "upper bound")
        if not b > 0:
            raise TorchError("bad argument #1 to '?' (upper bound must be strictly positive)")
        return (b,)
    if len(rest) == 2:
        a = _c_long(rest[0], "lower bound")
        b = _c_long(rest[1], "upper bound")
        if not b >= a:
            raise TorchError("bad argument #2 to '?' "
                             "(upper bound must be larger than lower bound)")
        return (a, b)
    if rest:
        raise TorchError("invalid arguments to random: expected [Generator] [number] [number]")
    return ()


def _range_mod(a, b):
    r = (b + 1 - a) & _M64
    if r == 0:
        raise TorchError("bad argument #2 to '?' (range too large)")
    return r


def _to_c_long(x):
    """THRandom_random1__/2__ return a long (TensorMath.lua at the goldens' commit): the
    unsigned long arithmetic's result as a signed 64-bit value (torch.random(2^40) can pass
    2^31)."""
    x &= _M64
    return x - (1 << 64) if x >> 63 else x


def uniform(*args):
    """torch.uniform([gen,] [a=0,] [b=1]) = u * (b - a) + a, u = random() / 2^32."""
    _cwrap_check("uniform", args)
    if args and isinstance(args[0], Tensor):
        return args[0].uniform(*args[1:])
    gen, rest = _split_gen(args)
    if not rest:
        return gen._uniform01()
    a, b = _numbers(rest, (0.0, 1.0), "uniform")
    return gen._uniform01() * (b - a) + a


def normal(*args):
    """torch.normal([gen,] [mean=0,] [stdv=1]): Box-Muller, the second value of a pair cached."""
    _cwrap_check("normal", args)
    if args and isinstance(args[0], Tensor):
        return args[0].normal(*args[1:])
    gen, rest = _split_gen(args)
    mean, stdv = _numbers(rest, (0.0, 1.0), "normal")
    return gen._normal(mean, stdv)


def exponential(*args):
    """torch.exponential([gen,] lambda) = -1/lambda * log(1 - u)."""
    _cwrap_check("exponential", args)
    if args and isinstance(args[0], Tensor):
        return args[0].exponential(*args[1:])
    gen, rest = _split_gen(args)
    (lam,) = _numbers(rest, (None,), "exponential")
    return float(_neg_inv(lam) * _log(1.0 - gen._uniform01()))


def cauchy(*args):
    """torch.cauchy([gen,] [median=0,] [sigma=1]) = median + sigma * tan(pi * (u - 0.5))."""
    _cwrap_check("cauchy", args)
    if args and isinstance(args[0], Tensor):
        return args[0].cauchy(*args[1:])
    gen, rest = _split_gen(args)
    median, sigma = _numbers(rest, (0.0, 1.0), "cauchy")
    return float(median + sigma * _tan(math.pi * (gen._uniform01() - 0.5)))


def logNormal(*args):
    """torch.logNormal([gen,] [mean=1,] [stdv=2]) = exp(normal(mean, stdv))."""
    _cwrap_check("logNormal", args)
    if args and isinstance(args[0], Tensor):
        return args[0].logNormal(*args[1:])
    gen, rest = _split_gen(args)
    mean, stdv = _numbers(rest, (1.0, 2.0), "logNormal")
    _check_log_normal(stdv)
    return float(_exp(gen._normal(mean, stdv)))


def geometric(*args):
    """torch.geometric([gen,] p) = (int)(log(1 - u) / log(p)) + 1, 0 < p < 1."""
    _cwrap_check("geometric", args)
    if args and isinstance(args[0], Tensor):
        return args[0].geometric(*args[1:])
    gen, rest = _split_gen(args)
    (p,) = _numbers(rest, (None,), "geometric")
    _check_geometric(p)
    return int(_geometric_values(np.array([gen._uniform01()]), p)[0])


def bernoulli(*args):
    """torch.bernoulli([gen,] [p=0.5]) = (u <= p), as 0 or 1."""
    _cwrap_check("bernoulli", args)
    if args and isinstance(args[0], Tensor):
        return args[0].bernoulli(*args[1:])
    gen, rest = _split_gen(args)
    (p,) = _numbers(rest, (0.5,), "bernoulli")
    _check_bernoulli(p)
    return 1 if gen._uniform01() <= p else 0


# -- module functions: tensors ---------------------------------------------------------------------
def _result_first(args, name, float_only):
    """The result tensor (given first, else a new one of the dispatched type), the generator,
    the other arguments, and the arguments the dispatcher passed on (no trailing type name:
    what cwrap's errors list)."""
    cls, args = _dispatch_type(args, name, float_only)
    given = args
    res = None
    if args and isinstance(args[0], Tensor):
        if type(args[0]) is not cls and name in ("rand", "randn"):
            # a tensor the dispatcher did not take (a HalfTensor): no [*T*] result of the
            # default type's function
            from .tensor_math import sized_invalid
            raise sized_invalid(cls, args, generator=True)
        res, args = args[0], args[1:]
    gen, rest = _split_gen(args)
    return (res if res is not None else cls()), gen, rest, given


def _checked_sizes(args, res, rest, method=False):
    """The sizes of rand/randn; else cwrap's invalid-arguments error (given args, its forms)."""
    rest = tuple(lua_tonumber(v) if isinstance(v, str) and lua_tonumber(v) is not None else v
                 for v in rest)
    # cwrap's LongArg is one argument at least (`narg >= k`): no sizes is invalid
    # (torch_islongargs: a torch.LongStorage, no other storage type, else numbers)
    ok = len(rest) == 1 and isinstance(rest[0], (LongStorage, list, tuple)) and not \
        messages.from_lua_table(rest[0]) or bool(rest) and all(
        isinstance(v, (int, float, np.number)) and not isinstance(v, (bool, np.bool_))
        for v in rest)
    if not ok:
        from .tensor_math import sized_invalid
        raise sized_invalid(type(res), args, method=method, generator=True)
    return rest


def rand(*args):
    """torch.rand([res,] [gen,] sizes...): uniform [0, 1) numbers (sizes or a LongStorage)."""
    res, gen, rest, given = _result_first(args, "rand", True)
    return _tensor_rand(res, gen, _checked_sizes(given, res, rest))


def randn(*args):
    """torch.randn([res,] [gen,] sizes...): standard normal numbers."""
    res, gen, rest, given = _result_first(args, "randn", True)
    return _tensor_randn(res, gen, _checked_sizes(given, res, rest))


def randperm(*args):
    """torch.randperm([res,] [gen,] n): a random permutation of 1..n (THTensor_randperm)."""
    _cwrap_check("randperm", args)
    res, gen, rest, _ = _result_first(args, "randperm", False)
    return _tensor_randperm(res, gen, rest)


def _tensor_rand(res, gen, rest):
    res.resize(*_sizes(rest))
    return _fill(res, gen._uniforms01(res.nElement()))


def _tensor_randn(res, gen, rest):
    res.resize(*_sizes(rest))
    return _fill(res, gen._normals(res.nElement(), 0.0, 1.0))


def _swap_shuffle(n, targets):
    """The order left by swapping positions i and targets[i] (>= i) for i = 0..n-2 in turn, as
    THTensor_randperm does in place, computed without the sequential loop.

    A[k], the value at position k when step k starts, is k unless an earlier step m aimed at k
    (the latest such m): then it is A[m]. Step i takes the value at targets[i]: A[i] if it aims at
    itself, else what the latest earlier step aiming at the same place left there, else the
    untouched targets[i]. The links m -> A[m] are followed to their root by pointer doubling."""
    if n == 1:
        return np.zeros(1, np.int64)
    steps = np.arange(n - 1, dtype=np.int64)
    order = np.argsort(targets, kind="stable")      # by target, then by step
    ts, ms = targets[order], steps[order]
    same = ts[1:] == ts[:-1]
    prev_same = np.full(n - 1, -1, np.int64)          # latest earlier step, same target
    prev_same[ms[1:][same]] = ms[:-1][same]
    last = np.ones(n - 1, bool)                       # the last step of each target's group
    last[:-1] = ~same
    lm, lt = ms[last], ts[last]
    own = lm == lt                                    # step k aiming at k is not before k
    before = np.full(n, -1, np.int64)                 # latest step m < k aiming at k
    before[lt[~own]] = lm[~own]
    before[lt[own]] = prev_same[lm[own]]
    root = np.where(before >= 0, before, np.arange(n))
    while True:
        nxt = root[root]
        if np.array_equal(nxt, root):
            break
        root = nxt
    perm = np.empty(n, np.int64)
    perm[:-1] = np.where(targets == steps, root[steps],
                         np.where(prev_same >= 0, root[np.maximum(prev_same, 0)], targets))
    perm[-1] = root[n - 1]
    return perm


def _tensor_randperm(res, gen, rest):
    if len(rest) != 1:
        raise TorchError("invalid arguments to randperm: expected [Generator] number")
    n = _c_long(rest[0], "n")
    if not n > 0:
        raise TorchError("bad argument #1 to '?' (must be strictly positive)")
    z = gen._draws(n - 1) % (n - np.arange(n - 1, dtype=np.uint64))
    vals = _swap_shuffle(n, (z + np.arange(n - 1, dtype=np.uint64)).astype(np.int64))
    res.resize(n)
    with np.errstate(over="ignore"):
        out = vals.astype(res.dtype)
        out += res.dtype.type(1)
    res.numpy()[...] = out
    return res


def multinomial(*args):
    """torch.multinomial([gen,] probs, n [, replacement=false]): LongTensor of 1-based category
    indices, one row per row of probs (THTensor_multinomial's binary search on the normalised
    cumulative distribution)."""
    _cwrap_check("multinomial", args)
    cls, args = _dispatch_type(args, "multinomial", True)
    return _multinomial(cls, args)


def _multinomial(cls, args):
    res = None
    if args and isinstance(args[0], Tensor) and len(args) > 1 and \
            isinstance(args[1], (Tensor, Generator)):
        res, args = args[0], args[1:]
    gen, rest = _split_gen(args)
    if not (2 <= len(rest) <= 3) or not isinstance(rest[0], Tensor):
        raise TorchError("invalid arguments to multinomial: expected [Generator] %s number "
                         "[boolean]" % cls.typename)
    prob = rest[0]
    n_sample = _c_long(rest[1], "n_sample")
    repl = rest[2] if len(rest) > 2 else False
    if not isinstance(repl, (bool, np.bool_)):
        raise TorchError("invalid arguments to multinomial: replacement must be a boolean")
    if prob.dtype.kind != "f":
        raise TorchError("invalid arguments to multinomial: probabilities must be a %s"
                         % cls.typename)
    long_cls = tensor_types["torch.LongTensor"]
    if res is None:
        res = long_cls()
    elif not isinstance(res, long_cls):
        raise TorchError("invalid arguments to multinomial: the result must be a LongTensor")
    nd = prob.dim()
    if nd == 0:  # THTensor_(size)(prob_dist, 0)'s check
        raise TorchError("bad argument #2 to '?' (dimension 1 out of range of 0D tensor)")
    if nd == 1:
        # THTensor_(resize2d)(prob_dist, 1, n): the user's vector gets contiguous strides (a
        # strided one is read from its first element on), and keeps them: resize1d at the end,
        # and the errors below leave it 1 x n
        prob._resize_nd([1, prob._size[0]])
    # TH reads prob_dist[i][j] at offset + i*stride[0] + j*stride[1] whatever its dimension
    # count: a tensor of more dimensions is read as its [i][j][1]... slice
    n_dist, n_cat = prob._size[0], prob._size[1]
    at = (prob._offset + np.arange(n_dist)[:, None] * prob._stride[0]
          + np.arange(n_cat)[None, :] * prob._stride[1])
    p = prob._storage._data[at].astype(np.float64)
    if not n_sample > 0:
        raise TorchError("bad argument #2 to '?' (cannot sample n_sample < 0 samples)")
    if not repl and n_sample > n_cat:
        raise TorchError("bad argument #2 to '?' (cannot sample n_sample > "
                         "prob_dist:size(1) samples without replacement)")
    res.resize(n_dist, n_sample)
    out = np.empty((n_dist, n_sample), dtype=np.int64)
    for i in range(n_dist):
        # (TH at 814ea4a checks only the sum: a negative entry makes a cumulative
        # distribution that is not monotone, which the binary search walks as it is)
        cum = np.cumsum(p[i])
        total = cum[-1]
        if not total > 0:
            raise TorchError("bad argument #2 to '?' "
                             "(invalid multinomial distribution (sum of probabilities <= 0))")
        cum /= total
        if repl:
            cum[-1] = 1.0
            out[i] = _bsearch(cum, gen._uniforms01(n_sample))
            continue
        for j in range(n_sample):
            u = gen._uniform01()
            cum[-1] = 1.0
            idx = int(_bsearch(cum, np.array([u]))[0])
            out[i, j] = idx
            if j == n_sample - 1:
                break
            before = cum[idx - 1] if idx else 0.0
            diff = cum[idx] - before
            cum[idx:] -= diff
            cum /= 1.0 - diff
    res.numpy()[...] = out + 1
    if nd == 1:
        res.resize(n_sample)
        prob._resize_nd([n_cat])
    return res


def multinomialAliasSetup(probs, state=None):
    """torch.multinomialAliasSetup(probs [, state]): the alias tables {J (LongTensor), q} of
    THTensor_multinomialAliasSetup; J holds 1-based alias indices, as Torch7 returns them."""
    long_cls = tensor_types["torch.LongTensor"]
    stated = messages.lua_type(state) == "table"
    if stated:  # init.lua: torch.multinomialAliasSetup_(probs, state[1], state[2])
        args = (probs, _lua_item(state, 0), _lua_item(state, 1))
    else:
        args = (probs,)
    if not isinstance(probs, Tensor) or probs.dtype.kind != "f" or stated and not (
            isinstance(args[1], long_cls) and type(args[2]) is type(probs)):
        # the dispatcher's error (TensorMath's cwrap check of each argument, nils included)
        from .tensor_math import _PUBLIC
        _PUBLIC["multinomialAliasSetup_"](*args)
        raise TorchError("torch.multinomialAliasSetup: expected a FloatTensor or DoubleTensor "
                         "of probabilities")
    # the tables init.lua hands over (state[1], state[2], checked above), else new ones
    J, q = (args[1], args[2]) if stated else (long_cls(), type(probs)())
    n = probs.nElement()
    dt = probs.dtype.type
    qv = (probs.numpy().reshape(-1) * dt(n)).astype(probs.dtype)
    alias = np.zeros(n, dtype=np.int64)
    small = [i for i in range(n) if qv[i] < 1.0]
    large = [i for i in range(n) if not qv[i] < 1.0]
    # The stack pairing is sequential (each step depends on the previous q update).
    while small and large:
        lg, sm = large[-1], small[-1]
        alias[sm] = lg
        qv[lg] -= dt(1.0) - qv[sm]
        if qv[lg] < 1.0:
            small[-1] = lg
            large.pop()
        else:
            small.pop()
    if n and not qv.min() > 0:
        raise TorchError("bad argument #2 to 'multinomialAliasSetup' (q_min is less than 0)")
    if n and qv.max() > 1:
        qv /= qv.max()
    qv[alias <= 0] = 1.0
    J.resize(n)
    q.resize(n)
    if n:
        J.numpy()[...] = alias + 1
        q.numpy()[...] = qv
    # init.lua: state[1], state[2] = ... (the same J and q, filled in place); return state
    return state if stated else [J, q]


def multinomialAlias(output, state, gen=None):
    """torch.multinomialAlias(output, state): fill the LongTensor output with 1-based samples
    from the alias tables (THTensor_multinomialAliasDraw: a uniform index, then a Bernoulli
    draw between it and its alias)."""
    long_cls = tensor_types["torch.LongTensor"]
    if gen is None:
        # init.lua: torch.DoubleTensor.multinomialAlias_(output, state[1], state[2]), at its
        # line 202 (what fails there names that line)
        kind = messages.lua_type(state)
        if kind in messages.NOT_INDEXABLE:
            raise messages.at_lua(TorchError(messages.msg("index_local", "state", kind)),
                                  'torch/init.lua:202')
        J, q = (_lua_item(state, 0), _lua_item(state, 1))
        double_cls = tensor_types["torch.DoubleTensor"]
        if not (isinstance(output, long_cls) and isinstance(J, long_cls)
                and isinstance(q, double_cls)):
            # the DoubleTensor method's cwrap check gives Torch7's "invalid arguments" text
            try:
                return double_cls.multinomialAlias_(output, J, q)
            except TorchError as e:
                raise messages.at_lua(e, 'torch/init.lua:202')
    gen = _gen if gen is None else gen
    J, q = state
    if not isinstance(output, long_cls):
        raise TorchError("invalid arguments to multinomialAlias: output must be a LongTensor")
    n = output.nElement()
    k = J.nElement()
    if n == 0:
        return output
    u = gen._uniforms01(2 * n)
    ind = (u[0::2] * k).astype(np.int64)
    qv = q.numpy().reshape(-1)[ind].astype(np.float64)
    take_self = u[1::2] <= qv
    # Torch7's wrapper hands J to the C draw 0-based (J - 1) and adds 1 to the output only,
    # while the draw subtracts 1 again from an alias: an alias sample comes out one below its
    # category (multinomialAliasSetup({0.2, 0.3, 0.5}) after manualSeed(123) draws 3 1 2 2 3 2 3).
    # Kept for parity.
    out = np.where(take_self, ind + 1, J.numpy().reshape(-1)[ind] - 1)
    output.numpy()[...] = out.reshape(output.numpy().shape)
    return output


def _lua_item(t, i):
    """Lua's t[i + 1] on a table (a list, or a mapping keyed by Lua's numbers) or a string
    (whose index is the string library: nil)."""
    if isinstance(t, (str, bytes)):
        return None
    try:
        return t[i]
    except (IndexError, KeyError, TypeError):
        get = getattr(t, "get", None)
        return get(i + 1) if get is not None else None


def _bsearch(cum, u):
    """THTensor_multinomial's binary search for many samples at once: the first slot whose
    cumulative value is not below u (exactly the C loop, even for a non-monotone cum).

    On a non-decreasing cum (any distribution of finite probabilities >= 0) that slot is
    searchsorted's left insertion point (found for the samples in increasing order, each search
    starting where the last ended, then put back in draw order); the lockstep loop below is
    for the rest (NaN, inf)."""
    if cum.shape[0] and bool((cum[:-1] <= cum[1:]).all()):
        if u.shape[0] < 64:
            return np.searchsorted(cum, u, side="left").astype(np.int64, copy=False)
        order = np.argsort(u)
        out = np.empty(u.shape, dtype=np.int64)
        out[order] = np.searchsorted(cum, u[order], side="left")
        return out
    lo = np.zeros(u.shape, dtype=np.int64)
    hi = np.full(u.shape, cum.shape[0], dtype=np.int64)
    last = cum.shape[0] - 1
    while True:
        active = hi > lo
        if not active.any():
            return lo
        mid = lo + (hi - lo) // 2
        below = cum[np.minimum(mid, last)] < u
        lo = np.where(active & below, mid + 1, lo)
        hi = np.where(active & ~below, mid, hi)


# -- tensor methods --------------------------------------------------------------------------------
_RANDOM_MOD = {
    np.dtype(np.uint8): 1 << 8,             # UCHAR_MAX + 1
    np.dtype(np.int8): 1 << 7,              # CHAR_MAX + 1
    np.dtype(np.int16): 1 << 15,            # SHRT_MAX + 1
    np.dtype(np.int32): 1 << 31,            # INT_MAX + 1
    np.dtype(np.int64): 1 << 63,            # LONG_MAX + 1
    np.dtype(np.float32): (1 << 24) + 1,    # (1 << FLT_MANT_DIG) + 1
    np.dtype(np.float64): (1 << 53) + 1,    # (1 << DBL_MANT_DIG) + 1
}


def _u64_to(values, dtype):
    """An unsigned long assigned to a `real`: integers wrap, floats round to nearest."""
    with np.errstate(over="ignore"):
        return values.astype(dtype)


def _t_random(self, *args):
    """Tensor:random([gen,] [a,] [b]): THTensor_random, random1__ or random2__ by argument count."""
    _cwrap_check("random", (self,) + args, method=True)
    gen, rest = _split_gen(args)
    bounds = _random_bounds(rest)
    n = self.nElement()
    if not bounds:
        vals = gen._draws(n) % np.uint64(_RANDOM_MOD[self.dtype])
    elif len(bounds) == 1:
        vals = gen._draws(n) % np.uint64(bounds[0]) + _ONE
    else:
        a, b = bounds
        # unsigned arithmetic: a negative lower bound wraps (a double tensor then gets ~2^64)
        vals = gen._draws(n) % np.uint64(_range_mod(a, b)) + np.uint64(a & _M64)
    return _fill(self, _u64_to(vals, self.dtype))


def _t_uniform(self, *args):
    """Tensor:uniform([gen,] [a=0,] [b=1]) (Float and Double tensors)."""
    _float_method(self, "uniform")
    _cwrap_check("uniform", (self,) + args, method=True)
    gen, rest = _split_gen(args)
    a, b = (_real(self, x) for x in _numbers(rest, (0.0, 1.0), "uniform"))
    return _fill(self, gen._uniforms01(self.nElement()) * (b - a) + a)


def _t_normal(self, *args):
    """Tensor:normal([gen,] [mean=0,] [stdv=1]) (Float and Double tensors)."""
    _float_method(self, "normal")
    _cwrap_check("normal", (self,) + args, method=True)
    gen, rest = _split_gen(args)
    mean, stdv = (_real(self, x) for x in _numbers(rest, (0.0, 1.0), "normal"))
    return _fill(self, gen._normals(self.nElement(), mean, stdv))


def _t_exponential(self, *args):
    """Tensor:exponential([gen,] lambda) (Float and Double tensors)."""
    _float_method(self, "exponential")
    _cwrap_check("exponential", (self,) + args, method=True)
    gen, rest = _split_gen(args)
    (lam,) = (_real(self, x) for x in _numbers(rest, (None,), "exponential"))
    with np.errstate(divide="ignore"):
        return _fill(self, _neg_inv(lam) * _log(1.0 - gen._uniforms01(self.nElement())))


def _t_cauchy(self, *args):
    """Tensor:cauchy([gen,] [median=0,] [sigma=1]) (Float and Double tensors)."""
    _float_method(self, "cauchy")
    _cwrap_check("cauchy", (self,) + args, method=True)
    gen, rest = _split_gen(args)
    median, sigma = (_real(self, x) for x in _numbers(rest, (0.0, 1.0), "cauchy"))
    u = gen._uniforms01(self.nElement())
    return _fill(self, median + sigma * _tan(math.pi * (u - 0.5)))


def _t_logNormal(self, *args):
    """Tensor:logNormal([gen,] [mean=1,] [stdv=2]) (Float and Double tensors)."""
    _float_method(self, "logNormal")
    _cwrap_check("logNormal", (self,) + args, method=True)
    gen, rest = _split_gen(args)
    mean, stdv = (_real(self, x) for x in _numbers(rest, (1.0, 2.0), "logNormal"))
    n = self.nElement()
    if n == 0:
        return self
    _check_log_normal(stdv)
    return _fill(self, _exp(gen._normals(n, mean, stdv)))


def _t_geometric(self, *args):
    """Tensor:geometric([gen,] p): integers >= 1, cast to the tensor's type."""
    _cwrap_check("geometric", (self,) + args, method=True)
    gen, rest = _split_gen(args)
    (p,) = _numbers(rest, (None,), "geometric")
    n = self.nElement()
    if n == 0:
        return self
    _check_geometric(p)
    return _fill(self, _geometric_values(gen._uniforms01(n), p).astype(self.dtype))


def _t_bernoulli(self, *args):
    """Tensor:bernoulli([gen,] [p=0.5]) or Tensor:bernoulli([gen,] probs) with probs a Float or
    Double tensor of as many elements (read in its own row-major order)."""
    _cwrap_check("bernoulli", (self,) + args, method=True)
    gen, rest = _split_gen(args)
    n = self.nElement()
    if len(rest) == 1 and isinstance(rest[0], Tensor):
        probs = rest[0]
        if probs.dtype.kind != "f":
            raise TorchError("invalid arguments to bernoulli: probabilities must be a "
                             "FloatTensor or a DoubleTensor, got %s" % probs.typename)
        if probs.nElement() != n:
            # TH_TENSOR_APPLY2(real, self, double, p, ...)'s check
            raise TorchError(messages.msg(
                "inconsistent_2", "self", messages.size_str(self._size), "p",
                messages.size_str(probs._size), n, probs.nElement()))
        if n == 0:
            return self
        p = probs.numpy().reshape(-1).astype(np.float64)
        bad = ~((p >= 0) & (p <= 1))
        if bad.any():
            # Torch7 checks each p as it goes: the elements before the bad one are drawn.
            k = int(np.argmax(bad))
            if k:
                full = self.numpy().reshape(-1).copy()
                full[:k] = gen._uniforms01(k) <= p[:k]
                _fill(self, full)
            _check_bernoulli(float(p[k]))
        return _fill(self, (gen._uniforms01(n) <= p).astype(self.dtype))
    (p,) = _numbers(rest, (0.5,), "bernoulli")
    if n == 0:
        return self
    _check_bernoulli(p)
    return _fill(self, (gen._uniforms01(n) <= p).astype(self.dtype))


def _t_rand(self, *args):
    """Tensor:rand([gen,] sizes...): resize then fill with uniform [0, 1) numbers."""
    _float_method(self, "rand")
    gen, rest = _split_gen(args)
    return _tensor_rand(self, gen, _checked_sizes((self,) + args, self, rest, True))


def _t_randn(self, *args):
    _float_method(self, "randn")
    gen, rest = _split_gen(args)
    return _tensor_randn(self, gen, _checked_sizes((self,) + args, self, rest, True))


def _t_randperm(self, *args):
    _cwrap_check("randperm", (self,) + args, method=True)
    gen, rest = _split_gen(args)
    return _tensor_randperm(self, gen, rest)


_METHODS = {
    "random": _t_random, "uniform": _t_uniform, "normal": _t_normal,
    "exponential": _t_exponential, "cauchy": _t_cauchy, "logNormal": _t_logNormal,
    "geometric": _t_geometric, "bernoulli": _t_bernoulli, "rand": _t_rand, "randn": _t_randn,
    "randperm": _t_randperm,
}


_FLOAT_METHODS = frozenset(("uniform", "normal", "exponential", "cauchy", "logNormal", "rand",
                            "randn"))


def _typed_method(name, fn, T):
    """T's method `name` as cwrap's T method: torch.DoubleTensor.uniform(3) has no T as self,
    and cwrap then tries the method table's forms without one ([Generator] [double] [double]:
    the torch.uniform number), else reports every form of T's table (invalid arguments)."""
    torch_fn = globals()[name]
    # multinomial's self is the LongTensor result (*LongTensor* [Generator] T int [boolean])
    own = Tensor if name == "multinomial" else T

    def method(self, *args):
        if isinstance(self, own):
            return fn(self, *args)
        if name in ("rand", "randn"):
            from .tensor_math import sized_invalid
            raise sized_invalid(T, (self,) + args, method=True, generator=True)
        from .tensor_math._dispatch import check_args
        check_args(name, T, (self,) + args, True)
        try:
            return torch_fn(self, *args)
        except TorchError as e:
            e.self_checked = True  # the form without self matched: its own error stands
            raise
    method.__name__ = name
    method.__qualname__ = "%s.%s" % (T.__name__, name)
    method.__doc__ = fn.__doc__
    return method


def install(tensor_base_class):
    """Add Torch7's random tensor methods (t.uniform(...), t.random(...), ...) to the classes."""
    # TensorMath.lua declares uniform/normal/cauchy/logNormal/exponential/rand/randn in the
    # method tables of Float and Double only: t:uniform() on a ByteTensor is a nil method
    for name, fn in _METHODS.items():
        if name not in _FLOAT_METHODS:  # any other subclass (a legacy type) keeps the plain one
            setattr(tensor_base_class, name, fn)
        names = ("torch.FloatTensor", "torch.DoubleTensor") if name in _FLOAT_METHODS else \
            [tn for tn, T in tensor_types.items() if issubclass(T, tensor_base_class)]
        for tn in names:
            setattr(tensor_types[tn], name, _typed_method(name, fn, tensor_types[tn]))
    # TensorMath's method table of Float/Double: p.multinomial(res, p, n [, replacement]),
    # where the result LongTensor is required
    for name in ("torch.FloatTensor", "torch.DoubleTensor"):
        tensor_types[name].multinomial = _typed_method("multinomial", _t_multinomial,
                                                       tensor_types[name])


def _t_multinomial(self, *args):
    # Lua's p.multinomial(res, p, n) passes res as self; Python's bound p.multinomial(res, ...)
    # passes p first
    # cwrap's method forms (TensorMath.lua: [*LongTensor*] [Generator] Tensor int [boolean]):
    # self is the result (p.multinomial(res, p, n)) or the probabilities (p:multinomial(n))
    long_cls = tensor_types["torch.LongTensor"]
    if not isinstance(self, long_cls):
        if not args or not isinstance(args[0], long_cls):
            _cwrap_check("multinomial", (self,) + args, method=True)
            return _multinomial(type(self), (self,) + args)
        self, args = args[0], args[1:]
    rest = _split_gen(args)[1]
    cls = type(rest[0]) if rest and isinstance(rest[0], Tensor) else default_tensor_type()
    return _multinomial(cls, (self,) + tuple(args))
