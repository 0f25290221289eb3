"""Mechanisms found by running small Torch7 libraries' own test suites through th (session 13,
helper libsuites14, see docs/legacy_sweep.md). Moses 1.6.1 (Torch7's moses rock) was run
through its own spec files; expectations here are worked by hand from moses 1.6.1's source."""
from luatest import lua_undone as lua


def test_moses_isequal_compares_contents():
    # moses' isEqual: same type, then for tables the same number of keys and every key's
    # value isEqual on both sides (recursively); with useMt an __eq metamethod decides
    r = lua("""
      local _ = require 'moses'
      local mt = {__eq = function(a, b) return a.id == b.id end}
      local a = setmetatable({id = 1, x = 1}, mt)
      local b = setmetatable({id = 1, x = 2}, mt)
      return _.isEqual({1, 2}, {1, 2}), _.isEqual({a = {1, {2}}}, {a = {1, {2}}}),
             _.isEqual({1, 2}, {1, 2, 3}), _.isEqual({a = 1}, {b = 1}),
             _.isEqual(1, '1'), _.isEqual(a, b), _.isEqual(a, b, true),
             _.compare({}, {})
    """)
    assert r == (True, True, False, False, False, False, True, True)


def test_moses_count_include_detect_use_isequal():
    r = lua("""
      local _ = require 'moses'
      local t = {{1}, {1}, {2}, 3}
      return _.count(t, {1}), _.count(t), _.include(t, {2}), _.detect(t, {2}),
             _.detect({5, 6, 7}, function(v, value) return v > 5 end)
    """)
    assert r == (2, 4, True, 3, 2)


def test_moses_eachi_visits_every_integer_key_in_order():
    # moses 1.6.1's eachi sorts the integer keys (0 and negatives included, holes skipped)
    r = lua("""
      local _ = require 'moses'
      local keys = {}
      _.eachi({a = 1, [0] = 1, [-1] = 6, 3, x = 4, 5, [4] = 9},
              function(k, v) keys[#keys + 1] = k .. '=' .. v end)
      return table.concat(keys, ' ')
    """)
    assert r == '-1=6 0=1 1=3 2=5 4=9'


def test_moses_size_of_a_table_or_the_non_nil_arguments():
    r = lua("""
      local _ = require 'moses'
      return _.size({1, 2}, 3, 4, 5), _.size(1, 2, nil, 4), _.size(nil), _.size(),
             _.size({a = 1, 2})
    """)
    assert r == (2, 3, 0, 0, 2)


def test_moses_last_chunk_flatten_interleave():
    # last(t, n <= 0) is nil; chunk's first chunk is [1] when the first mapped value is
    # false (moses' `prev = (prev == nil) and v or prev` leaves prev nil), [0] otherwise;
    # flatten goes through holes (pairs), so interleave of unequal arrays keeps every value
    r = lua("""
      local _ = require 'moses'
      local c = _.chunk({1, 2, 2, 3, 3, 4, 4}, function(k, v) return v % 2 == 0 end)
      local d = _.chunk({2, 2, 3}, function(k, v) return v % 2 == 0 end)
      return _.last({1, 2, 3}, 0), #c, #c[1], c[1][1], c[4][2], d[0][2], d[1][1],
             table.concat(_.interleave({1}, {'a', 'b', 'c'}), ','),
             table.concat(_.flatten({1, {2, {3, 4}}, 5}), ','),
             table.concat(_.flatten({1, {2, {3, 4}}}, true), ',', 1, 2)
    """)
    assert r == (None, 4, 1, 1, 4, 2, 3, '1,a,b,c', '1,2,3,4,5', '1,2')


def test_moses_bindall_passes_the_object_first():
    # bindAll(obj, ...) is obj[name] = _.bind(obj[name], obj): obj.setPos(10, 15) calls
    # setPos(obj, 10, 15)
    r = lua("""
      local _ = require 'moses'
      local w = {setPos = function(self, x, y) self.x, self.y = x, y end}
      _.bindAll(w, 'setPos')
      w.setPos(10, 15)
      return w.x, w.y
    """)
    assert r == (10, 15)


def test_moses_module_is_a_chaining_proxy():
    # `require 'moses'` returns the wrapper: M(v) and M.chain(v) wrap, methods on a wrapped
    # value wrap their result, :value() unwraps; plain calls stay plain; import copies the
    # functions (not chain/value/import) into a context
    r = lua("""
      local M = require 'moses'
      local v = M.chain({1, 2, 3}):map(function(k, x) return x * 2 end)
                  :reduce(function(a, b) return a + b end):value()
      local w = M({3, 1, 2}):sort():value()
      local keys = {}
      for k in pairs(M) do keys[#keys + 1] = k end
      table.sort(keys)
      local ctx = M.import({each = 1}, true)
      local ctx2 = M.import({each = 1})
      local fs = M.functions()
      local listed = {}
      for _i, n in ipairs(fs) do listed[n] = true end
      return v, table.concat(w, ','), M.max({1, 2}), M.tap(5, function() end),
             table.concat(keys, ' '), ctx.each, type(ctx2.each), type(ctx.map),
             listed.chain == nil and listed.import == nil and listed.map == true,
             M.chain(7)._wrapped
    """)
    assert r == (12, '1,2,3', 2, 5,
                 '_DESCRIPTION _LICENSE _URL _VERSION __index chain value',
                 1, 'function', 'function', True, True)


