"""The `th` command: Torch7's th (trepl) on torch7py. Runs scripts, -e code, -l libraries, and an
interactive prompt that prints the values of expressions."""
import os
import sys
import time

USAGE = """Usage: th [options] [script.lua [arguments]]

Options:
  -l name            load library name
  -e statement       execute statement
  -h,--help          print this help
  -i,--interactive   enter the REPL after executing a script
"""


HELP = """  ______             __
 /_  __/__  ________/ /
  / / / _ \\/ __/ __/ _ \\
 /_/  \\___/_/  \\__/_//_/

th is an enhanced interpreter (repl) for Torch7/Lua.

Features:\x20

   Tab-completion on nested namespaces
   Tab-completion on disk files (when opening a string)
   History stored in:

      _RESULTS\x20
      _LAST\x20

   Pretty print (table introspection and coloring)
   Auto-print after eval (no need for '='), can be stopped with ;\x20
   Each command is profiled, timing is reported
   Easy help on functions/packages:

      ? torch.randn\x20

   Documentation browsable with:

      browse()\x20
      browse(package)\x20

   Shell commands with:

      $ ls -l\x20

   and the string result can be retrieved with:

      _LAST\x20

   Print all user globals with:

      who()\x20

   Clear screen with:

      <Ctrl> L\x20

   Quit Torch7 with:

      <Ctrl> D\x20

   Import a package's symbols globally with:

      import 'torch'\x20

   Require is overloaded to provide relative (form within a file) search paths:

      require './local/lib'\x20

   Optional strict global namespace monitoring:

      th -g\x20

   Optional async repl (based on https://github.com/clementfarabet/async):

      th -a\x20

   Using colors:

      c = require 'trepl.colorize'\x20
      print(c.red('a red string') .. c.blue('a blue string'))
\t
"""


def _error_exit(e):
    from .runtime import LuaError
    msg = str(e.args[0]) if isinstance(e, LuaError) and e.args else str(e)
    sys.stdout.flush()
    sys.stderr.write(msg.rstrip("\n") + "\n")
    sys.stderr.flush()
    return 1


def _read(prompt):
    try:
        return input(prompt)
    except EOFError:
        return None


def repl(rt):
    """th's prompt: each line is evaluated; an expression's values are printed."""
    try:
        import readline  # noqa: F401  (line editing when available)
    except ImportError:
        pass
    R = rt.trepl
    if sys.stdin.isatty():
        sys.stdout.write("\n  torch7py th: Torch7's interpreter on torch7py (LuaJIT %s)\n"
                         "  exit or Ctrl-D quits\n\n" % rt.lua.eval("jit.version"))
    while True:
        try:
            line = _read("th> ")
            if line is None or line == "exit":
                sys.stdout.write("Do you really want to exit ([y]/n)? ")
                sys.stdout.flush()
                answer = _read("")
                if answer is None or answer == "" or answer.lower() == "y":
                    if answer is None:
                        sys.stdout.write("\n")
                    return 0
                continue
            if line == "break":
                return 0
            if line.lstrip().startswith("$"):
                import subprocess
                subprocess.run(line.lstrip()[1:], shell=True)
                continue
            if line.lstrip().startswith("?"):
                # trepl's help shortcut: '?' alone prints th's help (a string: th's print adds
                # a tab); '? name' needs dok's manuals, which torch7py does not ship (trepl's
                # message when dok is missing); either way the line is not evaluated
                rest = line.lstrip()[1:]
                sys.stdout.write(HELP if rest == "" else "error: could not load help backend\n")
                continue
            while not R.complete(line):
                more = _read("..> ")
                if not more:
                    break
                line = line + "\n" + more
            start = time.time()
            R.eval(line)
            if rt.pending_exit is not None:
                e, rt.pending_exit = rt.pending_exit, None
                raise e
            # trepl times every line it evaluates (70 spaces, then th's print of the time)
            sys.stdout.write(" " * 70 + "[%0.04fs]\t\n" % (time.time() - start))
        except KeyboardInterrupt:
            sys.stdout.write("\n")
        finally:
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
        if a in ("-i", "--interactive"):
            interactive = True
        elif a[:2] in ("-l", "-e"):
            value = a[2:]
            if not value:
                i += 1
                if i >= len(argv):
                    sys.stderr.write("th: %s needs %s\n" % (
                        a, "a library name" if a == "-l" else "a statement"))
                    return 1
                value = argv[i]
            (libs if a[1] == "l" else stmts).append(value)
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
    # Torch7's C loops compute inf and NaN silently: no numpy floating-point warning reaches
    # th's stderr from a kernel that has no errstate of its own (a diverging model's NaNs)
    import numpy
    numpy.seterr(all="ignore")
    rt = LuaRuntime(argv=args, script=script)
    rt.enable_trepl()
    # `require 'trepl'` gives what trepl's init.lua returns: the prompt, as a function
    rt.globals.package.loaded.trepl = rt.to_lua(lambda *_: repl(rt))
    try:
        for lib in libs:
            try:
                rt.execute("require '%s'" % lib.replace("'", "\\'"), "=(command line)")
            except LuaError as e:  # as Torch7's th: say so and go on
                sys.stdout.write("could not load %s, skipping\n" % lib)
                sys.stdout.write(str(e.args[0] if e.args else e).rstrip("\n") + "\n")
        for code in stmts:
            # as Torch7's th: the statement runs under pcall; a failure prints its message
            # (no traceback) through th's print and th ends with status 0
            try:
                rt.execute(code, code)
            except LuaSyntaxError:
                # th's loadstring(statement) gave nil and pcall(nil) fails as a call of nil
                rt.globals.print("attempt to call a nil value")
                return 0
            except LuaError as e:
                from .runtime import lua_message
                rt.globals.print(lua_message(e))
                return 0
        if script:
            if script != "-" and not os.path.exists(script):
                sys.stderr.write("th: cannot open %s\n" % script)
                return 1
            rt.dofile(script if script != "-" else "/dev/stdin")
    except (LuaError, LuaSyntaxError) as e:
        return _error_exit(e)
    except KeyboardInterrupt:
        sys.stdout.flush()
        sys.stderr.write("interrupted\n")
        return 130
    finally:
        sys.stdout.flush()
    if interactive or (not script and not stmts):
        return repl(rt)
    return 0


if __name__ == "__main__":
    sys.exit(main())
