"""pl.lexer.scan with a script's own matches, as Penlight runs them (lexer.lua's scan): the
iterator is a coroutine and each action runs inside it as action(token, options), yielding
the token itself (macournoyer/neuralconvo's tokenizer); an action in the filter is skipped;
an action's table result yields ('', '') then its pairs; a string result is a pattern whose
match from the current position is yielded as ('', match). Expectations read from
Penlight's lexer.lua."""
from luatest import th_script


def test_scan_runs_yielding_actions_in_its_coroutine(tmp_path):
    out = th_script("""
local lexer = require 'pl.lexer'
local yield = coroutine.yield
local function word(t) return yield('word', t) end
local function space(t) return yield('space', t) end
local function endp(t) return yield('endpunct', t) end
local function other(t, opts) return yield('other', t .. tostring(opts.number)) end
local rules = {{'^%s+', space}, {'^%w+', word}, {'^%.+', endp}, {'^.', other}}
local toks = {}
for t, v in lexer.scan("Hi you... ok?", rules) do toks[#toks + 1] = t .. '=' .. v end
print(table.concat(toks, ' '))
toks = {}
for t, v in lexer.scan("a b", rules, {[space] = true}) do toks[#toks + 1] = t .. '=' .. v end
print(table.concat(toks, ' '))
local function list() return {{'x', '1'}, {'y', '2'}} end
local function upto() return '^[^;]*' end
toks = {}
for t, v in lexer.scan("L rest; w", {{'^L', list}, {'^;', upto}, {'^%s+', space}, {'^%w+', word}}) do
   toks[#toks + 1] = t .. '=' .. v
end
print(table.concat(toks, ' '))
""", tmp_path)
    assert out.returncode == 0, out.stderr
    lines = [line.rstrip('\t') for line in out.stdout.splitlines()]
    assert lines[0] == ('word=Hi space=  word=you endpunct=... space=  word=ok '
                        'other=?true')
    assert lines[1] == 'word=a word=b'
    # 'L' yields '' and the list; ' rest' is space and word; ';' asks for '^[^;]*' from
    # after it: ' w', yielded as ('', ' w'), which ends the string
    assert lines[2] == '= x=1 y=2 space=  word=rest = w'
