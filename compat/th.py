"""The `th` command: Torch7's th (trepl) on torch7py. Runs scripts, -e code, -l libraries, and an
interactive prompt that prints the values of expressions."""
import os
import sys
import time

from . import blas_env

# trepl's th prints this with print(): its long string ends with a space before the newline
USAGE = """Usage: th [options] [script.lua [arguments]]

Options:
  -l name            load library name
  -e statement       execute statement
  -h,--help          print this help
  -a,--async         preload async (libuv) and start async repl (BETA)
  -g,--globals       monitor global variables (print a warning on creation/access)
  -gg,--gglobals     monitor global variables (throw an error on creation/access)
  -x,--gfx           start gfx server and load gfx env
  -i,--interactive   enter the REPL after executing a script \n"""


# the `-e` chunk luarocks puts last in the wrapper of every rock's program (th's included)
LUAROCKS_LOADER = 'local k,l,_=pcall(require,"luarocks.loader") _=k and l.add_context("trepl","scm-1")'

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
        line = input(prompt)
    except EOFError:
        return None
    if not sys.stdin.isatty():
        # th reads its prompt with GNU readline, which writes the line it read after the
        # prompt when the input is no terminal (`th < commands.txt`)
        sys.stdout.write(line + "\n")
    return line


# the banner trepl prints when its prompt starts: (text, trepl.colorize colour) pieces per line
_BANNER = (
    ((" ", None),),
    (("  ______             __   ", None), ("|  Torch7", "Black"), (" ", None)),
    ((" /_  __/__  ________/ /   ", None), ("|  ", "Black"),
     ("Scientific computing for Lua.", "magenta"), (" ", None)),
    (("  / / / _ \\/ __/ __/ _ \\  ", None), ("|  Type ? for help", "Black"), (" ", None)),
    ((" /_/  \\___/_/  \\__/_//_/  ", None), ("|  ", "Black"),
     ("https://github.com/torch", "blue"), (" ", None)),
    (("                          ", None), ("|  ", "Black"), ("http://torch.ch", "blue"),
     (" ", None)),
)


def _colored(rt, text, colour):
    """trepl.colorize's colour(text): the escapes are blank where stdout is no terminal."""
    if colour is None:
        return text
    colors = rt.globals.require("trepl.colors")
    return colors[colour] + text + colors["none"]


def repl(rt):
    """th's prompt: each line is evaluated; an expression's values are printed."""
    try:
        import readline  # noqa: F401  (line editing when available)
    except ImportError:
        pass
    R = rt.trepl
    say = rt.globals.print  # th's print: a tab after the banner
    say("\n".join("".join(_colored(rt, t, c) for t, c in line) for line in _BANNER) + "\n")
    while True:
        try:
            line = _read("th> ")
            if line is None or line == "exit":
                sys.stdout.write("Do you really want to exit ([y]/n)? ")
                sys.stdout.flush()
                answer = _read("")
                if answer is None or answer == "" or answer.lower() == "y":
                    if answer is None:
                        say("")  # trepl's print(''): a tab and a newline
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
                # a tab) and is not evaluated; with dok loaded (compat/dok.lua), '? name' is
                # the line help(name) (torch7py ships no manuals: 'undocumented symbol')
                rest = line.lstrip()[1:]
                if rest.strip() == "":
                    sys.stdout.write(HELP)
                    continue
                line = "help(" + rest + ")"
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
            sys.stdout.write(" " * 70)
            sys.stdout.flush()
            say(_colored(rt, "[%0.04fs]" % (time.time() - start), "Black"))
        except KeyboardInterrupt:
            sys.stdout.write("\n")
        finally:
            sys.stdout.flush()


