-- Penlight's parsers, as Torch7's th had them (Penlight 1.4.1): pl.sip, pl.lexer, pl.xml.
-- Written for torch7py after Penlight's documented behaviour (split from
-- compat/penlight_more.lua); each entry builds its module once, and modules reach each other
-- (and penlight.lua's) through require.
local M = {}
local note = ... or function() end
local function put(t, k, v)
   if v ~= nil and rawget(t, k) == nil then note(t, k) end
   t[k] = v
end
local find, sub, gsub, match, fmt = string.find, string.sub, string.gsub, string.match,
   string.format
local concat, tinsert, tsort = table.concat, table.insert, table.sort
local lua_type = type

local function strip(s) return (gsub(gsub(s, '^%s+', ''), '%s+$', '')) end

-- pl.sip (Penlight 1.4.1): scanf-like patterns compiled into Lua patterns. $v identifier,
-- $i integer, $f number, $d digits (numbers converted), $o option name, $r the rest, $p a
-- path, $q a quoted string (its quotes dropped), $( $[ ${ $< a balanced group (brackets
-- dropped), $a $l $u $w $x $s $c $p... a character class; $v{name} names the captures (then
-- every capture is named, res.name = ...), otherwise res[1], res[2]... A trailing '$' is
-- $r. A run of spaces is %s+ between two words or word captures, %s* elsewhere. The pattern
-- is not anchored (at_start anchors it at the start). compile gives a function(line, res)
-- that fills res and answers true, or false; like Penlight, it is compiled to Lua source.
function M.sip()
   local sip = {}
   local IDEN, INTEGER, FLOAT = '[%a_][%w_]*', '[+%-%d]%d*', '[%+%-%d]%d*%.?%d*[eE]?[%+%-]?%d*'
   local OPTION = '[%a_][%w_%-]*'
   local function assert_arg(idx, val, tp)
      if lua_type(val) ~= tp then error('argument ' .. idx .. ' must be ' .. tp, 2) end
   end
   local closing = {['<'] = '>', ['('] = ')', ['{'] = '}', ['['] = ']'}
   local classes = {a = 1, c = 0, d = 1, l = 1, p = 0, u = 1, w = 1, x = 1, s = 0}
   local kinds = {v = '(' .. IDEN .. ')', i = '(' .. INTEGER .. ')', f = '(' .. FLOAT .. ')',
                  o = '(' .. OPTION .. ')', r = '(%S.*)', p = '([%a]?[:]?[\\/%.%w_]+)'}
   function sip.custom_pattern(flag, patt) kinds[flag] = patt end
   -- Lua's magic characters escaped, except the one after a '$'
   local function escape(spec)
      return (gsub(gsub(spec, '[%-%.%+%[%]%(%)%^%%%?%*]', '%%%0'), '%$%%(%S)', '$%1'))
   end
   local function compress_spaces(patt)
      return (gsub(patt, '()%s+()', function(i1, i2)
         local before = sub(patt, i1 - 2, i1 - 1)
         if match(before, '%$[vifadxlu]') or match(before, '^[^%$]?[%w_]$') then
            local after = sub(patt, i2, i2 + 1)
            if match(after, '%$[vifadxlu]') or match(after, '^[%w_]') then return '%s+' end
         end
         return '%s*'
      end))
   end
   -- create_pattern(spec, options): the Lua pattern, the field names (numbers when
   -- unnamed), their types; or nil and an error
   function sip.create_pattern(spec, options)
      assert_arg(1, spec, 'string')
      local names, types, count = {}, {}, 1
      local function field(name, kind)
         name = name or count
         names[#names + 1] = name
         types[name] = kind
         count = count + 1
      end
      spec = escape(spec)
      local named = find(spec, '{%a+}')
      if options and options.at_start then spec = '^' .. spec end
      if sub(spec, -1) == '$' then
         spec = sub(spec, 1, -2) .. '$r'
         if named then spec = spec .. '{rest}' end
      end
      local given
      if named then
         given = {}
         spec = gsub(spec, '{(%a+)}', function(name)
            given[#given + 1] = name
            return ''
         end)
      end
      spec = compress_spaces(spec)
      local k, err = 1, nil
      local pat = gsub(spec, '%$%S', function(s)
         local kind, name = sub(s, 2, 2), nil
         if given then name = given[k]; k = k + 1 end
         if not given and kind == 'q' then field(nil, 'Q') else field(name, kind) end
         if kinds[kind] then return kinds[kind] end
         if kind == 'q' then
            field(name, kind)
            return '(["\'])(.-)%' .. (count - 2)
         end
         if closing[kind] then return '(%b' .. kind .. closing[kind] .. ')' end
         if classes[kind] or classes[kind:lower()] then return '(%' .. kind .. '+)' end
         err = 'unknown format type or character class'
      end)
      if err then return nil, err end
      return pat, names, types
   end
   local function numeric(kind) return kind == 'd' or kind == 'i' or kind == 'f' end
   -- the Lua source of the matcher, and whether its fields are named
   function sip.create_spec_fun(spec, options)
      local pat, names, types = sip.create_pattern(spec, options)
      if not pat then return pat, names end
      local named = lua_type(names[1]) == 'string'
      local vars = {}
      for i = 1, #names do vars[i] = 'mm' .. i end
      vars[1] = vars[1] or 'mm1'
      local out = {('return (function(s,res)\n\tlocal %s = s:match(%q)\n'):format(
         concat(vars, ','), pat), '\tif not mm1 then return false end\n'}
      local k = 1
      for i, name in ipairs(names) do
         if name ~= '_' then
            local v = 'mm' .. i
            if numeric(types[name]) then
               v = 'tonumber(' .. v .. ')'
            elseif closing[types[name]] then
               v = v .. ':sub(2,-2)'
            end
            if named then
               out[#out + 1] = ('\tres.%s = %s\n'):format(name, v)
            elseif types[name] ~= 'Q' then
               out[#out + 1] = ('\tres[%d] = %s\n'):format(k, v)
               k = k + 1
            end
         end
      end
      out[#out + 1] = '\treturn true\nend)\n'
      return concat(out), named
   end
   function sip.compile(spec, options)
      assert_arg(1, spec, 'string')
      local code, named = sip.create_spec_fun(spec, options)
      if not code then return nil, named end
      if rawget(_G, '_DEBUG') then print(code) end
      local chunk, err = load(code, 'tmp')
      if err then return nil, err end
      return chunk(), named
   end
   -- match(spec, line, res, options): compiled once per spec
   local cache = {}
   function sip.match(spec, line, res, options)
      assert_arg(1, spec, 'string')
      assert_arg(2, line, 'string')
      assert_arg(3, res, 'table')
      if not cache[spec] then cache[spec] = sip.compile(spec, options) end
      return cache[spec](line, res)
   end
   function sip.match_at_start(spec, line, res)
      return sip.match(spec, line, res, {at_start = true})
   end
   -- fields(spec, f): the captures of each line of f that matches
   function sip.fields(spec, f)
      assert_arg(1, spec, 'string')
      if not f then return nil, 'no file object' end
      local fn, err = sip.compile(spec)
      if not fn then return nil, err end
      local res = {}
      return function()
         while true do
            local line = f:read()
            if not line then return end
            if fn(line, res) then
               local values = res
               res = {}
               return unpack(values)
            end
         end
      end
   end
   -- pattern(spec, fn) registers a pattern for read; read(f, matches) calls each line's first
   -- matching pattern's callback (with res when named, else its values)
   local registered = {}
   function sip.pattern(spec, fn)
      assert_arg(1, spec, 'string')
      local pat, named = sip.compile(spec)
      registered[#registered + 1] = {pat = pat, named = named, callback = fn}
   end
   function sip.read(f, matches)
      local owned, err
      if not f then return nil, 'no file object' end
      if lua_type(f) == 'string' then
         f, err = io.open(f)
         if not f then return nil, err end
         owned = true
      end
      for _, m in ipairs(matches or {}) do sip.pattern(m[1], m[2]) end
      local res = {}
      for line in f:lines() do
         for _, item in ipairs(registered) do
            if item.pat(line, res) then
               if item.callback then
                  if item.named then item.callback(res) else item.callback(unpack(res)) end
               end
               res = {}
               break
            end
         end
      end
      if owned then f:close() end
   end
   return sip
end

-- pl.lexer (Penlight 1.4.1): a string (or a file-like object's lines) as a stream of (type,
-- value) tokens. Every scanner is lexer.scan's coroutine over {pattern, action} pairs; an
-- action yields its token (Penlight's dump functions). The defaults are Penlight's: options
-- {number = true, string = true} (numbers converted with tonumber, strings and chars without
-- their quotes, long strings without their brackets and first newline); filter {space = true}
-- for scan, {space = true, comments = true} for lexer.lua and lexer.cpp (only those two
-- names mean anything: they skip the space and comment actions). Comments come as
-- 'comment'; a Lua line comment runs to its newline, included. lexer.lineno(tok) asks the
-- coroutine (tok(0)) for its line; after the end the iterator keeps answering nothing.
function M.lexer()
   local lexer = {}
   local yield, wrap = coroutine.yield, coroutine.wrap
   local lua_keyword = {}
   for w in ([[and break do else elseif end false for function if in local nil not or
              repeat return then true until while]]):gmatch('%a+') do lua_keyword[w] = true end
   local cpp_keyword = {}
   for w in ([[class break do sizeof else continue struct false for public void private
              protected goto if static const typedef enum char int bool long float true
              delete double while new namespace try catch switch case extern return default
              unsigned signed union volatile register short]]):gmatch('%a+') do
      cpp_keyword[w] = true
   end
   lexer.get_keywords = function() return lua_keyword end
   -- the actions: each yields (type, value) and hands back what the reader resumes it with
   local function as_itself(tok) return yield(tok, tok) end
   local function number(tok, options)
      if options and options.number then tok = tonumber(tok) end
      return yield('number', tok)
   end
   local function quoted(kind)
      return function(tok, options)
         if options and options.string then tok = sub(tok, 2, -2) end
         return yield(kind, tok)
      end
   end
   local str, char = quoted('string'), quoted('char')
   local function longstr(tok, options, found_at)
      if options and options.string then
         local n = 3 + #(found_at[3] or '')
         tok = sub(tok, n, -n)
         if sub(tok, 1, 1) == '\n' then tok = sub(tok, 2) end
      end
      return yield('string', tok)
   end
   local function comment(tok) return yield('comment', tok) end
   local function space(tok) return yield('space', tok) end
   local function prepro(tok) return yield('prepro', tok) end
   local function ident(keywords)
      return function(tok)
         if keywords ~= nil and keywords[tok] then return yield('keyword', tok) end
         return yield('iden', tok)
      end
   end
   -- the patterns: a quoted string is '' or "" empty, quote backslashes backslashes quote,
   -- or quote ... a character that is no backslash, an even run of backslashes, quote
   local SPACE, IDEN, HEX = '^%s+', '^[%a_][%w_]*', '^0x[%da-fA-F]+'
   local SNUM_E, SNUM = '^[%+%-]?%d+%.?%d*[eE][%+%-]?%d+', '^[%+%-]?%d+%.?%d*'
   local NUM_E, NUM = '^%d+%.?%d*[eE][%+%-]?%d+', '^%d+%.?%d*'
   local STRINGS = {"^(['\"])%1", [[^(['"])(\*)%2%1]], [[^(['"]).-[^\](\*)%2%1]]}
   local CHARS = {"^''", [[^'(\*)%1']], [[^'.-[^\](\*)%1']]}
   local function with_strings(list, pats, action)
      for _, pat in ipairs(pats) do list[#list + 1] = {pat, action} end
      return list
   end
   local plain = with_strings({{SPACE, space}, {HEX, number}, {IDEN, ident(nil)},
                               {SNUM_E, number}, {SNUM, number}}, STRINGS, str)
   plain[#plain + 1] = {'^.', as_itself}
   local lua_matches = with_strings({{SPACE, space}, {HEX, number}, {IDEN, ident(lua_keyword)},
                                     {NUM_E, number}, {NUM, number}}, STRINGS, str)
   for _, m in ipairs({{'^%-%-%[(=*)%[.-%]%1%]', comment}, {'^%-%-.-\n', comment},
                       {'^%[(=*)%[.-%]%1%]', longstr}, {'^==', as_itself}, {'^~=', as_itself},
                       {'^<=', as_itself}, {'^>=', as_itself}, {'^%.%.%.', as_itself},
                       {'^%.%.', as_itself}, {'^.', as_itself}}) do
      lua_matches[#lua_matches + 1] = m
   end
   local cpp_matches = {{SPACE, space}, {'^#.-[^\\]\n', prepro}, {HEX, number},
                        {IDEN, ident(cpp_keyword)}, {NUM_E, number}, {NUM, number}}
   with_strings(cpp_matches, CHARS, char)
   with_strings(cpp_matches, STRINGS, str)
   for _, op in ipairs({'^//.-\n', '^/%*.-%*/'}) do cpp_matches[#cpp_matches + 1] = {op, comment} end
   for _, op in ipairs({'^==', '^!=', '^<=', '^>=', '^->', '^&&', '^||', '^%+%+', '^%-%-',
                        '^%+=', '^%-=', '^%*=', '^/=', '^|=', '^%^=', '^::', '^.'}) do
      cpp_matches[#cpp_matches + 1] = {op, as_itself}
   end

   -- Penlight's scan with a script's matches as well: each action runs inside the coroutine
   -- as action(token, options, find's results) and yields the token itself (neuralconvo's tokenizer:
   -- `return coroutine.yield('word', token)`); an action the filter holds is skipped; what
   -- the reader resumes it with is a request: a table result yields '' and its {type, value}
   -- pairs, a string is a pattern whose match from there is yielded as ('', match), a number
   -- asks for (line, position)
   function lexer.scan(s, matches, filter, options)
      local file = lua_type(s) ~= 'string' and s
      filter = filter or {space = true}
      options = options or {number = true, string = true}
      if filter.space then filter[space] = true end
      if filter.comments then filter[comment] = true end
      matches = matches or plain
      return wrap(function(first)
         local line, idx = 0, 1
         local sz = file and 0 or #s
         local pending = file and file:read()
         local function serve(res)
            while res do
               local t = lua_type(res)
               if t == 'table' then
                  yield('', '')
                  for _, p in ipairs(res) do yield(p[1], p[2]) end
                  res = nil
               elseif t == 'string' then
                  local b, e = find(s, res, idx)
                  if b then
                     idx = e + 1
                     res = yield('', sub(s, b, e))
                  else
                     idx = sz + 1
                     res = yield('', '')
                  end
               else
                  res = yield(line, idx)
               end
            end
         end
         serve(first)
         if not file then line = 1 end
         while true do
            if idx > sz then
               if not (file and pending) then
                  while true do serve(yield()) end
               end
               s, line = pending, line + 1
               pending = file:read()
               if pending then s = s .. '\n' end
               idx, sz = 1, #s
            end
            local found = false
            for _, m in ipairs(matches) do
               local found_at = {find(s, m[1], idx)}
               local b, e = found_at[1], found_at[2]
               if b then
                  found = true
                  local tok = sub(s, b, e)
                  idx = e + 1
                  local res
                  if not filter[m[2]] then
                     lexer.finished = idx > sz
                     res = m[2](tok, options, found_at)
                  end
                  if not file then
                     for _ in tok:gmatch('\n') do line = line + 1 end
                  end
                  serve(res)
                  break
               end
            end
            if not found then return end
         end
      end)
   end
   function lexer.lua(s, filter, options)
      return lexer.scan(s, lua_matches, filter or {space = true, comments = true}, options)
   end
   function lexer.cpp(s, filter, options)
      return lexer.scan(s, cpp_matches, filter or {space = true, comments = true}, options)
   end
   function lexer.lineno(tok) return tok(0) end
   function lexer.getline(tok)
      local _, v = tok('.-\n')
      return v
   end
   function lexer.getrest(tok)
      local _, v = tok('.+')
      return v
   end
   function lexer.skipws(tok)
      local t, v = tok()
      while t == 'space' do t, v = tok() end
      return t, v
   end
   function lexer.expecting(tok, expected_type, no_skip_ws)
      local t, v
      if no_skip_ws then t, v = tok() else t, v = lexer.skipws(tok) end
      if t ~= expected_type then error('expecting ' .. expected_type, 2) end
      return v
   end
   function lexer.get_separated_list(tok, endtoken, delim)
      endtoken, delim = endtoken or ')', delim or ','
      local parms, cur = {}, {}
      while true do
         local t, v = tok()
         if not t or t == endtoken then break end
         if t == delim then
            parms[#parms + 1] = cur
            cur = {}
         else
            cur[#cur + 1] = {t, v}
         end
      end
      if #cur > 0 then parms[#parms + 1] = cur end
      return parms
   end
   return lexer
end

-- pl.xml: parse XML text into LOM tables ({tag = name, attr = {...}, child, ...}) and back
function M.xml()
   local xml = {}
   local Doc = {}
   Doc.__index = Doc
   local function unescape(s)
      return (gsub(gsub(gsub(gsub(gsub(s, '&lt;', '<'), '&gt;', '>'), '&quot;', '"'),
                        '&apos;', "'"), '&amp;', '&'))
   end
   local function escape(s)
      return (gsub(gsub(gsub(gsub(s, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'))
   end
   function xml.new(tag, attr)
      local doc = setmetatable({tag = tag, attr = attr or {}}, Doc)
      return doc
   end
   xml.elem = function(tag, items)
      local e = xml.new(tag)
      if lua_type(items) == 'string' then items = {items} end
      for k, v in pairs(items or {}) do
         if lua_type(k) == 'number' then e[#e + 1] = v else e.attr[k] = v end
      end
      return e
   end
   function xml.basic_parse(s, all_text)
      local stack, top = {}, {}
      stack[1] = top
      local i = 1
      while true do
         local b, e, close, tag, attrs, empty = find(s, '<(%/?)([%w_:%-%.]+)(.-)(%/?)>', i)
         if not b then break end
         local text = sub(s, i, b - 1)
         if all_text or find(text, '%S') then top[#top + 1] = unescape(text) end
         if close == '' then
            local el = xml.new(tag)
            gsub(attrs, '([%w_:%-]+)%s*=%s*(["\'])(.-)%2', function(k, _, v)
               put(el.attr, k, unescape(v))
            end)
            if empty == '/' then
               top[#top + 1] = el
            else
               stack[#stack + 1] = el
               top = el
            end
         else
            local el = table.remove(stack)
            if #stack == 0 then return nil, 'unmatched </' .. tag .. '>' end
            top = stack[#stack]
            if el.tag ~= tag then return nil, 'trying to close ' .. el.tag .. ' with ' .. tag end
            top[#top + 1] = el
         end
         i = e + 1
      end
      if #stack > 1 then return nil, 'unclosed ' .. stack[#stack].tag end
      for _, v in ipairs(stack[1]) do
         if lua_type(v) == 'table' then return v end
      end
      return nil, 'no element found'
   end
   function xml.parse(text_or_file, is_file, use_basic)
      local s = text_or_file
      if is_file then
         local f, err = io.open(text_or_file)
         if not f then return nil, err end
         s = f:read('*a')
         f:close()
      end
      s = gsub(gsub(gsub(s, '<%?.-%?>', ''), '<!%-%-.-%-%->', ''), '<!.->', '')
      local _ = use_basic
      return xml.basic_parse(s)
   end
   function xml.is_tag(d) return lua_type(d) == 'table' and lua_type(d.tag) == 'string' end
   local function tostr(d, idn, indent)
      if lua_type(d) ~= 'table' then return escape(tostring(d)) end
      local parts = {'<' .. d.tag}
      local keys = {}
      for k in pairs(d.attr or {}) do if lua_type(k) == 'string' then keys[#keys + 1] = k end end
      for _, k in ipairs(keys) do parts[#parts + 1] = ' ' .. k .. '="' .. escape(d.attr[k]) .. '"' end
      if #d == 0 then return concat(parts) .. '/>' end
      parts[#parts + 1] = '>'
      for _, c in ipairs(d) do
         if indent then parts[#parts + 1] = '\n' .. idn .. indent end
         parts[#parts + 1] = tostr(c, indent and (idn .. indent) or '', indent)
      end
      if indent then parts[#parts + 1] = '\n' .. idn end
      parts[#parts + 1] = '</' .. d.tag .. '>'
      return concat(parts)
   end
   function xml.tostring(d, idn, indent)
      return tostr(d, idn or '', indent)
   end
   Doc.__tostring = function(d) return xml.tostring(d) end
   function Doc:get_text()
      local res = {}
      for _, c in ipairs(self) do
         if lua_type(c) == 'string' then res[#res + 1] = c end
      end
      return concat(res)
   end
   function Doc:child_with_name(tag)
      for _, c in ipairs(self) do
         if lua_type(c) == 'table' and c.tag == tag then return c end
      end
   end
   function Doc:get_elements_with_name(tag, dont_recurse)
      local res = {}
      local function walk(d)
         for _, c in ipairs(d) do
            if lua_type(c) == 'table' then
               if c.tag == tag then res[#res + 1] = c end
               if not dont_recurse then walk(c) end
            end
         end
      end
      walk(self)
      return res
   end
   function Doc:childtags()
      local i = 0
      return function()
         repeat i = i + 1 until self[i] == nil or lua_type(self[i]) == 'table'
         return self[i]
      end
   end
   function Doc:add_direct_child(child) self[#self + 1] = child end
   function Doc:set_attribs(t) for k, v in pairs(t) do self.attr[k] = v end end
   function Doc:set_attrib(a, v) self.attr[a] = v end
   function Doc:get_attribs() return self.attr end
   xml.escape, xml.unescape = escape, unescape
   return xml
end

-- pl.luabalanced (Penlight 1.4.1, after David Manura's module): matching balanced Lua text
-- at a position. Each match_X(s, pos) returns the matched text and the position after it
-- (nil and pos when nothing of that kind starts there); syntax errors are assertion errors.
function M.luabalanced()
   local lb = {}
   local closer = {['('] = ')', ['{'] = '}', ['['] = ']'}
   local opener = {}
   for k, v in pairs(closer) do opener[v] = k end
   -- a quoted string (backslash escapes skipped) or a long bracket string
   function lb.match_string(s, pos)
      pos = pos or 1
      local start = pos
      local q = sub(s, pos, pos)
      if q == '"' or q == "'" then
         pos = pos + 1
         while true do
            pos = assert(find(s, '[' .. q .. '\\]', pos), 'syntax error')
            if sub(s, pos, pos) == q then return sub(s, start, pos), pos + 1 end
            pos = pos + 2
         end
      end
      local level = match(s, '^%[(=*)%[', pos)
      if not level then return nil, pos end
      local _, e = find(s, '%]' .. level .. '%]', pos)
      assert(e)
      return sub(s, start, e), e + 1
   end
   -- a bracketed group ((...), {...}, [...] or a long string), nesting and strings respected
   function lb.match_bracketed(s, pos)
      pos = pos or 1
      local start = pos
      if not closer[sub(s, pos, pos)] then return nil, pos end
      local stack = {}
      while true do
         pos = find(s, '[%(%{%[%)%}%]"\']', pos)
         assert(pos, 'syntax error: unbalanced')
         local c = sub(s, pos, pos)
         if c == '"' or c == "'" then
            local part
            part, pos = lb.match_string(s, pos)
            assert(part)
         elseif closer[c] then
            local level, after
            if c == '[' then level, after = match(s, '^%[(=*)%[()', pos) end
            if level then
               pos = match(s, '%]' .. level .. '%]()', after)
               assert(pos, 'syntax error: long string not terminated')
               if #stack == 0 then return sub(s, start, pos - 1), pos end
            else
               stack[#stack + 1] = c
               pos = pos + 1
            end
         else
            assert(stack[#stack] == assert(opener[c]), 'syntax error: unbalanced')
            stack[#stack] = nil
            if #stack == 0 then return sub(s, start, pos), pos + 1 end
            pos = pos + 1
         end
      end
   end
   -- a comment: '--' and a long string, or to the end of the line (newline included)
   local function match_comment(s, pos)
      pos = pos or 1
      if sub(s, pos, pos + 1) ~= '--' then return nil, pos end
      pos = pos + 2
      local long, after = lb.match_string(s, pos)
      if long then return '--' .. long, after end
      local line
      line, pos = match(s, '^([^\n]*\n?)()', pos)
      return '--' .. line, pos
   end
   lb.match_comment = match_comment
   -- an expression: up to a closing bracket, ';', ',', '=' (not of ==, <=, >=, ~=), or a word
   -- that cannot continue it (an identifier after a name, a closing bracket or a string, not
   -- after and/or/not)
   local wordop = {['and'] = true, ['or'] = true, ['not'] = true}
   local compare = {['>'] = true, ['<'] = true, ['~'] = true}
   function lb.match_expression(s, pos)
      pos = pos or 1
      local start = pos
      local lastident, comment_start, comment_end
      while pos do
         local c = sub(s, pos, pos)
         if c == '"' or c == "'" or c == '[' and find(s, '^[=%[]', pos + 1) then
            local part
            part, pos = lb.match_string(s, pos)
            assert(part, 'syntax error')
         elseif c == '-' and sub(s, pos + 1, pos + 1) == '-' then
            comment_start = pos
            while sub(s, pos, pos + 1) == '--' do
               local part
               part, pos = match_comment(s, pos)
               assert(part)
               pos = match(s, '^%s*()', pos)
               comment_end = pos
            end
         elseif c == '(' or c == '{' or c == '[' then
            local _
            _, pos = lb.match_bracketed(s, pos)
         elseif c == '=' and sub(s, pos + 1, pos + 1) == '=' then
            pos = pos + 2
         elseif c == '=' and compare[sub(s, pos - 1, pos - 1)] then
            pos = pos + 1
         elseif match(c, '^[%)%}%];,=]') then
            return sub(s, start, pos - 1), pos
         elseif match(c, '^[%w_]') then
            local ident, after = match(s, '^([%w_]+)()', pos)
            if pos ~= start and not wordop[ident] then
               local e = ((comment_end == pos) and comment_start or pos) - 1
               while match(s, '^%s', e) do e = e - 1 end
               local before = sub(s, e, e)
               if match(before, '[%)%}\'"%]]') or
                  match(before, '[%w_]') and not wordop[lastident] then
                  return sub(s, start, pos - 1), pos
               end
            end
            lastident, pos = ident, after
         else
            pos = pos + 1
         end
         pos = find(s, '[%(%{%[%)%}%]"\';,=%w_%-]', pos)
      end
      return sub(s, start, #s), #s + 1
   end
   -- a comma-separated list of names (a table of them)
   function lb.match_namelist(s, pos)
      pos = pos or 1
      local list = {}
      while true do
         local lead = #list == 0 and '^' or '^%s*,%s*'
         local item, after = match(s, lead .. '([%a_][%w_]*)%s*()', pos)
         if not item then break end
         pos = after
         list[#list + 1] = item
      end
      return list, pos
   end
   -- a comma-separated list of expressions (a table of them)
   function lb.match_explist(s, pos)
      pos = pos or 1
      local list = {}
      while true do
         if #list ~= 0 then
            local after = match(s, '^%s*,%s*()', pos)
            if not after then break end
            pos = after
         end
         local item
         item, pos = lb.match_expression(s, pos)
         assert(item, 'syntax error')
         list[#list + 1] = item
      end
      return list, pos
   end
   -- gsub(s, f): s rebuilt from its pieces, each f(kind, text) or itself: 'e' code, 'c' a
   -- comment, 's' a string
   function lb.gsub(s, f)
      local pos, from, out = 1, 1, {}
      local function code(upto)
         local e = sub(s, from, upto)
         if #e > 0 then out[#out + 1] = f('e', e) or e end
      end
      while true do
         pos = find(s, '[%-\'"%[]', pos)
         if not pos then break end
         if match(s, '^%-%-', pos) then
            code(pos - 1)
            local comment
            comment, pos = match_comment(s, pos)
            out[#out + 1] = f('c', assert(comment)) or comment
            from = pos
         else
            local str, after = lb.match_string(s, pos)
            if str then
               code(pos - 1)
               out[#out + 1] = f('s', str) or str
               pos, from = after, after
            else
               pos = pos + 1
            end
         end
      end
      code(#s)
      return concat(out)
   end
   return lb
end

return M
