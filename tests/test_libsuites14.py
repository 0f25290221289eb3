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
