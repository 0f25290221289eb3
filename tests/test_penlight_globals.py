"""What Torch7's th (trepl/init.lua) sets up before a script runs: Penlight's `require 'pl'`
(pl.import_into(_G): every module of its list a global loaded on first use), the globals trepl
defines itself, and Penlight's modules behaving as Penlight documents them. Expectations are
worked out by hand from Penlight's manual and trepl's source."""

import pytest
from luatest import th_script

# pl/import_into.lua's list (identical in Penlight 1.3.2, 1.4.1 and 1.5.4)
PL_NAMES = ("utils path dir tablex stringio sip input seq lexer stringx config pretty data func "
            "text operator lapp array2d comprehension xml types test app file class List Map "
            "Set OrderedMap MultiMap Date").split()
# Penlight modules that are not in that list stay nil as globals
NOT_LAZY = ("template", "url", "permute", "luabalanced", "compat", "strict")
# globals trepl/init.lua defines
TREPL = ("noColors", "print_old", "print_new", "setprintlevel", "import", "who", "monitor_G",
         "repl", "_RESULTS", "_LAST", "_preloaded_")


def th(script_text, tmp_path, *args):
    pytest.importorskip("lupa")
    return th_script(script_text, tmp_path, *args)


def run(code, tmp_path):
    r = th(code, tmp_path)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_every_penlight_module_of_import_into_is_a_lazy_global(tmp_path):
    names = PL_NAMES + list(NOT_LAZY)
    code = ("local before = {}\n"
            "for _, n in ipairs({%s}) do before[#before + 1] = tostring(rawget(_G, n) ~= nil) end\n"
            "io.write(table.concat(before, ' '), '\\n')\n"
            "for _, n in ipairs({%s}) do io.write(type(_G[n]), ' ') end\n"
            "io.write('\\n', tostring(rawget(_G, 'Set') == require 'pl.Set'), '\\n')\n"
            % (", ".join("'%s'" % n for n in names), ", ".join("'%s'" % n for n in names)))
    lines = run(code, tmp_path).split("\n")
    # before first use only utils (import_into sets it at once) and text (trepl called its
    # format_operator) are set
    assert lines[0].split() == [str(n in ("utils", "text")).lower() for n in names]
    assert lines[1].split() == ["table"] * len(PL_NAMES) + ["nil"] * len(NOT_LAZY)
    assert lines[2] == "true"


def test_trepl_globals_are_there_when_th_runs_a_script(tmp_path):
    out = run("for _, n in ipairs({%s}) do io.write(type(_G[n]), ' ') end\n"
              "io.write(tostring(print == print_new), ' ', tostring(print_old ~= print_new))\n"
              % ", ".join("'%s'" % n for n in TREPL), tmp_path)
    assert out.split() == (["function"] * 8 + ["table", "string", "table"] + ["true", "true"])


def test_trepl_gives_strings_penlights_format_operator(tmp_path):
    # trepl/init.lua: `if text then text.format_operator() end` (text is a lazy global)
    out = run("io.write('%5.2f|%s' % {3.14159, 'a'}, ' ', '%d' % 7, ' ', '$a-$b' % {a = 1, b = 2},"
              " '\\n')\n", tmp_path)
    assert out == " 3.14|a 7 1-2\n"


def test_who_lists_the_scripts_globals(tmp_path):
    # printvar: '[' .. name .. ']' padded to the longest global name + 2, then ' = ' and the
    # value's description; th's print adds a tab to a string
    out = run("x = 3\ns = 'hello'\nwho()\n", tmp_path)
    lines = out.split("\n")
    assert lines[0] == "== User Variables ==\t"
    assert lines[-2] == "==\t"
    body = sorted(line.rstrip("\t") for line in lines[1:-2])
    assert [b.split(" = ")[1] for b in body] == ['string : "hello"', "3"]
    assert [b.split()[0] for b in body] == ["[s]", "[x]"]
    width = len(body[0].split(" = ")[0])
    assert width == len(body[1].split(" = ")[0]) and width >= len("[s]") + 2


