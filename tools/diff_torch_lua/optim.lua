-- optim's Lua files (all of optim is Lua) against our optim: random problems, random configs
-- drawn from every option the Lua reads, many steps; x, the returned values, and the config
-- and state tables afterwards are compared bit for bit.
local C = ...
local D = C.D
require 'optim'
local ours = optim
local O = {}
local env = {optim = O, torch = torch}
for _, f in ipairs({'polyinterp', 'lswolfe', 'sgd', 'adam', 'adagrad', 'adadelta', 'adamax',
                    'rmsprop', 'nag', 'rprop', 'asgd', 'lbfgs', 'cg', 'checkgrad', 'cmaes',
                    'de', 'fista'}) do
   C.load(D.optim .. '/' .. f .. '.lua', env)
end
C.optim_orig = O

-- problems: f(x), df/dx as fresh tensors --------------------------------------------------
local function quadratic(n, ty, seed)
   torch.manualSeed(seed)
   local M = torch[ty .. 'Tensor'](n, n):normal()
   local A = torch.mm(M, M:t()):add(0.1, torch[ty .. 'Tensor'](n, n):copy(torch.eye(n)))
   local b = torch[ty .. 'Tensor'](n):normal()
   return function(x)
      local Ax = torch.mv(A, x)
      return 0.5 * x:dot(Ax) - b:dot(x), Ax:add(-1, b)
   end
end

local function rosenbrock(n, ty)
   return function(x)
      local fx, g = 0, x.new(x:size()):zero()
      for i = 1, n - 1 do
         local a, c = x[i + 1] - x[i] * x[i], 1 - x[i]
         fx = fx + 100 * a * a + c * c
         g[i] = g[i] - 400 * x[i] * a - 2 * c
         g[i + 1] = g[i + 1] + 200 * a
      end
      return fx, g
   end
end

local function absval(n, ty)  -- not smooth: rprop's and the sign logic's corner cases
   return function(x)
      return x:norm(1), torch.sign(x)
   end
end

local function problem(seed)
   math.randomseed(seed)
   local n = math.random(1, 8)
   local ty = C.choice({'Double', 'Double', 'Float'})
   local kind = C.choice({'quadratic', 'quadratic', 'rosenbrock', 'abs'})
   if kind == 'rosenbrock' and n < 2 then n = 2 end
   local f = kind == 'quadratic' and quadratic(n, ty, seed) or
      kind == 'rosenbrock' and rosenbrock(n, ty) or absval(n, ty)
   torch.manualSeed(seed + 1)
   local x0 = torch[ty .. 'Tensor'](n):normal():mul(C.choice({0.1, 1, 3}))
   return f, x0, kind .. ' ' .. ty .. ' n=' .. n
end

-- each option the Lua reads, and values to draw for it --------------------------------------
local function vec(n, ty, lo, hi)
   return function(x)
      local v = x.new(x:size())
      for i = 1, v:nElement() do v[i] = lo + math.random() * (hi - lo) end
      return v
   end
