"""nn.Jacobian: port of torch/nn Jacobian.lua (finite-difference checks of modules)."""
import os
import tempfile

import numpy as np

from ..messages import at_lua
from . import utils


def _torch():
    import torch7py
    return torch7py


_CHUNK = 256  # rows of a Jacobian band that a test compares as it comes
_TILE = 256  # square tiles of the comparison


def _flat(t):
    """A writable 1-D numpy view of t's elements in logical order (t must be contiguous)."""
    a = t.numpy()
    flat = a.reshape(-1)
    if a.size and not np.shares_memory(flat, a):
        raise ValueError('Jacobian: the perturbed tensor must be contiguous')
    return flat


def _rand_fill(t, minval, maxval):
    """input:copy(torch.rand(n):mul(maxval - minval):add(minval)), from Torch7's generator;
    Jacobian.lua's `minval or -2`, `maxval or 2` (a Lua caller's nil or false is the default)."""
    if minval is None or minval is False:
        minval = -2
    if maxval is None or maxval is False:
        maxval = 2
    r = _torch().rand(t.nElement())
    t.copy(r.mul(maxval - minval).add(minval))
    return t


def backward(module, input, param=None, dparam=None):
    """Jacobian from backprop: row i is d(output)/d(param_i), built one output unit at a time."""
    return _to_tensor(_backward_t(module, input, param, dparam).T)


def _backward_t(module, input, param=None, dparam=None, sink=None):
    """backward's Jacobian, transposed (one row per output unit), as a numpy array; with sink,
    only _CHUNK rows at a time: sink(first, rows) gets each band as it is filled (a test that
    only compares it needs no whole matrix)."""
    doparam = param is not None
    if param is None:
        param = input
    module.forward(input)
    dout = module.output.new().resizeAs(module.output)
    sdout = _flat(dout)
    n = sdout.size
    band = n if sink is None else min(_CHUNK, n)
    # filled one output unit (a row of the transpose) at a time: contiguous writes
    jacT = np.zeros((band, param.nElement()))
    k = 0
    for i in range(n):
        sdout[...] = 0
        sdout[i] = 1
        module.zeroGradParameters()
        din = module.updateGradInput(input, dout)
        module.accGradParameters(input, dout)
        jacT[k] = (dparam if doparam else din).numpy().reshape(-1)
        k += 1
        if sink is not None and (k == band or i == n - 1):
            sink(i + 1 - k, jacT[:k])
            k = 0
    return jacT


def backwardUpdate(module, input, param):
    """The parameters after one accUpdateGradParameters(lr=1) step per output unit."""
    module.forward(input)
    dout = module.output.new().resizeAs(module.output)
    sdout = _flat(dout)
    jacT = np.zeros((dout.nElement(), param.nElement()))
    params = module.parameters()[0] or []
    orig = [p.numpy().copy() for p in params]
    for i in range(sdout.size):
        for p, o in zip(params, orig):
            p.numpy()[...] = o
        sdout[...] = 0
        sdout[i] = 1
        module.updateGradInput(input, dout)
        module.accUpdateGradParameters(input, dout, 1)
        jacT[i] = param.numpy().reshape(-1)
    for p, o in zip(params, orig):
        p.numpy()[...] = o
    return _to_tensor(jacT.T)


def _central(module, input, param, perturbation, sink=None):
    """Jacobian.lua's forward loop: row i is (f(p_i + h) - f(p_i - h)) / 2h, with its outa and
    outb default-type (double) tensors: each output is copied into double before the
    subtraction, and a perturbed value is orig -+ h in Lua's double, rounded on the store.
    With sink, only _CHUNK rows at a time, given to sink(first, rows) as each band fills."""
    sin = _flat(param)
    forward = module.forward
    n_out = forward(input).nElement()
    n = sin.size
    band = n if sink is None else min(_CHUNK, n)
    jac = np.empty((band, n_out))
    outa = np.empty(n_out)
    h2 = 2 * perturbation
    item = sin.item  # a Python float: the arithmetic below is Lua's, in double
    k = 0
    for i in range(n):
        orig = item(i)
        sin[i] = orig - perturbation
        outa[...] = forward(input).numpy().reshape(-1)
        sin[i] = orig + perturbation
        row = jac[k]
        np.subtract(forward(input).numpy().reshape(-1), outa, out=row)
        sin[i] = orig
        row /= h2
        k += 1
        if sink is not None and (k == band or i == n - 1):
            sink(i + 1 - k, jac[:k])
            k = 0
    return jac, sin