def test_monitor_g_reports_new_and_undeclared_globals(tmp_path):
    out = run("monitor_G(function(k, how) io.write(how, ':', k, ' ') end)\n"
              "newglobal = 1\nlocal _ = undeclared\nio.write('\\n')\n", tmp_path)
    assert out == "newindex:newglobal index:undeclared \n"
    r = th("monitor_G(true)\nfoo = 1\n", tmp_path)
    assert r.returncode != 0 and "created global variable: foo" in r.stderr


def test_setprintlevel_zero_restores_print_old(tmp_path):
    out = run("setprintlevel(0) print({}) setprintlevel(5) print({})\n", tmp_path)
    lines = out.split("\n")
    assert lines[0].startswith("table: 0x") and lines[1] == "{}"


def test_set_map_orderedmap_multimap(tmp_path):
    out = run(
        "local S = Set{1, 2, 3} + Set{3, 4}\n"
        "print(#S, S == Set{1, 2, 3, 4}, Set{1, 2} < Set{1, 2, 3}, types.type(S))\n"
        "print((Set{1, 2, 3} * Set{2, 3, 4}) == Set{2, 3}, (Set{1, 2, 3} - Set{2}) == Set{1, 3},"
        " (Set{1, 2} ^ Set{2, 3}) == Set{1, 3}, tostring(Set{'a'}))\n"
        "local m = Map{alpha = 1} m:set('beta', 2)\n"
        "print(m:len(), m:get('beta'), types.type(m), m:keys():sorted():join(','))\n"
        "local om = OrderedMap() om:set('z', 1) om:set('a', 2) om:set('m', 'x') om.q = 4\n"
        "local ks = {} for k in pairs(om) do ks[#ks + 1] = k end\n"
        "print(tostring(om), table.concat(ks, ','), om:values():join(','))\n"
        "local mm = MultiMap() mm:set('a', 1) mm:set('a', 2)\n"
        "print(#mm.a, mm.a[2], types.type(mm))\n", tmp_path)
    assert out.split("\n")[:5] == [
        "4\ttrue\ttrue\tSet\t", "true\ttrue\ttrue\t[a]\t", "2\t2\tMap\talpha,beta\t",
        '{z=1,a=2,m="x",q=4}\tz,a,m,q\t1,2,x,4\t', "2\t2\tMultiMap\t"]


def test_seq_operator_types_func(tmp_path):
    out = run(
        "print(seq.sum{1, 2, 3, 4}, seq.copy(seq.map(function(x) return x * 2 end, {1, 2, 3}))"
        ":join(','), seq.count({1, 2, 3, 4}, function(x) return x > 2 end))\n"
        "print(seq({10, 20, 30}):map(function(x) return x + 1 end):copy():join(','),"
        " seq.copy(seq.unique({3, 1, 3, 2})):join(','), seq.minmax{5, 2, 9})\n"
        "print(operator.add(2, 3), operator.optable['..']('a', 'b'), operator.lnot(false),"
        " List{1, 2, 3}:map(operator.mul, 2):join(','))\n"
        "print(types.is_empty(''), types.is_empty(' ', true), types.to_bool('yes'),"
        " types.to_bool(0), types.type(io.stdout), types.is_callable(print))\n"
        "print(func.compose(math.sqrt, math.abs)(-16), func.bind(math.max, 5)(3))\n", tmp_path)
    assert out.split("\n")[:5] == [
        "10\t2,4,6\t2\t", "11,21,31\t1,2,3\t2\t9\t", "5\tab\ttrue\t2,4,6\t",
        "true\ttrue\ttrue\tfalse\tfile\ttrue\t", "4\t5\t"]