# Penlight 1.4.1 (the version compat/penlight.lua follows), run through its own tests/*.lua;
# expectations worked by hand from its tablex.lua and utils.lua


def test_penlight_icopy_truncates_move_does_not():
    # icopy(dest, src, idest, isrc, nsrc) and move copy src[isrc..] (nsrc values at most)
    # to dest[idest..]; icopy then clears dest after the last value written
    r = lua("""
      local T = require 'pl.tablex'
      local function s(t) return table.concat(t, ',') end
      local same = {1, 2, 3, 4, 5, 6, 7}
      T.move(same, same, 4, 1, 4)
      return s(T.icopy({1, 2, 3, 4, 5, 6}, {20, 30}, 2)), s(T.icopy({1, 2, 3, 4, 5, 6}, {20, 30}, 2, 2, 1)),
             s(T.move({1, 2, 3, 4, 5, 6}, {20, 30}, 2)), s(T.move({1, 2, 3, 4, 5, 6}, {20, 30}, 2, 2)),
             s(same)
    """)
    assert r == ('1,20,30', '1,30', '1,20,30,4,5,6', '1,30,3,4,5,6', '1,2,3,1,2,3,4')


def test_penlight_pairmap_index_map_imap2_mapn():
    r = lua("""
      local T = require 'pl.tablex'
      local m = T.index_map({10, 20, 30, 30, 30})
      local p = T.pairmap(function(k, v) return v .. k end, {'a', 'b'})
      local q = T.pairmap(function(k, v) return k, v end, {'x', 'y', 'x'})
      return m[10], m[20], table.concat(m[30], ','), table.concat(p, ','),
             table.concat(q.x, ','), q.y,
             table.concat(T.imap2('+', {1, 2, 3}, {10, 20}), ','),
             table.concat(T.mapn(function(a, b, c) return a + b + c end,
                                 {1, 2, 3}, {10, 20, 30, 40}, {100, 200}), ','),
             table.concat(T.map_named_method('upper', {'a', 'b'}), ','),
             T.compare_no_order({1, 2, 2}, {2, 1, 2}), T.compare_no_order({1, 2, 2}, {2, 1, 1})
    """)
    assert r == (1, 2, '3,4,5', 'a1,b2', '1,3', 2, '11,22', '111,222', 'A,B', True, False)


def test_penlight_readonly():
    r = lua("""
      local T = require 'pl.tablex'
      local ro = T.readonly({1, 2, a = 3})
      local ok, err = pcall(function() ro.b = 1 end)
      return ro[2], ro.a, #ro, ok, err:match('Attempt to modify read%-only table') ~= nil,
             getmetatable(ro)
    """)
    assert r == (2, 3, 2, False, True, False)


def test_penlight_utils_patterns_on_error_and_callables():
    # function_arg: a table without __call is 'not a callable object', a number 'argument n:
    # must be callable'; a metatable with a registered factory gives the factory's function
    r = lua("""
      local utils = require 'pl.utils'
      local P = utils.patterns
      local a = ('+0.1e10'):match(P.FLOAT) and ('-23430'):match(P.INTEGER)
                and ('my_pony99'):match(P.IDEN)
      local n1, e1 = utils.raise('bad')
      utils.on_error('error')
      local ok2, e2 = pcall(utils.raise, 'worse')
      utils.on_error('default')
      local ok3, e3 = pcall(utils.function_arg, 1, {})
      local ok4, e4 = pcall(utils.function_arg, 2, 0)
      local mt = {}
      utils.add_function_factory(mt, function(obj) return function(x) return x * obj.k end end)
      local f = utils.function_arg(1, setmetatable({k = 3}, mt))
      return a, n1, e1, ok2, e2:match('worse$'), e3:match('not a callable object$'),
             e4:match('argument 2:  must be callable$'), f(5), utils.load('return 7')()
    """)
    assert r == ('my_pony99', None, 'bad', False, 'worse', 'not a callable object',
                 'argument 2:  must be callable', 15, 7)


def test_penlight_class_properties_and_names_in_the_callers_environment():
    # class.properties: obj.x reads get_x(obj) or the field _x, obj.x = v calls set_x;
    # class.Name(...) sets Name in the environment of the code that names it (a module's)
    r = lua("""
      local class = require 'pl.class'
      local P = class(class.properties)
      function P:_init() self._a, self._b = 1, 2 end
      function P:set_a(v) self._a = v * 10 end
      function P:get_b() return self._b + 100 end
      local p = P()
      p.a = 3
      p.c = 4
      local env = setmetatable({}, {__index = _G})
      setfenv(function() class.Inner() end, env)()
      return p.a, p.b, rawget(p, 'c'), rawget(p, '_a'), type(env.Inner), rawget(_G, 'Inner'),
             require('pl.utils').lua51
    """)
    assert r == (30, 102, 4, 30, 'table', None, True)


