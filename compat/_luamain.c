/* Python calls from Lua coroutines run on the main Lua thread.
 *
 * lupa (the Python-LuaJIT binding) keeps, in every Lua value it wraps for Python
 * (init_lua_object), the lua_State it was running on when the value crossed into Python, and
 * luaL_unrefs / calls through that state later. When the state is a coroutine's, the wrapper
 * outlives it as soon as Lua collects the coroutine: Python dropping (or calling) the value then
 * touches freed memory (SIGSEGV; lupa issue 84). Every Lua-to-Python crossing goes through the
 * C functions of lupa's metatable of Python objects (POBJECT: __call, __index, __newindex,
 * __tostring...). luaopen_luamain gives Lua `wrap(f)`: a C closure that calls the C function f
 * directly on the main thread, and, on any other thread, moves its arguments to the main
 * thread, calls f there under lua_pcall and moves the results (or the error) back. lupa then
 * only ever sees the main lua_State: what it wraps is anchored in it (like the values made
 * outside coroutines), and its runtime never switches to a coroutine's state.
 *
 * The main thread is suspended in coroutine.resume at that point; LuaJIT keeps its top above
 * the resume's arguments, so the call's frame goes above them (lupa's own Python-to-Lua calls
 * made during such a call already run on the main thread the same way), and LuaJIT sets its
 * current thread back to the caller when a C function returns (vm_x64.dasc's BC_FUNCC).
 * Lua code that Python calls back meanwhile runs on the main thread: coroutine.yield there
 * fails, as it did before (a yield across the C call).
 *
 * The library has no link-time dependency on Lua: the Python module's bind(path) resolves the
 * Lua C API in lupa's own LuaJIT (its extension module exports it), and Lua loads
 * luaopen_luamain from this same file with package.loadlib. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <dlfcn.h>
#include <stddef.h>

typedef struct lua_State lua_State;
typedef int (*lua_CFunction)(lua_State *L);

#define LUA_MULTRET (-1)
#define LUA_GLOBALSINDEX (-10002)
#define lua_upvalueindex(i) (LUA_GLOBALSINDEX - (i))

static int (*p_gettop)(lua_State *);
static void (*p_settop)(lua_State *, int);
static int (*p_checkstack)(lua_State *, int);
static void (*p_xmove)(lua_State *, lua_State *, int);
static int (*p_pcall)(lua_State *, int, int, int);
static int (*p_error)(lua_State *);
static lua_State *(*p_tothread)(lua_State *, int);
static lua_CFunction (*p_tocfunction)(lua_State *, int);
static void (*p_pushcclosure)(lua_State *, lua_CFunction, int);
static int (*p_pushthread)(lua_State *);
static void (*p_pushvalue)(lua_State *, int);
static void (*p_pushstring)(lua_State *, const char *);
static void (*p_insert)(lua_State *, int);
static void (*p_call)(lua_State *, int, int);
static const char *(*p_getupvalue)(lua_State *, int, int);
static int bound;

/* on_main's call on another thread than the main one: the function (upvalue 1) and the
 * arguments move to the main thread, run there under lua_pcall, the results (or the error)
 * come back */
static int moved(lua_State *L, lua_State *M)
{
    int n = p_gettop(L), base, status, nres;
    if (!p_checkstack(M, n + 21) || !p_checkstack(L, 1)) {
        p_pushstring(L, "stack overflow");
        return p_error(L);
    }
    base = p_gettop(M);
    p_pushvalue(L, lua_upvalueindex(1));
    p_insert(L, 1);
    p_xmove(L, M, n + 1);
    status = p_pcall(M, n, LUA_MULTRET, 0);
    nres = status ? 1 : p_gettop(M) - base;
    if (!p_checkstack(L, nres + 1)) {
        p_settop(M, base);
        p_pushstring(L, "stack overflow");
        return p_error(L);
    }
    p_xmove(M, L, nres);
    p_settop(M, base);
    if (status)
        return p_error(L);
    return nres;
}

/* upvalue 1: a C function without upvalues; upvalue 2: the main thread. On the main thread
 * the C function is called directly, as if it were in on_main's place */
static int on_main(lua_State *L)
{
    lua_State *M = p_tothread(L, lua_upvalueindex(2));
    if (L == M)
        return p_tocfunction(L, lua_upvalueindex(1))(L);
    return moved(L, M);
}

/* the same for a C closure (its upvalues are its own: called as a value) */
static int on_main_closure(lua_State *L)
{
    lua_State *M = p_tothread(L, lua_upvalueindex(2));
    if (L == M) {
        int n = p_gettop(L);
        p_pushvalue(L, lua_upvalueindex(1));
        p_insert(L, 1);
        p_call(L, n, LUA_MULTRET);
        return p_gettop(L);
    }
    return moved(L, M);
}

/* wrap(f): on_main over the C function f; upvalue 1: the main thread */
static int wrap(lua_State *L)
{
    int closure;
    if (p_tocfunction(L, 1) == NULL) {
        p_pushstring(L, "wrap: C function expected");
        return p_error(L);
    }
    closure = p_getupvalue(L, 1, 1) != NULL;
    if (closure)
        p_settop(L, -2);
    p_pushvalue(L, 1);
    p_pushvalue(L, lua_upvalueindex(1));
    p_pushcclosure(L, closure ? on_main_closure : on_main, 2);
    return 1;
}

/* called on the main thread: wrap, bound to it */
int luaopen_luamain(lua_State *L)
{
    if (!bound)  /* (bind() not called: the Lua API is unknown, nothing can be pushed) */
        return 0;
    if (!p_pushthread(L)) {
        p_pushstring(L, "luaopen_luamain: call it on the main thread");
        return p_error(L);
    }
    p_pushcclosure(L, wrap, 1);
    return 1;
}

static PyObject *bind(PyObject *self, PyObject *args)
{
    const char *path;
    void *h;
    (void)self;
    if (!PyArg_ParseTuple(args, "s", &path))
        return NULL;
    h = dlopen(path, RTLD_NOW | RTLD_NOLOAD);
    if (h == NULL)
        return PyErr_Format(PyExc_OSError, "not loaded: %s", path);
#define SYM(p, name) if ((*(void **)&p = dlsym(h, name)) == NULL) { \
        dlclose(h); return PyErr_Format(PyExc_OSError, "%s: no %s", path, name); }
    SYM(p_gettop, "lua_gettop") SYM(p_settop, "lua_settop")
    SYM(p_checkstack, "lua_checkstack") SYM(p_xmove, "lua_xmove") SYM(p_pcall, "lua_pcall")
    SYM(p_error, "lua_error") SYM(p_tothread, "lua_tothread")
    SYM(p_tocfunction, "lua_tocfunction") SYM(p_pushcclosure, "lua_pushcclosure")
    SYM(p_pushthread, "lua_pushthread") SYM(p_pushvalue, "lua_pushvalue")
    SYM(p_pushstring, "lua_pushstring") SYM(p_insert, "lua_insert") SYM(p_call, "lua_call")
    SYM(p_getupvalue, "lua_getupvalue")
#undef SYM
    /* (the handle stays open: lupa's module is never unloaded) */
    bound = 1;
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"bind", bind, METH_VARARGS,
     "bind(path): resolve the Lua C API in the loaded library at path (lupa's LuaJIT)"},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef moddef = {PyModuleDef_HEAD_INIT, "_luamain", NULL, -1, methods,
                                     NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__luamain(void)
{
    return PyModule_Create(&moddef);
}