end
local function pick(...)
   local vals = {...}
   return function() return vals[math.random(1, #vals)] end
end
local specs = {
   sgd = {learningRate = pick(1e-3, 0.01, 0.1, 1), learningRateDecay = pick(0, 1e-4, 0.1),
          weightDecay = pick(0, 1e-4, 0.1), weightDecays = vec(0, 0, 0, 0.1),
          momentum = pick(0, 0.5, 0.9), dampening = pick(0, 0.5, 1), nesterov = pick(true, false),
          learningRates = vec(0, 0, 0.1, 2)},
   adam = {learningRate = pick(1e-3, 0.01, 0.1), learningRateDecay = pick(0, 1e-3),
           beta1 = pick(0.9, 0.5, 0), beta2 = pick(0.999, 0.9), epsilon = pick(1e-8, 1e-3, 1),
           weightDecay = pick(0, 0.01)},
   adagrad = {learningRate = pick(1e-3, 0.1, 1), learningRateDecay = pick(0, 1e-3, 0.5),
              weightDecay = pick(0, 0.1)},
   adadelta = {rho = pick(0.9, 0.5, 0.99), eps = pick(1e-6, 1e-2), weightDecay = pick(0, 0.1)},
   adamax = {learningRate = pick(2e-3, 0.1), beta1 = pick(0.9, 0), beta2 = pick(0.999, 0.5),
             epsilon = pick(1e-38, 1e-3), weightDecay = pick(0, 0.1)},
   rmsprop = {learningRate = pick(1e-2, 1e-3, 0.1), alpha = pick(0.99, 0.5), epsilon = pick(1e-8, 0.1),
              weightDecay = pick(0, 0.1), initialMean = pick(0, 1, 0.5)},
   nag = {learningRate = pick(1e-3, 0.01, 0.1), learningRateDecay = pick(0, 0.1),
          weightDecay = pick(0, 0.1), momentum = pick(0.9, 0.5, 0), dampening = pick(0, 0.5),
          learningRates = vec(0, 0, 0.1, 2)},
   rprop = {stepsize = pick(0.1, 0.01, 1), etaplus = pick(1.2, 2), etaminus = pick(0.5, 0.1),
            stepsizemax = pick(50, 0.5), stepsizemin = pick(1e-6, 0.05), niter = pick(1, 3)},
   asgd = {eta0 = pick(1e-4, 0.01, 0.1), lambda = pick(1e-4, 0.1), alpha = pick(0.75, 1),
           t0 = pick(1e6, 1, 3)},
   lbfgs = {maxIter = pick(1, 3, 20, 100), maxEval = pick(5, 30, 1000), tolFun = pick(1e-5, 1e-10),
            tolX = pick(1e-9, 1e-3), nCorrection = pick(1, 2, 100), learningRate = pick(1, 0.5),
            lineSearch = pick('lswolfe'),
            lineSearchOptions = function() return {tolX = C.choice({1e-9, 1e-3}),
                                                   maxIter = C.choice({2, 25}),
                                                   c1 = C.choice({1e-4, 0.1}),
                                                   c2 = C.choice({0.9, 0.5})} end},
   cg = {rho = pick(0.01, 0.1), sig = pick(0.5, 0.9), int = pick(0.1, 0.3), ext = pick(3, 1.5),
         maxIter = pick(1, 5, 20), ratio = pick(100, 10), maxEval = pick(10, 25, 100)},
}

local function mkconfig(name, x0, seed, which)
   math.randomseed(seed)
   local cfg = {}
   for k, gen in pairs(specs[name]) do
      if math.random() < 0.6 then cfg[k] = gen(x0) end
   end
   if cfg.lineSearch then cfg.lineSearch = (which == 'ours' and ours or O).lswolfe end
   return cfg
end

-- compare one optimizer on one problem for `steps` calls
local function run(name, seed)
   local f, x0, pdesc = problem(seed)
   local steps = (name == 'lbfgs' or name == 'cg') and math.random(1, 4) or math.random(1, 25)
   local withstate = math.random() < 0.7
   local fname = 'optim.' .. name
   D.call(fname)
   local sides = {}
   for _, which in ipairs({'ours', 'orig'}) do
      local cfg = mkconfig(name, x0, seed + 7, which)
      local state = withstate and {} or nil
      local x = x0:clone()
      local rets, err = {}, nil
      local fn = (which == 'ours' and ours or O)[name]
      for s = 1, steps do
         local ok, a, b = pcall(fn, f, x, cfg, state)
         if not ok then err = C.strip(a); break end
         rets[s] = {x = x:clone(), xr = a, fx = b}
      end
      if cfg.lineSearch then cfg.lineSearch = nil end
      sides[which] = {cfg = cfg, state = state, x = x, rets = rets, err = err}
   end
   local o, l = sides.ours, sides.orig
   local why
   if o.err ~= l.err then
      why = 'error ' .. tostring(o.err) .. ' vs ' .. tostring(l.err)
   end
   for s = 1, math.max(#o.rets, #l.rets) do
      if why then break end
      local ro, rl = o.rets[s], l.rets[s]
      why = C.same(ro and ro.x, rl and rl.x, 'step ' .. s .. ' x')
         or C.same(ro and ro.fx, rl and rl.fx, 'step ' .. s .. ' f values')
         or (ro and rl and ro.xr ~= nil and rl.xr ~= nil and
             torch.isTensor(ro.xr) ~= torch.isTensor(rl.xr) and 'step ' .. s .. ' returned x')
   end
   why = why or C.same(o.cfg, l.cfg, 'config') or C.same(o.state, l.state, 'state')
   if why then
      local keys = {}
      for k, v in pairs(mkconfig(name, x0, seed + 7, 'orig')) do
         keys[#keys + 1] = k .. '=' .. C.show(v)
      end
      table.sort(keys)
      D.diff(fname, name, string.format('%s, %d steps, state %s, config {%s}: %s', pdesc,
         steps, tostring(withstate), table.concat(keys, ', '), why))
   end
end

local names = {}
for k in pairs(specs) do names[#names + 1] = k end
table.sort(names)
for i = 1, D.n do
   for _, name in ipairs(names) do run(name, i * 1000 + #name) end
end

-- the helpers: polyinterp, lswolfe, checkgrad ----------------------------------------------
for i = 1, D.n do
   C.compare('optim.polyinterp', 'polyinterp', ours.polyinterp, O.polyinterp, function()
      math.randomseed(i)
      local np = math.random(2, 3)
      local p = torch.Tensor(np, 3)
      for r = 1, np do
         p[r][1] = math.random() * 4 - 2
         p[r][2] = C.value(C.choice({'normal', 'int', 'decade'}))
         p[r][3] = math.random() < 0.8 and C.value('normal') or 0/0
      end
      local lo = math.random() < 0.5 and (math.random() * 4 - 3) or nil
      local hi = lo and (lo + math.random() * 4) or nil
      return {p, lo, hi, n = 3}
   end)
   local f, x0 = problem(i)
   C.compare('optim.lswolfe', 'lswolfe', ours.lswolfe, O.lswolfe, function()
      math.randomseed(i + 5)
      local x = x0:clone()
      local fx, g = f(x)
      local d = g:clone():mul(-C.choice({1, 0.1, 10}))
      if math.random() < 0.1 then d:mul(-1) end
      return {f, x, C.choice({1, 0.1, 2}), d, fx, g, g:dot(d),
              math.random() < 0.5 and {c1 = 1e-4, c2 = C.choice({0.9, 0.1}),
                                        tolX = 1e-9, maxIter = C.choice({2, 25})} or nil, n = 8}
   end)
   C.compare('optim.checkgrad', 'checkgrad', ours.checkgrad, O.checkgrad, function()
      return {f, x0:clone(), C.choice({1e-7, 1e-3, nil})}
   end)
end

-- the random searches: cmaes and de, from the same generator state on both sides
for i = 1, math.max(1, math.floor(D.n / 4)) do
   for _, name in ipairs({'cmaes', 'de'}) do
      local f, x0, pdesc = problem(i * 7 + #name)
      local seed = math.random(1, 2^30)
      local function cfg()
         math.randomseed(seed)
         if name == 'cmaes' then
            return {sigma = C.choice({0.5, 1, 0.1}), maxEval = C.choice({20, 60, 200}),
                    popsize = C.choice({nil, 4, 8}), ftarget = C.choice({nil, -1e9, 0.5}),
                    verb_disp = 0}
         end
         return {popsize = C.choice({nil, 4, 10}), maxFEs = C.choice({20, 60, 100}),
                 scaleFactor = C.choice({0.5, 0.8}), crossoverRate = C.choice({0.1, 0.9}),
                 minRegion = C.choice({nil, -1}), maxRegion = C.choice({nil, 1})}
      end
      C.compare('optim.' .. name, name, function(c)
         torch.manualSeed(seed)
         local x = x0:clone()
         local a, b, c3 = ours[name](f, x, c)
         return a, b, c3, x
      end, function(c)
         torch.manualSeed(seed)
         local x = x0:clone()
         local a, b, c3 = O[name](f, x, c)
         return a, b, c3, x
      end, function() return {cfg()} end, nil, function() return pdesc .. ' ' end)
   end
end
