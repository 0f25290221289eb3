"""Penlight 1.4.1 as Torch7's th had it (session 14, penlight15): the modules and behaviours
Penlight 1.4.1's own tests/*.lua exercise that compat/penlight*.lua lacked or had otherwise.
Each expectation is a fact from Penlight 1.4.1's source or its tests (worked out by hand:
the reasoning is in the comments), never this code's own output."""

import pytest
from luatest import th_script


def run(code, tmp_path):
    pytest.importorskip("lupa")
    r = th_script(code, tmp_path)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_execute_under_lua52compat_luajit_answers_false(tmp_path):
    # pl/compat.lua 1.4.1: lua51 = (_VERSION == 'Lua 5.1'), true under LuaJIT, so execute
    # returns (res1 == 0, res1); LUA52COMPAT's os.execute gives true / nil as res1, hence
    # (false, true) for `true` and (false, nil) for `exit 3`; dir.copyfile goes through cp and
    # that execute: the copy is made and the result is false with cp's (empty) stderr
    out = run("local utils, dir = require 'pl.utils', require 'pl.dir'\n"
              "print(utils.execute('true')) print(utils.execute('exit 3'))\n"
              "local ok, code, o, e = utils.executeex('(echo hi; echo err 1>&2)')\n"
              "print(ok, code, o == 'hi\\n', e == 'err\\n')\n"
              "local f = io.open('a.txt', 'w') f:write('x') f:close()\n"
              "local r, msg = dir.copyfile('a.txt', 'b.txt')\n"
              "print(r, msg == '', io.open('b.txt'):read('*a'))\n", tmp_path)
    assert out.split("\n")[:4] == ["false\ttrue\t", "false\tnil\t", "false\ttrue\ttrue\ttrue\t",
                                   "false\ttrue\tx\t"]


def test_strict_template_url_permute(tmp_path):
    # strict: reading an undeclared global errors; a function may not create one; the main
    # chunk may. template: '#' lines are Lua, $(e) puts e. url: space %20 or '+', '/' kept
    # or %2F. permute.table {1, 2, 3}: the swap recursion's order (n = 3 swaps 1..3 into
    # place 3, permuting the first two each time)
    out = run("local strict = require 'pl.strict'\n"
              "print(select(2, pcall(function() return undeclared_x end)))\n"
              "print(select(2, pcall(function() Boo = 1 end)))\n"
              "Boo2 = 5 print(Boo2)\n"
              "local T = require 'pl.template'\n"
              "io.write(T.substitute('# for i = 1, 2 do\\n<$(i*10)>\\n# end\\n'))\n"
              "local url = require 'pl.url'\n"
              "print(url.quote(' a/b&'), url.quote(' a/b&', true), url.unquote('a+b%2Fc'))\n"
              "local P = require 'pl.permute'\n"
              "local s = {} for _, p in ipairs(P.table{1, 2, 3}) do s[#s + 1] = table.concat(p) end\n"
              "print(table.concat(s, ' '))\n", tmp_path)
    lines = out.split("\n")
    # (th's print ends each value with a tab)
    assert lines[0].endswith("variable 'undeclared_x' is not declared\t")
    assert lines[1].endswith("assign to undeclared global 'Boo'\t")
    assert lines[2:7] == ["5\t", "<10>", "<20>", "%20a/b%26\t+a%2Fb%26\ta b/c\t",
                          "231 321 312 132 213 123\t"]


def test_set_is_a_map_class_without_index(tmp_path):
    # Set.lua 1.4.1: class(Map, nil, Set) then Set.__index = nil: Set.set / Set.values are
    # Map's functions, s.isempty is an element lookup (nil); S{1,2} + 3 adds an element
    out = run("local S = require 'pl.Set'\n"
              "local s = S{1, 2} + 3\n"
              "print(S.len(s), s.isempty, S.isempty(S()), S.values(S{'a'})[1])\n"
              "S.set(s, 'x', true) print(s.x, s == S{1, 2, 3, 'x'})\n", tmp_path)
    assert out.split("\n")[:2] == ["3\tnil\ttrue\ta\t", "true\ttrue\t"]


def test_func_placeholders(tmp_path):
    # test-func.lua: repr(_1 + _2('hello')) after collect_values is '_1 + _2(_C1)'; func.lua's
    # precedence table lists '-' twice, the unary 6 last, so _1 * 2 - 1 is '(_1 * 2) - 1';
    # 10*_1 - 1 mapped over {1, 2, 3} gives {9, 19, 29}; bind(math.max, _2, _1)(1, 5) = 5
    out = run("local func = require 'pl.func'\n"
              "local _1, _2 = func._1, func._2\n"
              "local e = _1 + _2('hello') local v = {} func.collect_values(e, v)\n"
              "print(func.repr(e), v[1], func.repr(_1 * 2 - 1))\n"
              "print(require('pl.List'){1, 2, 3}:map(10 * _1 - 1):join(','),"
              " func.bind(math.max, _2, _1)(1, 5), func.I(func.Not(_1))(false))\n",
              tmp_path)
    assert out.split("\n")[:2] == ['_1 + _2(_C1)\thello\t(_1 * 2) - 1\t', "9,19,29\t5\ttrue\t"]


