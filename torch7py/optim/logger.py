"""optim.Logger: Torch7's training logger (a tab-separated log file, and plots; matplotlib draws
them as PNG where Torch7 used gnuplot)."""
import numbers
import os
import sys
import time
from collections.abc import Mapping

from .. import messages
from ..printing import lua_number_arg, lua_print

_GNUPLOT_STYLES = {  # gnuplot style -> matplotlib (linestyle, marker)
    "+": ("none", "+"), "-": ("-", ""), ".": ("none", "."), "~": ("-", ""),
    "+-": ("-", "+"), "-+": ("-", "+"), "|": ("none", "|"), "o": ("none", "o"),
}


_WHERE = "optim/Logger.lua:%d"  # (optim a5ceed7's lines, as the reference build prints them)


def _items(symbols, length_of=None, line=None):
    """A Lua table's pairs: a dict's items, or a list's (1-based index, value). Lua's errors
    for anything else: Logger.lua's #local first where length_of names it (at line `line`),
    else pairs' (at the next line where length_of names it, else at `line`)."""
    if isinstance(symbols, Mapping):
        return list(symbols.items())
    if isinstance(symbols, (list, tuple)):
        return list(enumerate(symbols, 1))
    kind = messages.lua_type(symbols)
    if length_of and kind not in ("string", "table", "userdata"):  # (a tensor has #)
        e = TypeError(messages.msg("length_of", "local '%s'" % length_of, kind))
        raise e if line is None else messages.at_lua(e, _WHERE % line)
    e = TypeError(messages.pairs_error(symbols))
    if line is not None:
        messages.at_lua(e, _WHERE % (line + 1 if length_of else line))
    raise e


def _xlua_error(key):
    """xlua.error(text, 'Logger'): its position is xlua's own error(col_msg) at
    xlua/init.lua:321, not the caller's."""
    return messages.at_lua(TypeError(messages.xlua_error(messages.msg(key), "Logger")),
                           messages.XLUA_ERROR_WHERE)


class Logger:
    """Logger(filename=None, timestamp=False): add rows of named numbers, write them to the file
    (stdout without a filename), plot them."""

    typename = "optim.Logger"

    def __init__(self, filename=None, timestamp=False):
        if filename:
            self.name = filename
            dirname = os.path.dirname(filename)
            if dirname:
                os.makedirs(dirname, exist_ok=True)
            if timestamp:
                # a unique log file per run, Torch7's os.date("%Y_%m_%d_%X")
                filename = filename + "-" + time.strftime("%Y_%m_%d_%H:%M:%S")
            self.file = open(filename, "w")
            self.epsfile = self.name + ".eps"
        else:
            self.file = sys.stdout
            self.name = "stdout"
            self.epsfile = None
            lua_print("<Logger> warning: no path provided, logging to std out")
        self.empty = True
        self.symbols = {}
        self.styles = {}
        self.names = {}
        self.idx = {}
        self.figure = None
        self.showPlot = True
        self.plotRawCmd = None
        self.defaultStyle = "+"
        self.logscale = False
        # (nsymbols and warned are set by setNames/add and plot: nil until then, as in Logger.lua)

    @property
    def pngfile(self):
        """Where plot draws (<filename>.png; none for stdout): no field of the Lua object."""
        return None if self.epsfile is None else self.name + ".png"

    def setNames(self, names):
        """Name the columns in order; later rows are lists of values in that order."""
        self.names = dict(_items(names, "names", 70))
        self.empty = False
        self.nsymbols = _lua_len(self.names)
        for k, key in self.names.items():
            self.file.write(str(key) + "\t")
            self.symbols[k] = []
            self.styles[k] = [self.defaultStyle]
            self.idx[key] = k
        self.file.write("\n")
        self.file.flush()
        return self

    def add(self, symbols):
        """Log one row: a dict {name: value} or a list in setNames' order (numbers/strings),
        written as Logger.lua writes it: the names' row first (the first time), then each value
        (%11.4e, LuaJIT's rounding) until one is neither a number nor a string."""
        items = _items(symbols, "symbols", 86) if self.empty else _items(symbols, None, 97)
        if self.empty:
            self.empty = False
            self.nsymbols = _lua_len(dict(items))
            for k, _ in items:
                self.file.write(str(k) + "\t")
                self.symbols[k] = []
                self.styles[k] = [self.defaultStyle]
                self.names[k] = k
            self.idx = self.names
            self.file.write("\n")
        for k, val in items:
            if isinstance(val, numbers.Real) and not isinstance(val, bool):
                self.file.write("%11.4e\t" % lua_number_arg("e", 4, float(val)))
            elif isinstance(val, str):
                self.file.write(val + "\t")
            else:
                raise _xlua_error("logger_log_type")
        self.file.write("\n")
        self.file.flush()
        for k, val in items:
            if k not in self.symbols:  # Logger.lua: table.insert(self.symbols[k], val)
                raise messages.at_lua(KeyError(messages.msg(
                    "bad_argument", 1, "insert", messages.msg("type_expected", "table", "nil"))),
                    _WHERE % 110)
            self.symbols[k].append(val)

    def style(self, symbols):
        """Plot styles per symbol: a gnuplot style string ('+', '-', '.', '~', '+-', '|') or a
        list of them."""
        for name, st in _items(symbols, None, 115):
            if isinstance(st, str):
                self.styles[name] = [st]
            elif isinstance(st, (list, tuple, Mapping)):
                self.styles[name] = [v for _, v in _items(st)]
            else:
                raise _xlua_error("logger_style_type")
        return self

    def setlogscale(self, value=True):
        self.logscale = value

    def display(self, value):
        self.showPlot = value

    def plot(self, *names):
        """Draw the logged symbols (all, or the given names) to <filename>.png with matplotlib
        (Torch7 drew <filename>.eps with gnuplot). Says so once when matplotlib is missing."""
        try:
            import matplotlib
            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
        except ImportError:
            if not getattr(self, "warned", None):
                # our own warning (Torch7 plotted with gnuplot): stderr, so that what a
                # script prints does not depend on matplotlib being installed
                sys.stderr.write("<Logger> warning: cannot plot: matplotlib is not installed "
                                 "(pip install matplotlib)\n")
                self.warned = True
            return None
        if names:
            keys = [self.idx[n] for n in names]
        else:
            keys = list(self.symbols)
        curves = []
        for k in keys:
            values = self.symbols[k]
            if len(values) > 1:
                for st in self.styles.get(k, [self.defaultStyle]):
                    curves.append((self.names.get(k, k), values, st))
        if not curves:
            return None
        fig, ax = plt.subplots()
        for label, values, st in curves:
            ls, marker = _GNUPLOT_STYLES.get(st, ("-", ""))
            ax.plot(range(1, len(values) + 1), [float(v) for v in values], linestyle=ls,
                    marker=marker, label=str(label))
        if self.logscale:
            ax.set_yscale("log")
        ax.grid(True)
        ax.legend()
        ax.set_title("<Logger::%s>" % self.name)
        path = self.pngfile or "stdout.png"
        fig.savefig(path)
        plt.close(fig)
        return path


def _lua_len(d):
    """Lua's # of a table given as {key: value}: its run of keys 1, 2, ... (0 for names)."""
    n = 0
    while (n + 1) in d:
        n += 1
    return n