def _parse(argv):
    """trepl's th reads its arguments in one pass: -l libraries load where they stand, the
    first argument that is not an option is the script (the rest are its arguments), and once a
    -e statement is read every later argument but -lNAME is ignored (the script too). Returns
    the actions in order and the script with its arguments."""
    actions, script, progargs, statement, nextarg = [], None, None, None, None
    for a in argv:
        lib = None
        if nextarg == "exec":
            statement, nextarg = a, None
            actions.append(("statement", a))
        elif nextarg == "lib":
            lib, nextarg = a, None
        elif progargs is None and a.startswith("-l") and len(a) > 2:
            lib = a[2:]
        if lib is not None:
            actions.append(("lib", lib))
        elif progargs is not None:
            progargs.append(a)
        elif statement is None:
            if not a.startswith("-"):
                script, progargs = a, []
                continue
            option = a[2:] if a.startswith("--") else None
            short = a[1:] if option is None else None
            if short == "h" or option == "help":
                actions.append(("help", None))
                break
            if short == "i" or option == "interactive":
                actions.append(("interactive", None))
            elif short == "e":
                nextarg = "exec"
            elif short == "a" or option == "async":
                actions.append(("async", None))
                break  # require 'async' fails: th ends there
            elif short == "g" or option == "globals":
                actions.append(("globals", False))
            elif short == "gg" or option == "gglobals":
                actions.append(("globals", True))
            elif short == "x" or option == "gfx":
                actions.append(("gfx", None))
            elif short == "l":
                nextarg = "lib"
            else:
                actions.append(("unknown", option if option is not None else short))
                break
    return actions, script, progargs or []


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    blas_env.request_blas_kernels("fused")
    from .runtime import LuaError, LuaRuntime, LuaSyntaxError, lua_message
    actions, script, args = _parse(argv)
    kinds = [k for k, _ in actions]
    interactive = "interactive" in kinds
    statement = next((v for k, v in actions if k == "statement"), None)
    # Torch7's C loops compute inf and NaN silently: no numpy floating-point warning reaches
    # th's stderr from a kernel that has no errstate of its own (a diverging model's NaNs)
    import numpy
    numpy.seterr(all="ignore")
    # th is a C program: a write to a closed pipe (`th s.lua | head`) ends it by SIGPIPE,
    # silently; Python ignores the signal and its print raised '[Errno 32] Broken pipe'
    import signal
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    # trepl's th is a Lua script run by luajit: `arg` is luajit's (th's own path at 0, every
    # argument after it) until a script is named; then the script's arguments, and the
    # entries at 0 and below copied from luajit's arg, so arg[0] is th's path, not the
    # script's (CmdLine's `-h` usage line prints it)
    rt = LuaRuntime(argv=args if script is not None else argv, script=os.path.abspath(sys.argv[0]))
    # below 0, the luarocks wrapper's command line: its last `-e` chunk (the same text in every
    # install; xlua.OptionParser's usage prints it before arg[0]); the earlier entries (the
    # install's package.path chunk, luajit's path) are the machine's and are left out
    rt.globals.arg[-1] = LUAROCKS_LOADER
    rt.globals.arg[-2] = "-e"
    rt.enable_trepl()
    # th is Lua's process: the prompt's evaluations print File.lua's warnings too
    from torch7py.serialization import objects
    objects.field_warning = rt.field_warning
    # `require 'trepl'` gives what trepl's init.lua returns: the prompt, as a function
    rt.globals.package.loaded.trepl = rt.to_lua(lambda *_: repl(rt))
    say = rt.globals.print  # trepl's print (a tab after each value), once trepl is loaded

    def plain(text):  # th's argument loop runs before trepl replaces print: Lua's own print
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
    globs = None
    try:
        for kind, value in actions:
            if kind == "lib":
                try:
                    rt.execute("require '%s'" % value.replace("'", "\\'"), "=(command line)")
                except LuaError as e:  # as Torch7's th: say so and go on
                    plain("could not load %s, skipping" % value)
                    plain(lua_message(e))
            elif kind == "help":
                plain(USAGE[:-1])
                return 0
            elif kind == "unknown":
                plain("Error: unrecognized flag --" + value)
                plain(USAGE[:-1])
                return 0
            elif kind == "async":
                rt.execute("async = require 'async'", "=(command line)")
            elif kind == "globals":
                globs = value
        startup = os.environ.get("TREPLSTARTUP")
        if startup and not (interactive or statement is not None):
            rt.dofile(startup)
        if "gfx" in kinds:  # gfx.js is not part of torch7py
            say("could not load gfx.js, please install with: luarocks install gfx.js")
        if globs is not None:
            rt.globals.monitor_G(True if globs else None)
        if statement is not None:
            # as Torch7's th: the statement runs under pcall; a failure prints its message
            # (no traceback) through th's print and th ends with status 0
            try:
                rt.execute(statement, statement)
            except LuaSyntaxError:
                # th's loadstring(statement) gave nil and pcall(nil) fails as a call of nil
                say("attempt to call a nil value")
                return 0
            except LuaError as e:
                say(lua_message(e))
                return 0
            if not interactive:
                return 0
        elif script:
            if not os.path.exists(script):
                sys.stderr.write("th: cannot open %s\n" % script)
                return 1
            api = getattr(rt, "pairs_api", None)
            if api is not None:
                api.forget_made()  # pairs_order.lua: the strings the script makes from here
            rt.dofile(script)
    except (LuaError, LuaSyntaxError) as e:
        return _error_exit(e)
    except KeyboardInterrupt:
        sys.stdout.flush()
        sys.stderr.write("interrupted\n")
        return 130
    finally:
        sys.stdout.flush()
    if interactive or not script:
        return repl(rt)
    return 0


if __name__ == "__main__":
    sys.exit(main())