def forward(module, input, param=None, perturbation=1e-6):
    """Jacobian by central differences: row i is (f(p_i + h) - f(p_i - h)) / 2h."""
    if param is None:
        param = input
    if perturbation is None:
        perturbation = 1e-6
    jac, _ = _central(module, input, param, perturbation)
    return _to_tensor(jac)


def forwardUpdate(module, input, param, perturbation=1e-6):
    if perturbation is None:
        perturbation = 1e-6
    jac, sin = _central(module, input, param, perturbation)
    return _to_tensor(sin[:, None] - jac)


def linearModuleDiagHessian(module, input, gradParamName):
    """Diagonal Hessian of F = sum(y^2)/2 for a module linear in its inputs and weights:
    d2F/dx_i2 = sum_k (dy_k/dx_i)^2, from one backprop per output unit; a 1-D tensor."""
    grad = module.__dict__[gradParamName]
    acc = np.zeros(grad.nElement())
    module.forward(input)
    gradOutput = module.output.new().resizeAs(module.output)
    g1 = _flat(gradOutput)
    for i in range(g1.size):
        g1[...] = 0
        g1[i] = 1
        module.gradWeight.zero()
        if module.__dict__.get('bias') is not None:
            module.gradBias.zero()
        module.updateGradInput(input, gradOutput)
        module.accGradParameters(input, gradOutput)
        grad = module.__dict__[gradParamName]
        acc += np.square(grad.numpy().reshape(-1))
    out = grad.new().resize(grad.nElement())
    out.numpy()[...] = acc
    return out


def backwardDiagHessian(module, input, diagHessianParamName):
    """The diagonal Hessian of F = sum(y^2)/2 by hessian.lua's methods (diagHessianOutput = 1)."""
    module.forward(input)
    diagHessianOutput = module.output.new().resizeAs(module.output).fill(1)
    module.diagHessianWeight.zero()
    module.diagHessianBias.zero()
    module.updateDiagHessianInput(input, diagHessianOutput)
    module.accDiagHessianParameters(input, diagHessianOutput)
    return module.__dict__[diagHessianParamName]


def testDiagHessian(module, input, gradParamName, diagHessianParamName, minval=-2, maxval=2):
    """The diagonal Hessian computed by hessian.lua's methods and from first derivatives."""
    _rand_fill(input, -2 if minval is None else minval, 2 if maxval is None else maxval)
    module.initDiagHessianParameters()
    h_bprop = backwardDiagHessian(module, input, diagHessianParamName)
    h_linear = linearModuleDiagHessian(module, input, gradParamName)
    return _maxabs(h_bprop, h_linear)


def testDiagHessianInput(module, input, minval=-2, maxval=2):
    return testDiagHessian(module, input, 'gradInput', 'diagHessianInput', minval, maxval)


def testDiagHessianWeight(module, input, minval=-2, maxval=2):
    return testDiagHessian(module, input, 'gradWeight', 'diagHessianWeight', minval, maxval)


def testDiagHessianBias(module, input, minval=-2, maxval=2):
    return testDiagHessian(module, input, 'gradBias', 'diagHessianBias', minval, maxval)


def _maxabs(a, b):
    # Torch7's a - b works element by element over tensors of equal nElement, any shapes;
    # in blocks: a Jacobian can be 10^7 elements, whose whole temporaries cost more than the sums
    a = a.numpy().reshape(-1)
    b = b.numpy().reshape(-1)
    if not a.size:
        return 0.0
    step = 1 << 16
    m = [np.abs(a[i:i + step] - b[i:i + step]).max() for i in range(0, a.size, step)]
    return float(np.max(m))  # NaN anywhere gives NaN, as one max over all would


def _maxabs_t(jac, jacT):
    """_maxabs of forward's Jacobian and backward's, given transposed: max |jac - jacT.T| in
    tiles, without making either a tensor (the same differences, so the same max). Square
    tiles: the transposed one is read across its rows, which a band of whole rows would take
    from all over memory."""
    if not jac.size:
        return 0.0
    out = []
    _tiles(jac, 0, jacT, 0, out)
    return float(np.max(out))  # NaN anywhere gives NaN, as one max over all would


