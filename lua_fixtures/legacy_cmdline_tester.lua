-- A training script's option block (torch.CmdLine with an arg table, cmd:string for the run
-- directory) and an nn test.lua-style suite (torch.TestSuite, Jacobian checks, a failing
-- assert caught by pcall around tester:run()).
require 'nn'
local results = {}
local cmd = torch.CmdLine()
cmd:text()
cmd:text('Options')
cmd:option('-seed', 1, 'random seed')
cmd:option('-lr', 0.1, 'learning rate')
cmd:option('-hidden', 16, 'hidden units')
cmd:option('-optim', 'sgd', 'sgd | adam')
cmd:option('-cuda', false, 'use the GPU')
cmd:option('-save', 'logs', 'where to save')
local opt = cmd:parse({'-lr', '0.05', '-hidden', '0x20', '-optim', 'adam', '-cuda'})
results.opt = opt
results.rundir = cmd:string('run', opt, {save = true})
torch.manualSeed(opt.seed)
local tester = torch.Tester()
local suite = torch.TestSuite()
function suite.LinearJacobian()
   local m = nn.Linear(3, opt.hidden)
   local input = torch.randn(3)
   tester:assertlt(nn.Jacobian.testJacobian(m, input), 1e-5, 'input jacobian')
   tester:assertlt(nn.Jacobian.testJacobianParameters(m, input, m.weight, m.gradWeight), 1e-5,
                   'weight jacobian')
end
function suite.TanhIO()
   local ferr, berr = nn.Jacobian.testIO(nn.Tanh(), torch.randn(4))
   tester:asserteq(ferr, 0, 'forward io')
   tester:asserteq(berr, 0, 'backward io')
end
function suite.Broken()
   tester:assertTensorEq(torch.ones(2), torch.zeros(2), 1e-6, 'ones are not zeros')
end
tester:add(suite)
results.run_ok = pcall(function() tester:run() end)
results.asserts = tester.countasserts
results.nerrors = #tester.errors
results.first_error = tester.errors[1]:match('^[^\n]*\n[^\n]*\n[^\n]*')
local ok = pcall(function() tester:run('TanhIO') end)
results.tanh_only_ok = ok
results.tanh_only_asserts = tester.countasserts
return results