def test_penlight_list_subclass_and_sequence_methods():
    # class(List) objects take a plain table as themselves (List._create) or copy a
    # sequence in (List._init); map2/slice keep lists; partition gives a MultiMap of Lists
    r = lua("""
      local List = require 'pl.List'
      local class = require 'pl.class'
      local NA = class(List)
      local a = NA{1, 2, 3}
      local b = NA('xy')
      local s = List{1, 2, 3, 4, 5}
      s:slice_assign(2, 3, {'a', 'b', 'c'})
      local p = List{1, 2, 3, 4, 5}:partition(function(x) return x % 2 end)
      return #a, table.concat(b, ''), List:class_of(a), NA:class_of(a), a:is_a(NA),
             List:class_of({}), table.concat(a:map2('+', {10, 20, 30}), ','),
             table.concat(s, ','), table.concat(List{1, 4}:splice(2, {2, 3}), ','),
             table.concat(p[1], ','), table.concat(p[0], ','),
             table.concat(List{'a', 'b'}:mapm('upper'), ',')
    """)
    assert r == (3, 'xy', True, True, True, False, '11,22,33', '1,a,b,c,4,5', '1,2,3,4',
                 '1,3,5', '2,4', 'A,B')


def test_penlight_pretty_read_load_and_number():
    # read refuses non-tables and function definitions, runs without string methods;
    # load runs assignments into env; number's three kinds (Penlight 1.4.1's pretty.lua)
    r = lua("""
      local pretty = require 'pl.pretty'
      local a, ea = pretty.read('a = 1')
      local b, eb = pretty.read('{f = function() end}')
      local c, ec = pretty.read("{s = ('w'):rep(2)}")
      local d = pretty.read('-- note\\n{x = 1, "function"}')
      local e = pretty.load('a = 2\\nt = {1, 2}')
      local f, ef = pretty.load('for i = 1, 2 do end', nil, true)
      return a, ea, b, eb, c, ec:match('attempt to index') ~= nil, d.x, d[1], e.a, e.t[2],
             f, ef, ('x'):rep(2),
             pretty.number(123, 'M'), pretty.number(1234, 'M'), pretty.number(1024 * 1024, 'M'),
             pretty.number(1234, 'N', 2), pretty.number(1024 ^ 3, 'N', 2),
             pretty.number(1234567, 'T'), pretty.number(1005, 'T')
    """)
    assert r == (None, 'not a Lua table', None, 'cannot have functions in table definition',
                 None, True, 1, 'function', 2, 2, None, 'looping not allowed', 'xx',
                 '123B', '1.2KiB', '1.0MiB', '1.23K', '1.07B', '1,234,567', '1,5')


def test_penlight_quote_string_long_bracket_level():
    # the level is one more than the longest '=' run between two equal brackets, the scan
    # resuming at each match's closing bracket: ']=]==]' holds ]=] and ]==], so level 3
    r = lua("""
      local stringx = require 'pl.stringx'
      local q1 = stringx.quote_string(']=]==]')
      local q2 = stringx.quote_string('a\\nb')
      local q3 = stringx.quote_string('x]]y')
      return q1, loadstring('return ' .. q1)(), q2, q3, stringx.quote_string('plain')
    """)
    assert r == ('[===[]=]==]]===]', ']=]==]', '[[a\nb]]', '[=[x]]y]=]', '"plain"')


def test_penlight_map_items_sorted_by_key():
    r = lua("""
      local Map = require 'pl.Map'
      local out = {}
      for _, it in ipairs(Map{gamma = 3, alpha = 1, beta = 2}:items()) do
         out[#out + 1] = it[1] .. '=' .. it[2]
      end
      return table.concat(out, ' ')
    """)
    assert r == 'alpha=1 beta=2 gamma=3'


def test_penlight_app_parse_args():
    # Penlight 1.4.1's app.parse_args: flags_with_values is a set; '-n10' is n = '10';
    # '-abc' three flags; '--out=20' a value; a valued flag with no value is an error
    # raised through utils.raise (nil, message by default)
    r = lua("""
      local app = require 'pl.app'
      local f1, a1 = app.parse_args({'-abc', '--flag', '-v', 'one'})
      local f2 = app.parse_args({'-n10', '--out=20'})
      local f3, a3 = app.parse_args({'-k', '-b=23', '-o', 'hello', '--out'}, {o = true})
      local ok, err = app.parse_args({'-n'}, {n = true})
      return f1.a and f1.b and f1.c and f1.flag and f1.v, a1[1], f2.n, f2.out,
             f3.k, f3.b, f3.o, f3.out, #a3, ok, err
    """)
    assert r == (True, 'one', '10', '20', True, '23', 'hello', True, 0, None,
                 "no value for 'n'")
