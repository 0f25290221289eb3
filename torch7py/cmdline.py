"""Torch7's torch.CmdLine: declare options and arguments, parse `arg`, print Torch7's help."""
from collections.abc import Mapping
import sys
import time

from . import messages
from .messages import at_lua, lua_type
from .luaorder import TableLayout, pairs_order
from .printing import lua_print

__all__ = ["CmdLine"]


def _strip(key):
    return key.lstrip("-")


def _lua_equal(a, b):
    """Lua's ==: values of different Lua types differ (0 ~= false, 1 ~= true)."""
    return lua_type(a) == lua_type(b) and a == b


def _lua_str(value):
    """Lua's tostring: numbers as '%.14g'."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return "%.14g" % value
    if value is None:
        return "nil"
    return str(value)


def _concat_str(value, local, line):
    """The text Lua's `..` makes of local's value: a string, a number ('%.14g'); anything else
    fails, at CmdLine.lua's line `line`."""
    kind = lua_type(value)
    if kind not in ("string", "number"):
        raise at_lua(TypeError(messages.msg("concat", "local '%s'" % local, kind)),
                     "torch/CmdLine.lua:%d" % line)
    return _lua_str(value)


class CmdLineExit(SystemExit):
    """Raised where Torch7's CmdLine calls os.exit (after -help, or on a parse error)."""


