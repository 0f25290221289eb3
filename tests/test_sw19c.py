"""Session 19's sweep of training loops, numerics and random numbers (sw19c): scripts run
under our th and under the original Torch7; each test is one mechanism by which ours printed
something else. Every expectation is what the original Torch7 (/tmp/ref7, LuaJIT 2.1.0-beta2)
printed for the same code (its " at /PATH/FILE.c:LINE" suffixes removed, as tools/ref_diff.py
does)."""
from luatest import th_script


# -- the random methods called from the class table with no tensor as self --------------------
# TensorMath.lua declares uniform/normal/cauchy/logNormal/exponential/geometric/bernoulli/
# random in each type's method table with a form without self too ([Generator] [double]
# [double]: a number), so torch.DoubleTensor.uniform(3) is torch.uniform(3); rand/randn/
# randperm/multinomial have only the self form. A call matching no form is cwrap's "invalid
# arguments" listing that type's forms (not luaT_checkudata's "expected, got" text), and a
# matched form's own error (bernoulli's p) is THRandom's.

_STATIC_RANDOM = """\
torch.manualSeed(1)
local g = torch.Generator()
torch.manualSeed(g, 2)
print(pcall(torch.FloatTensor.rand, 3))
print(pcall(torch.DoubleTensor.randn, g, 2))
print(pcall(torch.LongTensor.randperm, 'x', 2))
print(pcall(torch.DoubleTensor.multinomial, nil))
print(pcall(torch.FloatTensor.uniform, nil))
print(pcall(torch.LongTensor.random, 'x', 2))
print(pcall(torch.IntTensor.geometric, 3))
print(pcall(torch.ByteTensor.bernoulli, 3))
print(pcall(torch.DoubleTensor.exponential, g, 'a'))
print(string.format('%.17g', torch.DoubleTensor.uniform(3)))
print(string.format('%.17g', torch.FloatTensor.normal(g, 2, 3)))
print(torch.LongTensor.random(3), torch.ByteTensor.random(g, 5, 9))
print(string.format('%.17g', torch.DoubleTensor.cauchy(0, 2)), string.format('%.17g', torch.FloatTensor.logNormal(g)))
print(torch.ShortTensor.geometric(0.5), torch.CharTensor.bernoulli(g))
print(torch.FloatTensor.uniform(torch.FloatTensor(2):fill(1), 2, 2))
print(pcall(torch.DoubleTensor.uniform, torch.FloatTensor(2)))
"""

_STATIC_RANDOM_OUT = "\n".join([
    'false\tinvalid arguments: number ',
    'expected arguments: *FloatTensor* [Generator] (LongStorage | dim1 [dim2...])\t',
    'false\tinvalid arguments: Generator number ',
    'expected arguments: *DoubleTensor* [Generator] (LongStorage | dim1 [dim2...])\t',
    'false\tinvalid arguments: string number ',
    'expected arguments: *LongTensor* [Generator] long\t',
    'false\tinvalid arguments: nil ',
    'expected arguments: *LongTensor* [Generator] DoubleTensor int [boolean]\t',
    'false\tinvalid arguments: nil ',
    'expected arguments: [Generator] [double] [double] | *FloatTensor* [Generator] [float] [float]\t',
    'false\tinvalid arguments: string number ',
    'expected arguments: [Generator] long long | [Generator] long | [Generator] | *LongTensor* [Generator] long long | *LongTensor* [Generator] long | *LongTensor* [Generator]\t',
    "false\tbad argument #1 to '?' (must be > 0 and < 1)\t",
    "false\tbad argument #1 to '?' (must be >= 0 and <= 1)\t",
    'false\tinvalid arguments: Generator string ',
    'expected arguments: [Generator] double | *DoubleTensor* [Generator] double\t',
    '2.165956003125757\t',
    '0.23374889762589102\t',
    '3\t6\t',
    '1.6579809477042717\t4.4854301399911112\t',
    '4\t0\t',
    ' 2',
    ' 2',
    '[torch.FloatTensor of size 2]',
    '',
    'false\tinvalid arguments: FloatTensor ',
    'expected arguments: [Generator] [double] [double] | *DoubleTensor* [Generator] [double] [double]\t',
    ""])


def test_random_methods_without_a_tensor_self(tmp_path):
    r = th_script(_STATIC_RANDOM, tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == _STATIC_RANDOM_OUT
