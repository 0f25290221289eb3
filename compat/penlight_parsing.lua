-- Penlight's parsers, as Torch7's th had them (Penlight 1.4.1): pl.sip, pl.lexer, pl.xml,
-- pl.luabalanced.
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

-- pl.xml (Penlight 1.4.1): XML documents as LOM tables ({tag = name, attr = {...}, child,
-- ...}; text children are strings) with the Doc methods: Prosody-style building (new,
-- addtag, text, up), Orbit-style constructors (tags, elem), templates (subst, match),
-- queries, tostring (attributes in single quotes; attr's array part, when it has one, gives
-- their order), clone/compare/walk, and a basic parser (lxp.lom when it can be required).
function M.xml()
   local utils = require 'pl.utils'
   local xml = {}
   local Doc = {__type = 'doc'}
   Doc.__index = Doc
   local function is_text(s) return lua_type(s) == 'string' end
   function xml.is_tag(d) return lua_type(d) == 'table' and is_text(d.tag) end
   local function is_element(d) return lua_type(d) == 'table' and d.tag ~= nil end
   function xml.new(tag, attr)
      return setmetatable({tag = tag, attr = attr or {}, last_add = {}}, Doc)
   end
   -- building: addtag opens a child (under the last one opened), text adds text there, up
   -- closes the last one opened
   local function current(self) return self.last_add[#self.last_add] or self end
   function Doc:addtag(tag, attrs)
      local child = xml.new(tag, attrs)
      current(self):add_direct_child(child)
      tinsert(self.last_add, child)
      return self
   end
   function Doc:text(text)
      current(self):add_direct_child(text)
      return self
   end
   function Doc:up()
      table.remove(self.last_add)
      return self
   end
   function Doc:reset()
      for i = 1, #self.last_add do self.last_add[i] = nil end
      return self
   end
   function Doc:add_direct_child(child) tinsert(self, child) end
   function Doc:add_child(child)
      current(self):add_direct_child(child)
      return self
   end
   function Doc:set_attribs(t) for k, v in pairs(t) do self.attr[k] = v end end
   function Doc:set_attrib(a, v) self.attr[a] = v end
   function Doc:get_attribs() return self.attr end
   -- elem(tag, items): string items are attributes (their names also listed in attr's array
   -- part, for their order), the others children; a string or a tag alone is one child
   function xml.elem(tag, items)
      local e = xml.new(tag)
      if is_text(items) then items = {items} end
      if xml.is_tag(items) then
         tinsert(e, items)
      elseif lua_type(items) == 'table' then
         for k, v in pairs(items) do
            if is_text(k) then
               e.attr[k] = v
               tinsert(e.attr, k)
            else
               e[k] = v
            end
         end
      end
      return e
   end
   -- tags('a, b'): one constructor per name
   function xml.tags(list)
      if is_text(list) then list = utils.split(list, '%s*,%s*') end
      local ctors = {}
      for _, tag in ipairs(list) do
         ctors[#ctors + 1] = function(items) return xml.elem(tag, items) end
      end
      return unpack(ctors)
   end
   local templates = {}
   local function template_of(templ)
      if is_text(templ) then
         if templates[templ] then return templates[templ] end
         local doc, err = xml.parse(templ, false, true)
         if not doc then return nil, err end
         templates[templ] = doc
         return doc
      elseif not xml.is_tag(templ) then
         return nil, 'template is not a document'
      end
      return templ
   end
   local function is_data(data) return #data == 0 or lua_type(data[1]) ~= 'table' end
   local function number_keys(data)
      for i, v in ipairs(data) do data[tostring(i)] = v end
   end
   -- templ:subst(data): $name in the template's text and attributes replaced from data (a
   -- table of values, or a list of them: one copy each; data.tag wraps the copies)
   function Doc.subst(templ, data)
      local err
      if lua_type(data) ~= 'table' or not next(data) then
         return nil, 'data must be a non-empty table'
      end
      if is_data(data) then number_keys(data) end
      templ, err = template_of(templ)
      if err then return nil, err end
      local function fill(item)
         return xml.clone(templ, function(s) return s:gsub('%$(%w+)', item) end)
      end
      if is_data(data) then return fill(data) end
      local list = {}
      for _, item in ipairs(data) do
         number_keys(item)
         tinsert(list, fill(item))
      end
      if data.tag then list = xml.elem(data.tag, list) end
      return list
   end
   function Doc:child_with_name(tag)
      for _, child in ipairs(self) do
         if child.tag == tag then return child end
      end
   end
   local function with_name(d, tag, list, recurse)
      for _, child in ipairs(d) do
         if lua_type(child) == 'table' then
            if child.tag == tag then tinsert(list, child) end
            if recurse then with_name(child, tag, list, recurse) end
         end
      end
   end
   function Doc:get_elements_with_name(tag, dont_recurse)
      local res = {}
      with_name(self, tag, res, not dont_recurse)
      return res
   end
   function Doc:children()
      local i = 0
      return function(a)
         i = i + 1
         return a[i]
      end, self, i
   end
   function Doc:first_childtag()
      if #self == 0 then return end
      for _, t in ipairs(self) do
         if lua_type(t) == 'table' then return t end
      end
   end
   function Doc:matching_tags(tag, xmlns)
      xmlns = xmlns or self.attr.xmlns
      local start, n = 1, #self
      return function()
         for i = start, n do
            local v = self[i]
            if (not tag or v.tag == tag) and (not xmlns or xmlns == v.attr.xmlns) then
               start = i + 1
               return v
            end
         end
      end, self, start
   end
   function Doc:childtags()
      local i = 0
      return function()
         while true do
            i = i + 1
            local v = self[i]
            if not v then return end
            if lua_type(v) == 'table' then return v end
         end
      end, self[1], i
   end
   -- maptags(f): each child tag replaced by f(tag), removed when that is nil
   function Doc:maptags(callback)
      local i = 1
      while i <= #self do
         if xml.is_tag(self[i]) then
            local ret = callback(self[i])
            if ret == nil then
               table.remove(self, i)
            else
               self[i] = ret
               i = i + 1
            end
         end
      end
      return self
   end
   local escapes = {["'"] = '&apos;', ['"'] = '&quot;', ['<'] = '&lt;', ['>'] = '&gt;',
                    ['&'] = '&amp;'}
   local function xml_escape(str) return (gsub(str, '[\'&<>"]', escapes)) end
   xml.xml_escape = xml_escape
   -- writing: idn the indentation so far (nil: one line), indent the step, attr_indent puts
   -- each attribute on its own line
   local function write(t, buf, parentns, idn, indent, attr_indent)
      local nsid = 0
      local lf, alf = '', ' '
      if indent then lf = '\n' .. idn end
      if attr_indent then alf = '\n' .. idn .. attr_indent end
      tinsert(buf, lf .. '<' .. t.tag)
      local function attr(k, v)
         if find(k, '\1', 1, true) then
            local ns, key = match(k, '^([^\1]*)\1?(.*)$')
            nsid = nsid + 1
            tinsert(buf, ' xmlns:ns' .. nsid .. "='" .. xml_escape(ns) .. "' ns" .. nsid .. ':' ..
                    key .. "='" .. xml_escape(v) .. "'")
         elseif not (k == 'xmlns' and v == parentns) then
            tinsert(buf, alf .. k .. "='" .. xml_escape(v) .. "'")
         end
      end
      if #t.attr > 0 then
         for _, k in ipairs(t.attr) do attr(k, t.attr[k]) end
      else
         for k, v in pairs(t.attr) do attr(k, v) end
      end
      local n = #t
      if n == 0 then
         tinsert(buf, (attr_indent and '\n' .. idn or '') .. '/>')
         return
      end
      tinsert(buf, '>')
      local has_children
      for i = 1, n do
         local child = t[i]
         if child.tag then
            write(child, buf, t.attr.xmlns, idn and idn .. indent, indent, attr_indent)
            has_children = true
         else
            tinsert(buf, xml_escape(child))
         end
      end
      tinsert(buf, (has_children and lf or '') .. '</' .. t.tag .. '>')
   end
   -- tostring(doc, idn, indent, attr_indent, xml): xml true puts <?xml version='1.0'?>
   -- first (a string: that string)
   function xml.tostring(t, idn, indent, attr_indent, decl)
      local buf = {}
      if decl then buf[1] = is_text(decl) and decl or "<?xml version='1.0'?>" end
      write(t, buf, nil, idn, indent, attr_indent)
      return concat(buf)
   end
   Doc.__tostring = xml.tostring
   function Doc:get_text()
      local res = {}
      for _, el in ipairs(self) do
         if is_text(el) then tinsert(res, el) end
      end
      return concat(res)
   end
   -- clone(doc, strsubst): a deep copy; strsubst(s, kind, parent) rewrites its strings
   -- (kind '*TAG', '*TEXT' or the attribute's name)
   function xml.clone(doc, strsubst)
      local seen = {}
      local function copy(obj, kind, parent)
         if lua_type(obj) ~= 'table' then
            if strsubst and is_text(obj) then return strsubst(obj, kind, parent) end
            return obj
         elseif seen[obj] then
            return seen[obj]
         end
         local new = {}
         seen[obj] = new
         new.tag = copy(obj.tag, '*TAG', parent)
         if obj.attr then
            local res = {}
            for k, v in pairs(obj.attr) do res[k] = copy(v, k, obj) end
            new.attr = res
         end
         for i = 1, #obj do
            local v = copy(obj[i], '*TEXT', obj)
            tinsert(new, v)
         end
         return setmetatable(new, getmetatable(obj))
      end
      return copy(doc)
   end
   Doc.filter = xml.clone
   -- compare(t1, t2): true, or false (or a message) saying where they differ
   function xml.compare(t1, t2)
      local ty1, ty2 = lua_type(t1), lua_type(t2)
      if ty1 ~= ty2 then return false, 'type mismatch' end
      if ty1 == 'string' then
         return t1 == t2 and true or 'text ' .. t1 .. ' ~= text ' .. t2
      end
      if ty1 ~= 'table' then return false, 'not a document' end
      if t1.tag ~= t2.tag then return false, 'tag  ' .. t1.tag .. ' ~= tag ' .. t2.tag end
      if #t1 ~= #t2 then
         return false, 'size ' .. #t1 .. ' ~= size ' .. #t2 .. ' for tag ' .. t1.tag
      end
      for k, v in pairs(t1.attr) do
         if t2.attr[k] ~= v then return false, 'mismatch attrib' end
      end
      for k, v in pairs(t2.attr) do
         if t1.attr[k] ~= v then return false, 'mismatch attrib' end
      end
      for i = 1, #t1 do
         local yes, err = xml.compare(t1[i], t2[i])
         if not yes then return err end
      end
      return true
   end
   function xml.walk(doc, depth_first, operation)
      if not depth_first then operation(doc.tag, doc) end
      for _, d in ipairs(doc) do
         if xml.is_tag(d) then xml.walk(d, depth_first, operation) end
      end
      if depth_first then operation(doc.tag, doc) end
   end
   local html_empty = {br = true, img = true, meta = true, frame = true, area = true,
                       hr = true, base = true, col = true, link = true, input = true,
                       option = true, param = true, isindex = true, embed = true}
   local entities = {quot = '"', apos = "'", lt = '<', gt = '>', amp = '&'}
   local function unescape(str) return (gsub(str, '&(%a+);', entities)) end
   function xml.parsehtml(s) return xml.basic_parse(s, false, true) end
   -- basic_parse(s, all_text, html): the document's first element (errors raised for
   -- mismatched tags); whitespace-only text is dropped unless all_text; html lowercases names,
   -- knows the void elements and takes unquoted attribute values
   function xml.basic_parse(s, all_text, html)
      local stack, top = {}, {}
      local function parseargs(str)
         local args = {}
         gsub(str, '([%w:%-_]+)%s*=%s*(["\'])(.-)%2', function(w, _, a)
            if html then w = w:lower() end
            args[w] = unescape(a)
         end)
         if html then
            gsub(str, '([%w:%-_]+)%s*=%s*([^"\']+)%s*', function(w, a)
               args[w:lower()] = unescape(a)
            end)
         end
         return args
      end
      tinsert(stack, top)
      local i, j = 1, 1
      local _, istart = find(s, '^%s*<%?[^%?]+%?>%s*')
      if not istart then _, istart = find(s, '^%s*<!DOCTYPE.->%s*') end
      if istart then i = istart + 1 end
      while true do
         local ni, c, label, xarg, empty
         ni, j, c, label, xarg, empty = find(s, '<([%/!]?)([%w:%-_]+)(.-)(%/?)>', i)
         if not ni then break end
         if c == '!' then
            if not (match(label, '%-%-$') and xarg == '') then
               if match(xarg, '%-%-$') then j = j - 2 end
               _, j = find(s, '-->', j, true)
            end
         else
            local text = sub(s, i, ni - 1)
            if html then
               label = label:lower()
               if html_empty[label] then empty = '/' end
            end
            if all_text or not find(text, '^%s*$') then tinsert(top, unescape(text)) end
            if empty == '/' then
               tinsert(top, setmetatable({tag = label, attr = parseargs(xarg), empty = 1}, Doc))
            elseif c == '' then
               top = setmetatable({tag = label, attr = parseargs(xarg)}, Doc)
               tinsert(stack, top)
            else
               local toclose = table.remove(stack)
               top = stack[#stack]
               if #stack < 1 then error('nothing to close with ' .. label .. ':' .. text) end
               if toclose.tag ~= label then
                  error('trying to close ' .. toclose.tag .. ' with ' .. label .. ' ' .. text)
               end
               tinsert(top, toclose)
            end
         end
         i = j + 1
      end
      local text = sub(s, i)
      if all_text or not find(text, '^%s*$') then tinsert(stack[#stack], unescape(text)) end
      if #stack > 1 then error('unclosed ' .. stack[#stack].tag) end
      local res = stack[1]
      return is_text(res[1]) and res[2] or res[1]
   end
   -- parse(text or file name, is_file, use_basic): lxp.lom's parser when it loads (and not
   -- use_basic), else basic_parse
   function xml.parse(text_or_file, is_file, use_basic)
      local parser, ok, lom
      if use_basic then
         parser = xml.basic_parse
      else
         ok, lom = pcall(require, 'lxp.lom')
         if ok then parser = lom.parse else parser, lom = xml.basic_parse, nil end
      end
      if is_file then
         local f, err = io.open(text_or_file)
         if not f then return nil, err end
         text_or_file = f:read '*a'
         f:close()
      end
      local doc, err = parser(text_or_file)
      if not doc then return nil, err end
      if lom then xml.walk(doc, false, function(_, d) setmetatable(d, Doc) end) end
      return doc
   end
   -- matching a document against a pattern document: '$name' in text or attributes captures
   -- there ($1... array places), a tag 'name-' captures the tag's name, {{ element }} repeats
   -- (each match's captures collected; '$_' names the collected table's key)
   local function empty(attr) return not attr or not next(attr) end
   local function single(t)
      local key, value = next(t)
      if next(t, key) ~= nil then return false end
      return key, value
   end
   local function append_capture(res, tbl)
      if empty(tbl) then return end
      local key
      if tbl._ then
         key = tbl._
         tbl._ = nil
         if empty(tbl) then return end
      end
      local numkey, val = single(tbl)
      if numkey == 0 then tbl = val end
      if key then res[key] = tbl else tinsert(res, tbl) end
   end
   local function make_number(pat)
      if find(pat, '^%d+$') then return tonumber(pat) end
      return pat
   end
   local function capture(res, pat, value)
      res[make_number(sub(pat, 2))] = value
      return true
   end
   local function match_doc(d, pat, res, keep_going)
      local ret = true
      if d == nil then d = '' end
      if is_text(d) then
         if not is_text(pat) then return false end
         if xml.debug then print(d, pat) end
         if find(pat, '^%$') then return capture(res, pat, d) end
         return d == pat
      end
      if xml.debug then print(d.tag, pat.tag) end
      local tagpat = match(pat.tag, '^(.-)%-$')
      if tagpat then
         tagpat = make_number(tagpat)
         res[tagpat] = d.tag
      end
      if d.tag == pat.tag or tagpat then
         if not empty(pat.attr) then
            if empty(d.attr) then
               ret = false
            else
               for prop, pval in pairs(pat.attr) do
                  if not match_doc(d.attr[prop], pval, res) then ret = false break end
               end
            end
         end
         if ret and #pat > 0 then
            local i, j = 1, 1
            local function next_elem()
               j = j + 1
               if is_text(d[j]) then j = j + 1 end
               return j <= #d
            end
            repeat
               local p = pat[i]
               if is_element(p) and p.repeated then
                  local found
                  repeat
                     local tbl = {}
                     ret = match_doc(d[j], p, tbl, false)
                     if ret then
                        found = false
                        append_capture(res, tbl)
                     end
                  until not next_elem() or (found and not ret)
                  i = i + 1
               else
                  ret = match_doc(d[j], p, res, false)
                  if ret then i = i + 1 end
               end
            until not next_elem() or i > #pat
            if i > #pat then return true end
         end
         if ret then return true end
      else
         ret = false
      end
      if keep_going then
         for child in d:childtags() do
            ret = match_doc(child, pat, res, keep_going)
            if ret then break end
         end
      end
      return ret
   end
   function Doc:match(pat)
      local err
      pat, err = template_of(pat)
      if not pat then return nil, err end
      xml.walk(pat, false, function(_, d)
         if is_text(d[1]) and is_element(d[2]) and is_text(d[3]) and
            find(d[1], '%s*{{') and find(d[3], '}}%s*') then
            table.remove(d, 1)
            table.remove(d, 2)
            d[1].repeated = true
         end
      end)
      local res = {}
      local ret = match_doc(self, pat, res, true)
      return res, ret
   end
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