def _tiles(a, j0, b, i0, out):
    """Appends to out, tile by tile, the max of |a[i, j0 + c] - b[c, i0 + i]| over a's rows i
    and b's rows c: a - b.T where a's columns j0.. meet b's rows and b's columns i0.. a's."""
    n, m = a.shape[0], b.shape[0]
    B = _TILE
    d = np.empty((min(B, n), min(B, m)))
    for i in range(0, n, B):
        i1 = min(i + B, n)
        for j in range(0, m, B):
            j1 = min(j + B, m)
            t = d[:i1 - i, :j1 - j]
            np.subtract(a[i:i1, j0 + j:j0 + j1], b[j:j1, i0 + i:i0 + i1].T, out=t)
            out.append(np.abs(t, out=t).max())


def _maxabs_banded(jac, band_of):
    """max |jac - J.T| where J, the transposed Jacobian, comes in bands of rows: band_of(sink)
    fills it, sink(first, rows) comparing each band with jac's columns first.. as it comes."""
    out = []

    def sink(first, rows):
        if jac.size and rows.size:
            _tiles(jac, first, rows, 0, out)
    band_of(sink)  # the module's calls whatever the sizes
    return float(np.max(out)) if out else 0.0


def _maxabs_banded_rows(jacT, band_of):
    """max |J - jacT.T| where J, forward's Jacobian (a row per perturbed element), comes in
    bands of rows: band_of(sink) fills it; each band's rows first.. meet jacT's columns."""
    out = []

    def sink(first, rows):
        if jacT.size and rows.size:
            _tiles(rows, 0, jacT, first, out)
    band_of(sink)
    return float(np.max(out)) if out else 0.0


def _double():
    """The Jacobians are tensors of the default type: a DoubleTensor holds numpy's float64
    arrays as they are, so they can be compared without making the tensors."""
    return utils.default_tensor_class().dtype == np.float64


def testJacobian(module, input, minval=-2, maxval=2, perturbation=None):
    _rand_fill(input, minval, maxval)
    if not _double():
        jac_fprop = forward(module, input, input, perturbation)
        return _maxabs(jac_fprop, backward(module, input))
    jac_fprop, _ = _central(module, input, input, 1e-6 if perturbation is None else perturbation)
    # backward's Jacobian a band of rows at a time, each compared as it comes (the two whole
    # matrices of nn's larger checks are 0.1-1 GB each)
    return _maxabs_banded(jac_fprop, lambda sink: _backward_t(module, input, sink=sink))


def testJacobianParameters(module, input, param, dparam, minval=-2, maxval=2,
                           perturbation=None):
    _rand_fill(input, minval, maxval)
    _rand_fill(param, minval, maxval)
    if not _double():
        jac_bprop = backward(module, input, param, dparam)
        return _maxabs(forward(module, input, param, perturbation), jac_bprop)
    jac_bprop = _backward_t(module, input, param, dparam)
    h = 1e-6 if perturbation is None else perturbation
    return _maxabs_banded_rows(jac_bprop, lambda sink: _central(module, input, param, h, sink))


def testJacobianUpdateParameters(module, input, param, minval=-2, maxval=2, perturbation=None):
    _rand_fill(input, minval, maxval)
    _rand_fill(param, minval, maxval)
    params_bprop = backwardUpdate(module, input, param)
    params_fprop = forwardUpdate(module, input, param, perturbation)
    return _maxabs(params_fprop, params_bprop)


def testIO(module, input, minval=-2, maxval=2):
    """Forward/backward before and after clearState and a write/read through a binary file:
    the largest differences of output and of gradInput."""
    inputclone = input.clone()
    module.forward(input)
    go = module.output.clone()
    _rand_fill(go, minval, maxval)
    goclone = go.clone()
    _backprop(module, input, go)
    fo = module.output.clone()
    bo = module.gradInput.clone()
    if module.clearState() is not module:
        raise at_lua(utils.TorchAssertionError(
            'clearState did not return self'), 'nn/Jacobian.lua:313')
    m = _reloaded(module)
    m.forward(inputclone)
    _backprop(m, inputclone, goclone)
    return _maxabs(fo, m.output), _maxabs(bo, m.gradInput)


def _backprop(module, input, gradOutput):
    module.zeroGradParameters()
    module.updateGradInput(input, gradOutput)
    module.accGradParameters(input, gradOutput)