class CmdLine:
    """Command-line options as Torch7 parses them: `-name value`, booleans flip the default."""

    typename = "torch.CmdLine"
    # Python API beyond Torch7's class: a Lua script finds nil there, as in Torch7
    _py_only = frozenset(("logprint",))

    def __init__(self, argseparator=",", keyseparator="="):
        self.argseparator = argseparator
        self.keyseparator = keyseparator
        self.options = {}
        self.arguments = []
        self.helplines = []
        self.dateformat = None
        self.silentio = False
        # where print/help write; None: sys.stdout (a nil field, as the Tester's: CmdLine.lua's
        # object has no such field for pairs() or writeObject to see)
        self.out = None

    def silent(self):
        self.silentio = True

    def addTime(self, name=None, fmt=None):
        if fmt is None or fmt is False:  # format = format or '%Y-%m-%d %H:%M:%S'
            fmt = "%Y-%m-%d %H:%M:%S"
        if not isinstance(fmt, str):
            raise at_lua(TypeError("Argument has to be string"), 'torch/CmdLine.lua:79')
        # '[' .. name .. ']: ' (a number as Lua writes it)
        self.dateformat = fmt + ("[%s]: " % _concat_str(name, "name", 82)
                                 if name is not None else "")

    def option(self, key, default, help=None, type_=None):
        if default is None:
            _check_concat(key, "key", 97)
            raise at_lua(ValueError("option %s has no default value" % key),
                         'torch/CmdLine.lua:97')
        type_ = type_ or lua_type(default)
        if lua_type(default) != type_:
            _check_concat(key, "key", 101)
            raise at_lua(ValueError("option %s has wrong default type value" % key),
                         'torch/CmdLine.lua:101')
        entry = {"key": key, "default": default, "help": help, "type": type_}
        try:
            self.options[key] = entry
        except TypeError:  # a table as the key: Lua keys its options table by identity
            from .serialization.objects import LuaKey
            self.options[LuaKey(key)] = entry
        self.helplines.append(entry)

    def argument(self, key, help=None, type_=None):
        self.arguments.append({"key": key, "help": help, "type": type_})
        self.helplines.append(self.arguments[-1])

    def text(self, txt=""):
        if txt is None or txt is False:  # txt = txt or ''
            txt = ""
        if not isinstance(txt, str):  # assert(type(txt) == 'string')
            raise at_lua(TypeError("assertion failed!"), 'torch/CmdLine.lua:223')
        self.helplines.append(txt)

    def default(self):
        # Torch7 fills params in pairs() order of its options table (keys '-name', inserted in
        # the order the options were declared)
        return {_strip(k): self.options[k]["default"] for k in pairs_order(self.options)}

    def error(self, msg):
        self._print("")
        if not isinstance(msg, (str, int, float)) or isinstance(msg, bool):
            # CmdLine.lua's io.stderr:write(msg)
            raise at_lua(TypeError(messages.msg("bad_argument", 1, "write", messages.msg(
                "type_expected", "string", messages.lua_type_name(msg)))), "torch/CmdLine.lua:13")
        sys.stderr.write(str(msg))
        self._print("")
        self.help()
        raise CmdLineExit(1)

    def parse(self, arg=None):
        """Parse a list of strings (Python) or Lua's `arg` (1-based, arg[0] the script)."""
        if isinstance(arg, (bool, int, float)) or callable(arg):  # CmdLine.lua's #arg
            raise at_lua(TypeError(messages.msg("length_of", "local 'arg'",
                                                messages.lua_type_name(arg))),
                         "torch/CmdLine.lua:121")
        args = _as_list(arg if arg is not None else sys.argv[1:])
        params = self.default()
        n_argument = 0
        i = 0
        while i < len(args):
            a = args[i]
            if a in ("-help", "-h", "--help"):
                self.help(arg)
                raise CmdLineExit(0)
            option = self.options.get(a)
            if option is not None:
                if option["type"] == "boolean":
                    params[_strip(a)] = not option["default"]
                    i += 1
                    continue
                if i + 1 >= len(args):
                    self.error("missing argument for option " + a)
                value = args[i + 1]
                if option["type"] == "number":
                    value = messages.lua_tonumber(value)  # LuaJIT's tonumber: hex floats ('0x1p4') too
                    if value is None:
                        self.error("invalid type for option %s (should be number)" % a)
                elif option["type"] not in ("string", None):
                    self.error("unknown required option type " + option["type"])
                params[_strip(a)] = value
                i += 2
            else:
                n_argument += 1
                if n_argument > len(self.arguments):
                    self.error("invalid argument: " + str(a))
                argument = self.arguments[n_argument - 1]
                if argument["type"] and argument["type"] != "string":
                    self.error("invalid argument type for argument %s (should be %s)"
                               % (argument["key"], argument["type"]))
                params[_strip(argument["key"])] = a
                i += 1
        if n_argument != len(self.arguments):
            self.error("not enough arguments")
        return params

    def string(self, prefix, params, ignore=None):
        # CmdLine.lua: `prefix = prefix or ''`, then pairs(params) and ignore[k] as Lua runs them
        prefix = "" if prefix is None or prefix is False else prefix
        if lua_type(params) != "table":
            raise at_lua(TypeError(messages.pairs_error(params)), "torch/CmdLine.lua:147")
        kind = lua_type(ignore)
        if kind in messages.NOT_INDEXABLE and len(params):
            raise at_lua(TypeError(messages.msg("index_local", "ignore", kind)),
                         "torch/CmdLine.lua:148")
        ignore = ignore if kind == "table" else {}  # a string or an object indexes to nil
        arguments, options = {}, []
        items = params.items() if hasattr(params, "items") else enumerate(params, 1)
        for k, v in items:
            if ignore.get(k):
                self._print("-- ignore option " + _lua_str(k))
                continue
            k = _lua_str(k)  # a number key concatenates as Lua writes it
            opt = self.options.get("-" + k)
            if opt is not None:
                if not _lua_equal(v, opt["default"]) or ignore.get(k) is False:
                    v = ("t" if v else "f") if isinstance(v, bool) else _concat_str(v, "v", 159)
                    options.append(k + self.keyseparator + v)
                    # Torch7's CmdLine:string prints each option that differs from its default
                    self._print(k, v, opt["default"])
            else:
                narg = None
                for n, argument in enumerate(self.arguments):
                    if _strip(argument["key"]) == k:
                        narg = n
                if narg is not None:
                    arguments[narg] = k + self.keyseparator + _concat_str(v, "v", 170)
                else:
                    self._print("WARNING: unknown option/argument: " + k +
                                " IGNORING for DIRECTORY NAME")
        options.sort()
        # CmdLine.lua: table.concat(arguments, sep) over 1..#arguments of the table it filled
        # with arguments[narg] = ..., in the order above: LuaJIT's # of it (an argument
        # ignored or missing leaves a hole: concat fails on it, or stops before it)
        lay = TableLayout()
        for n in arguments:
            lay.set(("n", float(n + 1)))
        count = lay.length()
        for n in range(count):
            if n not in arguments:
                raise at_lua(TypeError("invalid value (nil) at index %d in table for 'concat'"
                                       % (n + 1)), "torch/CmdLine.lua:177")
        s = self.argseparator.join(arguments[n] for n in range(count))
        s = self.argseparator.join(options) if not s else \
            s + self.argseparator + self.argseparator.join(options)
        return prefix if not s else _concat_str(prefix, "prefix", 186) + self.argseparator + s

    def _print(self, *values):
        """Lua's print (the script's own print when called from Lua: CmdLine:log may have
        redefined it)."""
        lua_print(*values, out=getattr(self, "out", None) or sys.stdout)

    def log(self, filename, params=None):
        """Echo what is printed into filename too (Torch7 redefines print for this)."""
        self._logfile = open(filename, "w")
        self.logprint("[program started on %s]" % time.strftime("%a %b %d %H:%M:%S %Y"))
        self.logprint("[command line arguments]")
        for k, v in (params or {}).items():
            self.logprint(k, _lua_str(v))
        self.logprint("[----------------------]")

    def logprint(self, *values):
        text = [_lua_str(v) for v in values]
        if not self.silentio:
            (getattr(self, "out", None) or sys.stdout).write("\t".join(text) + "\n")
        if getattr(self, "_logfile", None) is not None:
            stamp = [time.strftime(self.dateformat)] if self.dateformat else []
            self._logfile.write(" ".join(stamp + text + ["\n"]))
            self._logfile.flush()

    def help(self, arg=None):
        w = (getattr(self, "out", None) or sys.stdout).write
        w("Usage: ")
        script = _script_name(arg)
        if script is not None:
            w(script + " ")
        w("[options]")
        for argument in self.arguments:
            w(" <" + _strip(argument["key"]) + ">")
        w("\n")
        width = 0
        for line in self.helplines:
            if isinstance(line, dict):
                if "default" in line:
                    width = max(width, len(line["key"]))
                else:
                    width = max(width, len(_strip(line["key"])) + 2)
        for line in self.helplines:
            if isinstance(line, dict):
                w("  ")
                if "default" in line:
                    w(line["key"].ljust(width))
                    # `if option.help then`: an empty help string is true in Lua
                    if line["help"] is not None:
                        w(" " + line["help"])
                    w(" [" + _lua_str(line["default"]) + "]")
                else:
                    w(("<" + _strip(line["key"]) + ">").ljust(width))
                    if line["help"] is not None:
                        w(" " + line["help"])
            else:
                w(line)
            w("\n")


def _check_concat(value, local, line):
    """Lua's `'...' .. local` fails on what is no string or number (CmdLine.lua's line)."""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise at_lua(TypeError(messages.msg("concat", "local '%s'" % local,
                                            messages.lua_type_name(value))),
                     "torch/CmdLine.lua:%d" % line)


def _as_list(arg):
    """Lua's arg table (keys 1..n, 0 the script) or a Python sequence, as a list of strings."""
    if isinstance(arg, Mapping):
        n = 0
        while (n + 1) in arg:
            n += 1
        return [str(arg[i]) for i in range(1, n + 1)]
    return [str(a) for a in arg]


def _script_name(arg):
    if isinstance(arg, Mapping):
        return arg.get(0)
    return None