def test_data_select_queries(tmp_path):
    # data.lua 1.4.1 queries: fields and condition are Lua over the field names; 'sort by f
    # desc' sorts; select_row returns tables; $n fields when the data has no names
    out = run("local data, stringio = require 'pl.data', require 'pl.stringio'\n"
              "local d = data.read(stringio.open('name,age\\nann,31\\nbob,25\\ncid,40\\n'))\n"
              "for n, a in d:select 'name,age where age > 28 sort by age desc' do"
              " io.write(n, a, ' ') end io.write('\\n')\n"
              "local r = d:select_row 'name where age < 30' () print(type(r), r[1])\n"
              "print(d:column_by_name('age'):join(','), d:column_by_name(1):join(','))\n",
              tmp_path)
    assert out.split("\n")[:3] == ["cid40 ann31 ", "table\tbob\t", "31,25,40\tann,bob,cid\t"]


def test_seq_and_input(tmp_path):
    # seq 1.4.1: a table is its values; unique a sorted sequence; input.numbers reads a
    # string as the text itself; seq(t):map(f) chains, an unknown name maps that method
    out = run("local seq, input = require 'pl.seq', require 'pl.input'\n"
              "print(seq.sum(input.numbers '10 20 30'), type(seq.unique{3, 1, 3}),"
              " seq.copy(seq.unique{3, 1, 3}):join(','))\n"
              "print(seq{'ab', 'c'}:upper():copy():join(','),"
              " seq.copy(seq.map(function(x) return nil end, {1})):join(','))\n", tmp_path)
    assert out.split("\n")[:2] == ["60\tfunction\t1,3\t", "AB,C\tfalse\t"]


def test_sip_is_unanchored_with_classes(tmp_path):
    # sip 1.4.1 (test-sip.lua): 'ref=$S{file}:$d{line}' finds its match inside the line;
    # '$v is $' takes the rest; '$v $d' needs a space between ('age23' fails)
    out = run("local sip = require 'pl.sip'\n"
              "local r = {} print(sip.compile('ref=$S{file}:$d{line}')('go ref=a.txt:53', r),"
              " r.file, r.line)\n"
              "local q = {} print(sip.match('$v is $', 'bonzo is dog for sure', q), q[1], q[2])\n"
              "print(sip.match('$v $d', 'age23', {}))\n", tmp_path)
    assert out.split("\n")[:3] == ["true\ta.txt\t53\t", "true\tbonzo\tdog for sure\t", "false\t"]


def test_date_and_formats(tmp_path):
    # Date.lua 1.4.1: Date(seconds) is UTC, tostring ISO 8601 with Z; Interval's text;
    # Format 'yyyy-mm-dd'; the free parser reads '8.05pm' as 20:05
    out = run("local Date = require 'pl.Date'\n"
              "print(tostring(Date(0)), tostring(Date.Interval(1500):diff(Date.Interval(1202))))\n"
              "local d = Date.Format('yyyy-mm-dd'):parse('2010-04-10')\n"
              "print(d:year(), d:month(), d:day(), Date.Format('mm/dd/yyyy'):tostring(d))\n"
              "local t = Date.Format():parse('8.05pm') print(t:hour(), t:min())\n"
              "print(select(2, Date.Format():parse('2005-10-40 01:30')))\n", tmp_path)
    assert out.split("\n")[:4] == [
        "1970-01-01T00:00:00Z\t4 min 58 sec \t", "2010\t4\t10\t04/10/2010\t", "20\t5\t",
        "day out of range: 40 is not between 1 and 31\t"]


def test_xml_building_and_writing(tmp_path):
    # xml.lua 1.4.1: addtag/text/up build; tostring writes attributes in single quotes and,
    # with an indent, one element a line; elem's string keys are attributes
    out = run("local xml = require 'pl.xml'\n"
              "local d = xml.new 'top' : addtag('a', {x = '1'}) : text 'hi' : up() : addtag 'b'\n"
              "print(xml.tostring(d))\n"
              "io.write(xml.tostring(d, '', '  '), '\\n')\n"
              "local e = xml.elem('p', {'t', id = 'q'}) print(tostring(e))\n"
              "print(xml.parse('<r><c k=\"v\">z</c></r>'):child_with_name('c'):get_text())\n",
              tmp_path)
    assert out.split("\n")[:8] == ["<top><a x='1'>hi</a><b/></top>\t", "", "<top>",
                                   "  <a x='1'>hi</a>", "  <b/>", "</top>", "<p id='q'>t</p>\t",
                                   "z\t"]


def test_comprehension_and_luabalanced(tmp_path):
    # comprehension 1.4.1: several fors, ifs, sum(), table(); luabalanced.match_bracketed
    # returns the group and the position after it
    out = run("local C = require('pl.comprehension').new()\n"
              "print(C 'sum(x*y for x for y if x>2 if y>4)' ({2, 3}, {4, 5}),"
              " C 'table(v, k for k, v in pairs(_1))' {a = 1}[1],"
              " table.concat(C '{x, y} for x for y if x > 2' ({2, 3}, {4})[1], ','))\n"
              "print(require('pl.luabalanced').match_bracketed('(a(b)) c', 1))\n", tmp_path)
    assert out.split("\n")[:2] == ["15\ta\t3,4\t", "(a(b))\t7\t"]


def test_test_module_reports_as_penlight(tmp_path):
    # test.lua 1.4.1: a failure prints basename:line, double-quoted strings, and quits with
    # 'these values were not equal'; tuples print as tuple(...)
    pytest.importorskip("lupa")
    r = th_script("local test = require 'pl.test'\n"
                  "print(tostring(test.tuple(1, 'a')))\n"
                  "test.asserteq('x', 'y')\n", tmp_path)
    assert r.returncode == 1
    assert r.stdout == 'tuple(1, "a")\t\n'
    assert r.stderr.split("\n")[:4] == ["s.lua:3: assertion failed", 'got:\t"x"', 'needed:\t"y"',
                                        "these values were not equal"]
