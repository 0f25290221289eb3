"""nn.SparseJacobian: port of torch/nn SparseJacobian.lua (Jacobian's finite-difference checks
for modules whose input is (index, value) rows: the values, column 2, are what is perturbed)."""
import numpy as np

from .jacobian import (_backprop, _flat, _maxabs, _rand_fill, _reloaded, _to_tensor,
                       testAllUpdate)


def _values(input):
    """A writable numpy view of input:select(2, 2)."""
    return input.select(2, 2).numpy()


def _fill_values(input, minval, maxval):
    minval = -2 if minval is None else minval
    maxval = 2 if maxval is None else maxval
    _rand_fill(input.select(2, 2), minval, maxval)
    return minval, maxval


def backward(module, input, param=None, dparam=None):
    """Row i: d(output)/d(param_i) by backprop, or d(output)/d(value_i) (gradInput column 2)."""
    doparam = param is not None
    module.forward(input)
    dout = module.output.new().resizeAs(module.output)
    sdout = _flat(dout)
    rows = param.nElement() if doparam else input.size(1)
    jacT = np.zeros((sdout.size, rows))
    for i in range(sdout.size):
        sdout[...] = 0
        sdout[i] = 1
        module.zeroGradParameters()
        din = module.updateGradInput(input, dout)
        module.accGradParameters(input, dout)
        src = dparam if doparam else din.select(2, 2)
        jacT[i] = src.numpy().reshape(-1)
    return _to_tensor(jacT.T)


def backwardUpdate(module, input, param):
    module.forward(input)
    dout = module.output.new().resizeAs(module.output)
    sdout = _flat(dout)
    jacT = np.zeros((sdout.size, param.nElement()))
    params = module.parameters()[0] or []
    orig = [p.clone() for p in params]
    for i in range(sdout.size):
        for p, o in zip(params, orig):
            p.copy(o)
        sdout[...] = 0
        sdout[i] = 1
        module.zeroGradParameters()
        module.updateGradInput(input, dout)
        module.accUpdateGradParameters(input, dout, 1)
        jacT[i] = param.numpy().reshape(-1)
    for p, o in zip(params, orig):
        p.copy(o)
    return _to_tensor(jacT.T)


def _central(module, input, sin, small=1e-6):
    out = module.forward(input)
    jac = np.zeros((sin.size, out.nElement()))
    for i in range(sin.size):
        orig = sin[i]
        sin[i] = orig - small
        outa = module.forward(input).numpy().reshape(-1).copy()
        sin[i] = sin[i] + 2 * small
        outb = module.forward(input).numpy().reshape(-1).copy()
        sin[i] = sin[i] - small
        jac[i] = (outb - outa) / (2 * small)
    return jac


def forward(module, input, param=None):
    """Central differences over param's elements, or over the input's values (column 2)."""
    sin = _flat(param) if param is not None else _values(input)
    return _to_tensor(_central(module, input, sin))


def forwardUpdate(module, input, param):
    sin = _flat(param)
    jac = _central(module, input, sin)
    return _to_tensor(sin[:, None] - jac)


def testJacobian(module, input, minval=-2, maxval=2):
    _fill_values(input, minval, maxval)
    jac_fprop = forward(module, input)
    jac_bprop = backward(module, input)
    return _maxabs(jac_fprop, jac_bprop)


def testJacobianParameters(module, input, param, dparam, minval=-2, maxval=2):
    minval, maxval = _fill_values(input, minval, maxval)
    _rand_fill(param, minval, maxval)
    jac_bprop = backward(module, input, param, dparam)
    jac_fprop = forward(module, input, param)
    return _maxabs(jac_fprop, jac_bprop)


def testJacobianUpdateParameters(module, input, param, minval=-2, maxval=2):
    minval, maxval = _fill_values(input, minval, maxval)
    _rand_fill(param, minval, maxval)
    params_bprop = backwardUpdate(module, input, param)
    params_fprop = forwardUpdate(module, input, param)
    return _maxabs(params_fprop, params_bprop)


def testIO(module, input, minval=-2, maxval=2):
    """Forward/backward before and after a write/read through a binary file (no clearState,
    unlike Jacobian.testIO): the largest differences of output and of gradInput."""
    minval = -2 if minval is None else minval
    maxval = 2 if maxval is None else maxval
    module.forward(input)
    go = module.output.clone()
    _rand_fill(go, minval, maxval)
    _backprop(module, input, go)
    fo = module.output.clone()
    bo = module.gradInput.clone()
    m = _reloaded(module)
    m.forward(input)
    _backprop(m, input, go)
    return _maxabs(fo, m.output), _maxabs(bo, m.gradInput)


class SparseJacobian:
    """``nn.SparseJacobian.testJacobian(...)`` etc.: this file's functions as a Torch7 table."""

    backward = staticmethod(backward)
    backwardUpdate = staticmethod(backwardUpdate)
    forward = staticmethod(forward)
    forwardUpdate = staticmethod(forwardUpdate)
    testJacobian = staticmethod(testJacobian)
    testJacobianParameters = staticmethod(testJacobianParameters)
    testJacobianUpdateParameters = staticmethod(testJacobianUpdateParameters)
    testIO = staticmethod(testIO)
    testAllUpdate = staticmethod(testAllUpdate)