def test_stringio_input_app_config_array2d(tmp_path):
    (tmp_path / "c.ini").write_text("# comment\n[sec one]\nx = 1\nname = hello \nlist = 1,2,3\n"
                                    "; another\nlong = a\\\n b\n")
    out = run(
        "local f = stringio.create() f:write('a', 1) f:writef('%d', 5)\n"
        "local r = stringio.open('one\\ntwo 3\\n')\n"
        "print(f:value(), r:read(), r:read('*l'), r:read())\n"
        "local n = {} for x in input.numbers(stringio.open('1 2.5\\n-3e1 x 4')) do"
        " n[#n + 1] = x end\n"
        "local s = {} for a, b in input.fields(2, nil, stringio.open('1 2 3\\n4 5 6')) do"
        " s[#s + 1] = a + b end\n"
        "print(table.concat(n, ','), table.concat(s, ','))\n"
        "local fl, pr = app.parse_args({'-abc', '--out=x', 'file', '-n', '5'}, {n = true})\n"
        "print(fl.a, fl.b, fl.c, fl.out, fl.n, pr[1], #pr)\n"
        "local c = config.read('c.ini')\n"
        "print(c.sec_one.x, c.sec_one.name, #c.sec_one.list, c.sec_one.list[3], c.sec_one.long)\n"
        "local a = array2d.new(2, 3, 0) a[2][3] = 7\n"
        "print(array2d.flatten(a):join(','), array2d.column(a, 3):join(','),"
        " array2d.reduce_cols(operator.add, {{1, 2}, {3, 4}}):join(','), array2d.size(a))\n",
        tmp_path)
    assert out.split("\n")[:5] == [
        "a15\tone\ttwo 3\tnil\t", "1,2.5,-30,4\t3,9\t", "true\ttrue\ttrue\tx\t5\tfile\t1\t",
        "1\thello\t3\t3\ta b\t", "0,0,0,0,0,7\t0,7\t4,6\t2\t3\t"]


def test_sip_lexer_comprehension_xml_date_test(tmp_path):
    out = run(
        "local r1, r2 = {}, {}\n"
        "print(sip.match('$v = $d', 'x = 42', r1), r1[1], r1[2], type(r1[2]),"
        " sip.match('$v{name} $q{str}', 'foo \"bar baz\"', r2), r2.name, r2.str,"
        " sip.match('$d', 'x', {}))\n"
        "local C = comprehension.new()\n"
        "print(table.concat(C 'x^2 for x' {1, 2, 3}, ','),"
        " table.concat(C 'i for i=1,5 if i%2==1' (), ','))\n"
        "local toks = {} for t, v in lexer.lua('local x = 10 -- hi\\nprint(\"s\")') do"
        " toks[#toks + 1] = t .. ':' .. v end print(table.concat(toks, ' '))\n"
        "local d = xml.parse('<a x=\"1\"><b>text</b><c/></a>')\n"
        "print(d.tag, d.attr.x, d[1].tag, d[1]:get_text(), xml.tostring(d))\n"
        "local D = Date(2016, 3, 5, 10, 30, 0)\n"
        "print(tostring(D):sub(1, 19), D:year(), D:month(), Date.Format('yyyy-mm-dd'):tostring(D),"
        " Date.Format('yyyy-mm-dd'):parse('2017-07-09'):day())\n"
        "test.asserteq({1, 2}, {1, 2}) test.asserteq(1, 1.0001, 0.001)\n"
        "print(tostring(test.tuple(1, 2)))\n", tmp_path)
    assert out.split("\n")[:6] == [
        "true\tx\t42\tnumber\ttrue\tfoo\tbar baz\tfalse\t", "1,4,9\t1,3,5\t",
        # Penlight 1.4.1's lexer.lua: options default to {number=true, string=true}
        # (tonumber, quotes stripped), filter to {space=true, comments=true}
        'keyword:local iden:x =:= number:10 iden:print (:( string:s ):)\t',
        "a\t1\tb\ttext\t<a x='1'><b>text</b><c/></a>\t",
        "2016-03-05T10:30:00\t2016\t3\t2016-03-05\t9\t", "tuple(1, 2)\t"]
    r = th("test.asserteq(1, 2)\n", tmp_path)
    assert r.returncode == 1 and "assertion failed" in r.stderr


def test_import_into_a_table_and_the_shadow_module(tmp_path):
    out = run(
        "local env = require('pl.import_into')()\n"
        "print(rawget(env, 'seq') == nil, env.seq == require 'pl.seq', rawget(env, 'seq') ~= nil)\n"
        "local e2, mod = require('pl.import_into')(true)\n"
        "e2.x = 5 print(mod.x, rawget(e2, 'x'), e2.Set == require 'pl.Set')\n", tmp_path)
    assert out.split("\n")[:2] == ["true\ttrue\ttrue\t", "5\t5\ttrue\t"]