def _reloaded(module):
    """module written to a binary DiskFile and read back (testIO's round trip, as Jacobian.lua
    does it: writeObject and readObject, no atomic save with its fsyncs)."""
    torch = _torch()
    fd, filename = tempfile.mkstemp()
    os.close(fd)
    try:
        f = torch.DiskFile(filename, 'w').binary()
        try:
            f.writeObject(module)
        finally:
            f.close()
        f = torch.DiskFile(filename).binary()
        try:
            return f.readObject()
        finally:
            f.close()
    finally:
        os.remove(filename)


def testAllUpdate(module, input, weight, gradWeight):
    """Checks updateParameters/accUpdateGradParameters agree, alone and with a shared weight."""
    torch = _torch()
    lr = torch.uniform(0.1, 1)
    errors = {}

    def norm(a):
        return float(np.sqrt(np.sum(np.square(a))))

    def w(m, name):
        return m.__dict__[name].numpy()

    maccgp = module.clone()
    weightc = w(maccgp, weight).copy()
    maccgp.forward(input)
    gradOutput = torch.rand(*maccgp.output.size())
    maccgp.zeroGradParameters()
    maccgp.updateGradInput(input, gradOutput)
    maccgp.accGradParameters(input, gradOutput)
    maccgp.updateParameters(lr)
    g = w(maccgp, gradWeight)
    errors['accGradParameters'] = norm(weightc - g * lr - w(maccgp, weight))

    maccugp = module.clone()
    maccugp.forward(input)
    maccugp.updateGradInput(input, gradOutput)
    maccugp.accUpdateGradParameters(input, gradOutput, lr)
    errors['accUpdateGradParameters'] = norm(w(maccugp, weight) - w(maccgp, weight))

    m1, m2 = module.clone(), module.clone()
    m2.share(m1, weight)
    for m in (m1, m2):
        m.forward(input)
    for m in (m1, m2):
        m.zeroGradParameters()
    for m in (m1, m2):
        m.updateGradInput(input, gradOutput)
    for m in (m1, m2):
        m.accGradParameters(input, gradOutput)
    for m in (m1, m2):
        m.updateParameters(lr)
    errors['accGradParameters [shared]'] = (norm(weightc - g * (lr * 2) - w(m1, weight))
                                            + norm(weightc - g * (lr * 2) - w(m2, weight)))

    u1, u2 = module.clone(), module.clone()
    u2.share(u1, weight)
    for m in (u1, u2):
        m.forward(input)
    for m in (u1, u2):
        m.updateGradInput(input, gradOutput)
    for m in (u1, u2):
        m.accUpdateGradParameters(input, gradOutput, lr)
    errors['accUpdateGradParameters [shared]'] = (norm(weightc - g * (lr * 2) - w(u1, weight))
                                                  + norm(weightc - g * (lr * 2) - w(u2, weight)))
    return errors


def _to_tensor(arr):
    cls = utils.default_tensor_class()
    if arr.size == 0:
        return cls()
    t = cls(*arr.shape)
    dst = t.numpy()
    if arr.ndim == 2 and not arr.flags.c_contiguous:
        # a transposed Jacobian: copied in bands of rows, which stay in cache
        for i in range(0, arr.shape[0], 64):
            dst[i:i + 64] = arr[i:i + 64]
    else:
        dst[...] = arr
    return t


class Jacobian:
    """``nn.Jacobian.forward(...)`` etc.: the functions of this file as a Torch7-style table."""

    backward = staticmethod(backward)
    backwardUpdate = staticmethod(backwardUpdate)
    forward = staticmethod(forward)
    forwardUpdate = staticmethod(forwardUpdate)
    linearModuleDiagHessian = staticmethod(linearModuleDiagHessian)
    backwardDiagHessian = staticmethod(backwardDiagHessian)
    testDiagHessian = staticmethod(testDiagHessian)
    testDiagHessianInput = staticmethod(testDiagHessianInput)
    testDiagHessianWeight = staticmethod(testDiagHessianWeight)
    testDiagHessianBias = staticmethod(testDiagHessianBias)
    testJacobian = staticmethod(testJacobian)
    testJacobianParameters = staticmethod(testJacobianParameters)
    testJacobianUpdateParameters = staticmethod(testJacobianUpdateParameters)
    testIO = staticmethod(testIO)
    testAllUpdate = staticmethod(testAllUpdate)
