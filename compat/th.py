"""The `th` command: Torch7's th (trepl) on torch7py. Runs scripts, -e code, -l libraries, and an
interactive prompt that prints the values of expressions."""
import os
import sys

USAGE = """Usage: th [options] [script.lua [arguments]]

Options:
  -l name            require library name
  -e statement       execute statement
  -i                 enter the REPL after executing a script
  -h,--help          print this help
"""


def _error_exit(e):
    from .runtime import LuaError
    msg = str(e.args[0]) if isinstance(e, LuaError) and e.args else str(e)
    sys.stdout.flush()
    sys.stderr.write(msg.rstrip("\n") + "\n")
    sys.stderr.flush()
    return 1


def _pretty(rt, v, indent="", seen=None):
    """th's printing of a value at the prompt (tables shown as {key : value})."""
    tv = type(v)
    if tv is rt._TableType:
        seen = set() if seen is None else seen
        if id(v) in seen:
            return "<cycle>"
        seen.add(id(v))
        items = list(v.items())
        if not items:
            return "{}"
        lines = ["{"]
        for k, x in items:
            lines.append("%s  %s : %s" % (indent, _key(k), _pretty(rt, x, indent + "  ", seen)))
        lines.append(indent + "}")
        return "\n".join(lines)
    tostring = rt.lua.globals().tostring
    if tv is str:
        return v
    return str(tostring(v))


def _key(k):
    if isinstance(k, float) and k == int(k):
        k = int(k)
    return str(k)


def repl(rt):
    """Read lines, run them, print the values of expressions; Ctrl-D ends."""
    from .runtime import LuaError, LuaSyntaxError
    try:
        import readline  # noqa: F401  (line editing when available)
    except ImportError:
        pass
    loadstring = rt.lua.globals().loadstring
    buf = ""
    while True:
        try:
            line = input("th> " if not buf else "..> ")
        except EOFError:
            sys.stdout.write("\n")
            return 0
        except KeyboardInterrupt:
            sys.stdout.write("\n")
            buf = ""
            continue
        src = buf + line
        if src.startswith("="):
            src = "return " + src[1:]
        f = loadstring("return " + src, "=stdin")
        if type(f) is tuple:
            f = loadstring(src, "=stdin")
            if type(f) is tuple:
                err = str(f[1])
                if err.endswith("'<eof>'") or err.endswith("<eof>"):
                    buf = src + "\n"
                    continue
                buf = ""
                sys.stderr.write(err + "\n")
                continue
        buf = ""
        try:
            r = rt.T.xpcall(f)
        except (LuaError, LuaSyntaxError) as e:
            _error_exit(e)
            continue
        ok = r[0] if type(r) is tuple else r
        vals = r[1:] if type(r) is tuple else ()
        if not ok:
            sys.stdout.flush()
            sys.stderr.write(str(vals[0]) + "\n")
            continue
        for v in vals:
            sys.stdout.write(_pretty(rt, v) + "\n")
        sys.stdout.flush()


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    from .runtime import LuaError, LuaRuntime, LuaSyntaxError
    libs, stmts, interactive = [], [], False
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("-h", "--help"):
            sys.stdout.write(USAGE)
            return 0
        if a == "-i":
            interactive = True
        elif a.startswith("-l"):
            if len(a) > 2:
                libs.append(a[2:])
            else:
                i += 1
                if i >= len(argv):
                    sys.stderr.write("th: -l needs a library name\n")
                    return 1
                libs.append(argv[i])
        elif a.startswith("-e"):
            if len(a) > 2:
                stmts.append(a[2:])
            else:
                i += 1
                if i >= len(argv):
                    sys.stderr.write("th: -e needs a statement\n")
                    return 1
                stmts.append(argv[i])
        elif a == "--":
            i += 1
            break
        elif a.startswith("-") and a != "-":
            sys.stderr.write("th: unknown option %s\n%s" % (a, USAGE))
            return 1
        else:
            break
        i += 1
    script = argv[i] if i < len(argv) else None
    args = argv[i + 1:] if script else []
    rt = LuaRuntime(argv=args, script=script)
    try:
        for lib in libs:
            rt.execute("require '%s'" % lib.replace("'", "\\'"), "=(command line)")
        for code in stmts:
            rt.execute(code, "=(command line)")
        if script:
            if script != "-" and not os.path.exists(script):
                sys.stderr.write("th: cannot open %s\n" % script)
                return 1
            rt.dofile(script if script != "-" else "/dev/stdin")
    except (LuaError, LuaSyntaxError) as e:
        return _error_exit(e)
    finally:
        sys.stdout.flush()
    if interactive or (not script and not stmts):
        return repl(rt)
    return 0


if __name__ == "__main__":
    sys.exit(main())
