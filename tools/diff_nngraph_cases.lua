-- The scenarios of tools/diff_nngraph.lua: each runs on the original nngraph and on ours from
-- the same seed; R(label, value) records what is compared (see diff_nngraph.lua).
local C = {}
local function case(name, fn) C[#C + 1] = {name, fn} end

local function rnd(...) return torch.randn(...) end
local function cl(x)
   if torch.isTensor(x) then return x:clone() end
   if type(x) == 'table' then
      local r = {}
      for k, v in pairs(x) do r[k] = cl(v) end
      return r
   end
   return x
end

-- the graph's structure: node ids, module types, children ids, mapindex order, labels
local function structure(R, prefix, g)
   local function desc(nodes)
      local r = {}
      for i, n in ipairs(nodes) do
         local kids = {}
         for j, c in ipairs(n.children) do kids[j] = c.id end
         local d = n.data
         local mi = {}
         for j, x in ipairs(d.mapindex or {}) do mi[j] = x.forwardNodeId or '?' end
         r[i] = {id = n.id, module = d.module and torch.typename(d.module) or '-',
                 children = kids, mapindex = mi, selectindex = d.selectindex or '-',
                 nSplitOutputs = d.nSplitOutputs or '-', fnid = d.forwardNodeId or '-',
                 name = d.annotations and d.annotations.name or '-',
                 label = R.normlabels(n:label()), tostring = tostring(n),
                 graphNodeName = n.graphNodeName and n:graphNodeName() or '-'}
      end
      return r
   end
   R(prefix .. ' forwardnodes', desc(g.forwardnodes))
   R(prefix .. ' backwardnodes', desc(g.backwardnodes))
   R(prefix .. ' fg.nodes', desc(g.fg.nodes))
   R(prefix .. ' bg.nodes', desc(g.bg.nodes))
   local function edges(gr)
      local r = {}
      for i, e in ipairs(gr.edges) do r[i] = {e.from.id, e.to.id} end
      return r
   end
   R(prefix .. ' fg.edges', edges(g.fg))
   R(prefix .. ' bg.edges', edges(g.bg))
   R(prefix .. ' innode/outnode', {g.innode.id, g.outnode.id, g.nInputs, #g.modules})
   local types = {}
   for i, m in ipairs(g.modules) do types[i] = torch.typename(m) end
   R(prefix .. ' modules', types)
   R(prefix .. ' tostring', tostring(g))
   R(prefix .. ' fg todot', R.normlabels(g.fg:todot('T')))
   R(prefix .. ' bg todot', R.normlabels(g.bg:todot()))
   local labels = {}
   for i, n in ipairs(g.forwardnodes) do labels[i] = n.data.annotations._debugLabel or '-' end
   R(prefix .. ' debugLabel', labels)
end

-- forward/backward/updateParameters/zeroGradParameters over several steps
local function train(R, prefix, g, mkin, mkgo, steps)
   for s = 1, steps or 3 do
      local input = mkin()
      local out = g:forward(input)
      R(prefix .. ' step' .. s .. ' output', out)
      local go = mkgo(out)
      local gi = g:backward(input, go)
      R(prefix .. ' step' .. s .. ' gradInput', gi)
      R(prefix .. ' step' .. s .. ' same buffers', {g.output == out, g.gradInput == gi})
      g:updateParameters(0.1)
      local p, gp = g:parameters()
      R(prefix .. ' step' .. s .. ' params', p or {})
      R(prefix .. ' step' .. s .. ' gradParams', gp or {})
      g:zeroGradParameters()
      R(prefix .. ' step' .. s .. ' zeroed', select(2, g:parameters()) or {})
   end
end

local function likeout(out)
   if torch.isTensor(out) then return rnd(out:size()) end
   local r = {}
   for i, o in ipairs(out) do r[i] = likeout(o) end
   return r
end

local function mlp()
   local x = nn.Identity()()
   local h = nn.Linear(4, 5)(x)
   local y = nn.Linear(5, 3)(nn.Tanh()(h))
   return nn.gModule({x}, {y})
end

local function probe_forward(mkin)
   return function(m)
      torch.manualSeed(99)
      local input = mkin()
      local out = m:forward(input)
      local gi = m:backward(input, likeout(out))
      local p = m:parameters()
      return {torch.typename(m), cl(out), cl(gi), cl(p or {}), #m.forwardnodes,
              tostring(m)}
   end
end

case('build call forms', function(R)
   local x = nn.Identity()()
   local a = nn.Linear(3, 3)(x)
   local b = x - nn.Linear(3, 3) - nn.Tanh()
   local c = -nn.Identity()
   local s = nn.CAddTable()({a, b})
   local t = nn.CMulTable()({s, c})
   local g = nn.gModule({x, c}, {t, s})
   R('types', {torch.typename(x), torch.typename(b), torch.typename(c), torch.typename(g)})
   structure(R, 'g', g)
   train(R, 'g', g, function() return {rnd(3), rnd(3)} end, likeout)
   R.save('g', g, probe_forward(function() return {rnd(3), rnd(3)} end))
end)

case('mlp batch', function(R)
   local g = mlp()
   structure(R, 'g', g)
   train(R, 'g', g, function() return rnd(2, 4) end, likeout, 4)
   R.save('g', g, probe_forward(function() return rnd(2, 4) end))
end)

case('split and selectindex', function(R)
   local x = nn.Identity()()
   local parts = {nn.SplitTable(1)(x):split(3)}
   local y = nn.JoinTable(1)({parts[3], nn.Tanh()(parts[1]), parts[2]})
   local one = nn.Identity()(x):split(1)
   local z = nn.CAddTable()({nn.Sum(1)(y), nn.Sum(1)(nn.View(-1)(one))})
   local g = nn.gModule({x}, {z, y})
   R('split types', {torch.typename(parts[1]), #parts, torch.typename(one)})
   structure(R, 'g', g)
   train(R, 'g', g, function() return rnd(3, 2) end, likeout)
   R.save('g', g, probe_forward(function() return rnd(3, 2) end))
end)

case('multiple inputs and outputs', function(R)
   local a, b, c = nn.Identity()(), nn.Identity()(), nn.Identity()()
   local ab = nn.CAddTable()({a, b})
   local o1 = nn.Linear(2, 2)(ab)
   local o2 = nn.CMulTable()({o1, c})
   local o3 = nn.Identity()({c})
   local g = nn.gModule({a, b, c}, {o2, o1, o3})
   structure(R, 'g', g)
   train(R, 'g', g, function() return {rnd(2), rnd(2), rnd(2)} end, likeout)
   R.save('g', g, probe_forward(function() return {rnd(2), rnd(2), rnd(2)} end))
end)

case('table input node', function(R)
   -- one input node carrying a table, split inside
   local x = nn.Identity()()
   local p, q = x:split(2)
   local y = nn.CSubTable()({p, q})
   local g = nn.gModule({x}, {y})
   structure(R, 'g', g)
   train(R, 'g', g, function() return {rnd(3), rnd(3)} end, likeout)
   R.save('g', g, probe_forward(function() return {rnd(3), rnd(3)} end))
end)

case('nested gModules', function(R)
   local inner = mlp()
   local x = nn.Identity()()
   local h = inner(x)
   local inner2 = mlp()
   local y = nn.CAddTable()({h, inner2(x)})
   local g = nn.gModule({x}, {nn.Sigmoid()(y)})
   structure(R, 'g', g)
   structure(R, 'inner', inner)
   train(R, 'g', g, function() return rnd(4) end, likeout)
   R.save('g', g, probe_forward(function() return rnd(4) end))
end)

case('gModule in Sequential', function(R)
   local seq = nn.Sequential():add(nn.Linear(3, 4)):add(mlp()):add(nn.LogSoftMax())
   train(R, 'seq', seq, function() return rnd(5, 3) end, likeout)
   R('tostring', tostring(seq))
   local p, gp = seq:getParameters()
   R('getParameters', {p, gp})
   R.save('seq', seq, probe_forward(function() return rnd(5, 3) end))
end)

case('shared parameters via clone', function(R)
   local proto = mlp()
   local params, grads = proto:getParameters()
   local clones = {}
   for t = 1, 3 do clones[t] = proto:clone('weight', 'bias', 'gradWeight', 'gradBias') end
   local inputs = {}
   for t = 1, 3 do
      inputs[t] = rnd(2, 4)
      R('clone' .. t .. ' output', clones[t]:forward(inputs[t]))
   end
   for t = 3, 1, -1 do
      R('clone' .. t .. ' gradInput', clones[t]:backward(inputs[t], rnd(2, 3)))
   end
   R('shared grads', grads)
   R('shared params', params)
   local cp = clones[2]:parameters()
   R('clone shares storage', {cp[1]:storage() == params:storage(),
                              torch.pointer(cp[1]:storage()) == torch.pointer(params:storage())})
   structure(R, 'clone', clones[1])
   R.save('clone', clones[1], probe_forward(function() return rnd(2, 4) end))
end)

case('share', function(R)
   local a, b = mlp(), mlp()
   b:share(a, 'weight', 'bias')
   local pa, pb = a:parameters(), b:parameters()
   R('shared', {pa[1]:storage() == pb[1]:storage(), pa[2]:storage() == pb[2]:storage()})
   local x = rnd(4)
   R('outputs', {a:forward(x), b:forward(x)})
end)

case('criterion node', function(R)
   local x, t = nn.Identity()(), nn.Identity()()
   local pred = nn.LogSoftMax()(nn.Linear(4, 3)(x))
   local loss = nn.ClassNLLCriterion()({pred, t})
   local mse = nn.ModuleFromCriterion(nn.MSECriterion())({nn.Linear(4, 2)(x), nn.Identity()()})
   R('types', {torch.typename(loss.data.module), torch.typename(mse.data.module)})
   local g = nn.gModule({x, t}, {loss})
   structure(R, 'g', g)
   train(R, 'g', g, function() return {rnd(2, 4), torch.Tensor({1, 3})} end,
         function() return torch.Tensor({1}) end)
   R.save('g', g, function(m)
      local out = m:forward({rnd(2, 4), torch.Tensor({2, 1})})
      return {cl(out), cl(m:backward({rnd(2, 4), torch.Tensor({2, 1})}, torch.Tensor({1})))}
   end)
   R.err('unconnected mse input', function() return nn.gModule({x, t}, {mse}) end)
end)

case('parameters order', function(R)
   local x = nn.Identity()()
   local l1 = nn.Linear(2, 3)(x)
   local l2 = nn.Linear(2, 4)(x)
   local l3 = nn.Linear(7, 1)(nn.JoinTable(1)({l2, l1}))
   local g = nn.gModule({x}, {l3, nn.Linear(3, 2)(l1)})
   local p, gp = g:parameters()
   local sizes = {}
   for i, t in ipairs(p) do sizes[i] = t:size():totable() end
   R('parameter sizes', sizes)
   R('parameters', p)
   local fp, fgp = g:getParameters()
   R('flat', {fp, fgp:size(1)})
   structure(R, 'g', g)
end)

case('type and clone', function(R)
   local g = mlp()
   g:float()
   R('float params', (g:parameters()))
   R('float output', g:forward(rnd(2, 4):float()))
   local c = g:clone()
   R('clone output', c:forward(rnd(2, 4):float()))
   g:type('torch.DoubleTensor')
   R('double output', g:forward(rnd(2, 4)))
   R('types', {torch.typename(g.output), torch.typename(c.output)})
   local node = g.forwardnodes[3]
   R('node input type', node.data.input and node.data.input[1] and torch.typename(node.data.input[1]) or '-')
   R.save('float', c, probe_forward(function() return rnd(2, 4):float() end))
end)

case('clearState and modes', function(R)
   local x = nn.Identity()()
   local y = nn.Linear(5, 5)(nn.Dropout(0.5)(x))
   local g = nn.gModule({x}, {y})
   local input = rnd(3, 5)
   R('train out', g:forward(input))
   g:backward(input, rnd(3, 5))
   g:evaluate()
   R('train flags', {g.train, g.modules[1].train, g.modules[2].train})
   R('eval out', g:forward(input))
   g:training()
   R('train flags again', {g.train, g.modules[1].train})
   R('clearState returns self', g:clearState() == g)
   local fields = {}
   for i, n in ipairs(g.forwardnodes) do fields[i] = {n.data.input == nil, n.data.gradOutput == nil} end
   R('cleared nodes', fields)
   R('output after clearState', g.output)
   R.save('cleared', g, probe_forward(function() return rnd(3, 5) end))
end)

case('annotations and labels', function(R)
   local inp = nn.Identity()()
   local hidden = nn.Linear(3, 3)(inp):annotate{name = 'hid', description = 'a layer',
                                                graphAttributes = {color = 'red', style = 'filled'}}
   local out = nn.Tanh()(hidden)
   nngraph.annotateNodes()
   R('names', {inp.data.annotations.name, hidden.data.annotations.name, out.data.annotations.name})
   local g = nn.gModule({inp}, {out})
   g.name = 'annotated'
   structure(R, 'g', g)
   g:forward(rnd(3))
   structure(R, 'after forward', g)
   local attrs = {}
   for i, n in ipairs(g.forwardnodes) do
      local a = n:graphNodeAttributes()
      attrs[i] = {a.color or '-', a.style or '-', a.tooltip and R.normlabels(a.tooltip) or '-'}
   end
   R('graphNodeAttributes', attrs)
   R('graph.Node label', graph.Node({1, 2}):label():match('^table') ~= nil)
   R.save('annotated', g, function(m) return {tostring(m), m.forwardnodes[2].data.annotations.name} end)
end)

case('nan labels', function(R)
   local x = nn.Identity()()
   local g = nn.gModule({x}, {nn.Log()(x)})
   g:forward(torch.Tensor({-1, 0, 1}))
   local l = {}
   for i, n in ipairs(g.forwardnodes) do l[i] = R.normlabels(n:label()) end
   R('labels', l)
end)

case('graph package', function(R)
   local n = {}
   for i = 1, 5 do n[i] = graph.Node(i) end
   local G = graph.Graph()
   G:add(graph.Edge(n[1], n[2]))
   G:add({graph.Edge(n[1], n[3]), graph.Edge(n[2], n[4]), graph.Edge(n[3], n[4])})
   G:add(graph.Edge(n[4], n[5]))
   local function ids(t)
      local r = {}
      for i, x in ipairs(t) do r[i] = {x.id, x.data} end
      return r
   end
   R('nodes', ids(G.nodes))
   R('topsort', ids(G:topsort()))
   R('roots', ids(G:roots()))
   R('leaves', ids(G:leaves()))
   R('hasCycle', G:hasCycle())
   local rv = G:reverse()
   R('reverse nodes', ids(rv.nodes))
   R('reverse topsort', ids(rv:topsort()))
   local c = G:clone()
   R('clone nodes', ids(c.nodes))
   R('todot', G:todot('G'))
   local order = {}
   n[1]:dfs(function(x) order[#order + 1] = x.data end)
   R('dfs', order)
   order = {}
   n[1]:bfs(function(x) order[#order + 1] = x.data end)
   R('bfs', order)
   R('node graph', ids(n[1]:graph().nodes))
   R('tostring', {tostring(G):match('^graph.Graph') ~= nil, torch.typename(G.edges[1])})
   G:add(graph.Edge(n[5], n[1]))
   R('cycle', G:hasCycle())
   R.err('topsort of a cycle', function() return G:topsort() end)
   R.err('add a number', function() G:add(3) end)
   R('escape', graph._dotEscape('a"b\\c\nd'))
end)

case('errors', function(R)
   local lin = nn.Linear(2, 3)
   R.err('two args', function() return lin(nn.Identity()(), nn.Identity()()) end)
   R.err('explicit nil', function() return lin(nil) end)
   R.err('empty table', function() return lin({}) end)
   R.err('module as input', function() return lin(nn.Linear(2, 2)) end)
   R.err('tensor input', function() return lin(torch.zeros(2)) end)
   R.err('number input', function() return lin(3) end)
   R.err('nil in table', function() return nn.CAddTable()({nn.Identity()(), nil, nn.Identity()()}) end)
   local x = nn.Identity()()
   R.err('module as output', function() return nn.gModule({x}, {nn.Linear(2, 2)}) end)
   R.err('nil output', function() return nn.gModule({x}, {nil}) end)
   R.err('no inputs', function() return nn.gModule({}, {nn.Tanh()(nn.Identity()())}) end)
   local y = nn.Tanh()(x)
   R.err('same input twice', function() return nn.CAddTable()({y, y}) end)
   local a, b = nn.Identity()(), nn.Identity()()
   local s = nn.CAddTable()({a, b})
   R.err('unused input', function() return nn.gModule({a, b, nn.Identity()()}, {s}) end)
   local i1 = nn.Identity()()
   local i2 = nn.Tanh()(i1)
   R.err('input with inputs', function() return nn.gModule({i1, i2}, {nn.CAddTable()({i1, i2})}) end)
   local d = nn.Identity()()
   local kept = nn.Tanh()(d)
   local _dangling = nn.Sigmoid()(d)
   R.err('dangling node', function() return nn.gModule({d}, {kept}) end)
   local sp = nn.Identity()()
   local p1 = sp:split(3)
   R.err('unused split outputs', function() return nn.gModule({sp}, {p1}) end)
   local gi = nn.Identity()()
   local g = nn.gModule({gi}, {nn.Linear(2, 3)(gi)})
   R.err('forward size mismatch', function() return g:forward(rnd(5)) end)
   local m1, m2 = nn.Identity()(), nn.Identity()()
   local g2 = nn.gModule({m1, m2}, {nn.CAddTable()({m1, m2}), nn.Tanh()(m1)})
   R.err('one input of two', function() return g2:forward({rnd(2)}) end)
   R.err('three inputs of two', function() return g2:forward({rnd(2), rnd(2), rnd(2)}) end)
   R.err('tensor for two', function() return g2:forward(rnd(2)) end)
   g2:forward({rnd(2), rnd(2)})
   R.err('one gradOutput of two', function() return g2:backward({rnd(2), rnd(2)}, {rnd(2)}) end)
   R.err('three gradOutputs', function()
      return g2:backward({rnd(2), rnd(2)}, {rnd(2), rnd(2), rnd(2)}) end)
   local si = nn.Identity()()
   local sa, sb, sc = nn.SplitTable(1)(si):split(3)
   local g3 = nn.gModule({si}, {nn.CAddTable()({sa, sb, sc})})
   R.err('split runtime mismatch', function() return g3:forward(rnd(2, 3)) end)
   local ci = nn.Identity()()
   local seq = nn.Sequential():add(nn.gModule({ci}, {nn.Linear(2, 2)(ci)}))
   R.err('in Sequential', function() return seq:forward(rnd(3)) end)
   R.err('criterion on two', function() return nn.MSECriterion()(nn.Identity()(), nn.Identity()()) end)
   R.err('Node of nothing', function() return nngraph.Node() end)
end)

case('setDebug error', function(R)
   nngraph.setDebug(false)
   local x = nn.Identity()()
   local g = nn.gModule({x}, {nn.Linear(2, 2)(nn.Tanh()(x))})
   R.err('no debug', function() return g:forward(rnd(3)) end)
end)

case('gModule map and replace', function(R)
   local g = mlp()
   local g2 = g:clone()
   local pairs_ = {}
   g:map(g2, function(a, b) pairs_[#pairs_ + 1] = {torch.typename(a), a == b} end)
   R('map', pairs_)
   local r = g:replace(function(m)
      if torch.typename(m) == 'nn.Tanh' then return nn.Sigmoid() end
      return m
   end)
   R('replace returns', r == g)
   local types = {}
   for i, n in ipairs(g.forwardnodes) do types[i] = n.data.module and torch.typename(n.data.module) or '-' end
   R('replaced nodes', types)
   R('replaced output', g:forward(rnd(4)))
end)

case('nesting', function(R)
   local out = {torch.zeros(2), {torch.zeros(3)}}
   local nesting = require 'nngraph.nesting'
   local cloned = nesting.cloneNested({rnd(2), {rnd(3)}})
   R('cloneNested', cloned)
   nesting.fillNested(out, 2)
   R('fillNested', out)
   local o2 = {}
   nesting.resizeNestedAs(o2, {rnd(2, 2), rnd(1)})
   R('resizeNestedAs', {o2[1]:size():totable(), o2[2]:size():totable()})
   nesting.copyNested(o2, {torch.ones(2, 2), torch.ones(1)})
   nesting.addNestedTo(o2, {torch.ones(2, 2), torch.ones(1)})
   R('added', o2)
end)

case('empty gradOutput accumulation', function(R)
   -- a node feeding two others: its gradOutputs are summed
   local x = nn.Identity()()
   local h = nn.Linear(3, 3)(x)
   local y = nn.CAddTable()({nn.Tanh()(h), nn.Sigmoid()(h), h})
   local g = nn.gModule({x}, {y})
   train(R, 'g', g, function() return rnd(2, 3) end, likeout, 2)
   local gos = {}
   for i, n in ipairs(g.backwardnodes) do
      gos[i] = n.data.gradOutput and #n.data.gradOutput or '-'
   end
   R('gradOutput counts', gos)
   R.save('g', g, probe_forward(function() return rnd(2, 3) end))
end)

case('setDebug writes the failed graph', function(R)
   local x = nn.Identity()()
   local g = nn.gModule({x}, {nn.Linear(2, 2)(nn.Tanh()(x))})
   g.name = 'diff_nngraph_debug'
   nngraph.setDebug(true)
   local ok, e = pcall(function() return g:forward(rnd(3)) end)
   nngraph.setDebug(false)
   R('failed', ok)
   R('message first line', R.normlabels(tostring(e):match('^[^\n]*')))
   R('has traceback', tostring(e):find('stack traceback:', 1, true) ~= nil)
   local f = io.open('diff_nngraph_debug.dot')
   R('dot written', f ~= nil)
   if f then
      R('dot text', R.normlabels(f:read('*a')))
      f:close()
      os.remove('diff_nngraph_debug.dot')
      os.remove('diff_nngraph_debug.svg')
   end
   R.err('no debug any more', function() return g:forward(rnd(3)) end)
end)

case('nest, JustTable and simple_print', function(R)
   local a, b, c = nn.Identity()(), nn.Identity()(), nn.Identity()()
   local n1 = nngraph.nest({a, {b}, c})
   local n2 = nngraph.nest(a)
   R('nest types', {torch.typename(n1), torch.typename(n1.data.module), n2 == a})
   R.err('nest of nothing', function() return nngraph.nest() end)
   local flat = nn.FlattenTable()(n1)
   local s = nn.CAddTable()(flat)
   local g = nn.gModule({a, b, c}, {s, nn.JustTable()(a)})
   structure(R, 'g', g)
   train(R, 'g', g, function() return {rnd(2), rnd(2), rnd(2)} end, likeout, 2)
   R('simple_print', R.normlabels(nngraph.simple_print.todot(g.fg, 'SP')))
   R('simple_print bg', R.normlabels(nngraph.simple_print.todot(g.bg)))
end)

case('named gModule and graphNodeName', function(R)
   local x = nn.Identity()():annotate{name = 'in'}
   local h = nn.Linear(3, 2)(x):annotate{name = 'lin', description = 'the layer'}
   local g = nn.gModule({x}, {h})
   R('unnamed tostring', tostring(g))
   g.name = 'myname'
   R('named tostring', tostring(g))
   local names = {}
   for i, n in ipairs(g.forwardnodes) do names[i] = n:graphNodeName() end
   R('graphNodeNames', names)
   R('todot', R.normlabels(g.fg:todot('named')))
   R.save('named', g, function(m) return {tostring(m), m.name} end)
end)

case('deep chain and shared input', function(R)
   local x = nn.Identity()()
   local h = x
   for i = 1, 6 do h = nn.Tanh()(nn.Linear(3, 3)(h)) end
   local y = nn.CAddTable()({h, x, nn.Linear(3, 3)(x)})
   local g = nn.gModule({x}, {y})
   structure(R, 'g', g)
   train(R, 'g', g, function() return rnd(4, 3) end, likeout, 3)
   local p, gp = g:getParameters()
   R('flat', {p, gp})
   R.save('deep', g, probe_forward(function() return rnd(4, 3) end))
end)

case('gModule as a node inside a gModule inside a Sequential', function(R)
   local inner = mlp()
   local x = nn.Identity()()
   local mid = nn.gModule({x}, {nn.Sigmoid()(inner(x))})
   local seq = nn.Sequential():add(mid):add(nn.Tanh())
   local y = nn.Identity()()
   local outer = nn.gModule({y}, {seq(y)})
   train(R, 'outer', outer, function() return rnd(2, 4) end, likeout, 2)
   outer:evaluate()
   R('modes', {outer.train, mid.train, inner.train, inner.modules[1].train})
   outer:training()
   local c = outer:clone()
   R('clone out', c:forward(rnd(2, 4)))
   R('clone types', {torch.typename(c.modules[2]), torch.typename(c.modules[2].modules[1])})
   c:clearState()
   R('cleared', {c.output:nElement(), c.modules[2].output:nElement()})
   R.save('outer', outer, probe_forward(function() return rnd(2, 4) end))
end)

return C
