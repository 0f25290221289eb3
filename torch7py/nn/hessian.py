"""nn.hessian: port of torch/nn hessian.lua (diagonal-Hessian methods, added by enable())."""
import numpy as np

from ..messages import at_lua
from .. import tensor as _tensor
from . import _lua, utils

_enabled = False


def _typename(obj):
    return utils.typename(obj)


def _field(module, name):
    return module.__dict__.get(name)


def accDiagHessianParameters(module, input, diagHessianOutput, gw, hw):
    """Accumulates the diagonal Hessian of the parameters into hw: the module's own
    accGradParameters run on input^2 with gw and hw swapped (what hessian.lua does)."""
    if len(gw) != len(hw):
        raise at_lua(_tensor.TorchError('Number of gradients is nto equal to number of hessians'),
                     'nn/hessian.lua:16')
    if _field(module, 'inputSq') is None:
        module.inputSq = input.new()
    module.inputSq.resizeAs(input)
    np.multiply(input.numpy(), input.numpy(), out=module.inputSq.numpy())
    for gname, hname in zip(gw, hw):
        gval = _field(module, gname)
        if _field(module, hname) is None:
            setattr(module, hname, gval.new().resizeAs(gval))
        hval = _field(module, hname)
        setattr(module, gname, hval)
        setattr(module, hname, gval)
    old_output = module.output
    module.output = old_output.new().resizeAs(old_output)
    try:
        module.forward(module.inputSq)
        module.accGradParameters(module.inputSq, diagHessianOutput, 1)
    finally:
        for gname, hname in zip(gw, hw):
            gval, hval = _field(module, gname), _field(module, hname)
            setattr(module, gname, hval)
            setattr(module, hname, gval)
        module.output = old_output


def updateDiagHessianInput(module, input, diagHessianOutput, w, wsq):
    """diagHessianInput: the module's updateGradInput with every weight squared."""
    if len(w) != len(wsq):
        raise at_lua(_tensor.TorchError(
            'Number of weights is not equal to number of weights squares'), 'nn/hessian.lua:53')
    if _field(module, 'diagHessianInput') is None:
        module.diagHessianInput = input.new()
    module.diagHessianInput.resizeAs(input).zero()
    gi = module.gradInput
    module.gradInput = module.diagHessianInput
    for wname, sqname in zip(w, wsq):
        wval = _field(module, wname)
        if _field(module, sqname) is None:
            setattr(module, sqname, wval.new())
        sq = _field(module, sqname)
        sq.resizeAs(wval)
        np.multiply(wval.numpy(), wval.numpy(), out=sq.numpy())
        setattr(module, sqname, wval)
        setattr(module, wname, sq)
    try:
        module.updateGradInput(input, diagHessianOutput)
    finally:
        for wname, sqname in zip(w, wsq):
            wval, sq = _field(module, sqname), _field(module, wname)
            setattr(module, wname, wval)
            setattr(module, sqname, sq)
        module.gradInput = gi


def updateDiagHessianInputPointWise(module, input, diagHessianOutput):
    """(f'(x))^2 * diagHessianOutput for a point-wise f."""
    tdh = diagHessianOutput.new().resizeAs(diagHessianOutput).fill(1)
    updateDiagHessianInput(module, input, tdh, [], [])
    module.diagHessianInput.cmul(module.diagHessianInput)
    module.diagHessianInput.cmul(diagHessianOutput)


def initDiagHessianParameters(module, gw, hw):
    if _field(module, 'diagHessianInput') is None:
        module.diagHessianInput = module.gradInput.new()
    for gname, hname in zip(gw, hw):
        if _field(module, hname) is None:
            g = _field(module, gname)
            setattr(module, hname, g.new().resizeAs(g))


_GW = ['gradWeight', 'gradBias']
_HW = ['diagHessianWeight', 'diagHessianBias']


def _module_update(self, input, diagHessianOutput):
    raise at_lua(_tensor.TorchError(_typename(self) + ':updateDiagHessianInput() is undefined'),
                 'nn/hessian.lua:107')


def _criterion_update(self, input, diagHessianOutput):
    raise at_lua(_tensor.TorchError(_typename(self) + ':updateDiagHessianInput() is undefined'),
                 'nn/hessian.lua:154')


def _module_acc(self, input, diagHessianOutput):
    pass


def _module_init(self):
    pass


def _sequential_init(self):
    for m in self.modules:
        m.initDiagHessianParameters()


def _sequential_update(self, input, diagHessianOutput):
    current = diagHessianOutput
    mods = self.modules
    for i in range(len(mods) - 1, 0, -1):
        current = mods[i].updateDiagHessianInput(mods[i - 1].output, current)
    current = mods[0].updateDiagHessianInput(input, current)
    self.diagHessianInput = current
    return current


def _sequential_acc(self, input, diagHessianOutput):
    current = diagHessianOutput
    mods = self.modules
    for i in range(len(mods) - 1, 0, -1):
        mods[i].accDiagHessianParameters(mods[i - 1].output, current)
        current = mods[i].diagHessianInput
    mods[0].accDiagHessianParameters(input, current)


def _mse_update(self, input, target=None):
    if _field(self, 'diagHessianInput') is None:
        self.diagHessianInput = input.new()
    val = 2
    if self.sizeAverage:
        val = _lua.div(val, input.nElement())
    self.diagHessianInput.resizeAs(input).fill(val)
    return self.diagHessianInput


def _l1cost_update(self, input, target=None):
    if _field(self, 'diagHessianInput') is None:
        self.diagHessianInput = input.new()
    self.diagHessianInput.resizeAs(input)
    d = self.diagHessianInput.numpy()
    d[...] = 1
    d[input.numpy() == 0] = 0
    return self.diagHessianInput


def _weighted_update(names):
    def update(self, input, diagHessianOutput):
        updateDiagHessianInput(self, input, diagHessianOutput, names,
                               [n + 'Sq' for n in names])
        return self.diagHessianInput
    return update


def _weighted_acc(self, input, diagHessianOutput):
    accDiagHessianParameters(self, input, diagHessianOutput, _GW, _HW)


def _weighted_init(self):
    initDiagHessianParameters(self, _GW, _HW)


def _pointwise_update(self, input, diagHessianOutput):
    updateDiagHessianInputPointWise(self, input, diagHessianOutput)
    return self.diagHessianInput


def _tanhshrink_update(self, input, diagHessianOutput):
    # hessian.lua runs the point-wise rule on the TanhShrink's inner nn.Tanh, then adds
    # diagHessianOutput; that inner module is built here from the same input
    from .tanh import Tanh
    tanh = self.__dict__.get('tanh')
    if tanh is None:
        tanh = self.tanh = Tanh()
    tanh.forward(input)
    updateDiagHessianInputPointWise(tanh, input, diagHessianOutput)
    if _field(self, 'diagHessianInput') is None:
        self.diagHessianInput = input.new().resizeAs(input)
    self.diagHessianInput.resizeAs(input)
    np.add(tanh.diagHessianInput.numpy(), diagHessianOutput.numpy().reshape(input._size),
           out=self.diagHessianInput.numpy())
    return self.diagHessianInput


def _reshape_update(self, input, diagHessianOutput):
    if _field(self, 'diagHessianInput') is None:
        self.diagHessianInput = input.new()
    diagHessianOutput = diagHessianOutput.contiguous()
    self.diagHessianInput.set(diagHessianOutput).resizeAs(input)
    return self.diagHessianInput


def enable():
    """Adds the diagonal-Hessian methods to the modules of nn (a second call does nothing)."""
    global _enabled
    if _enabled:
        return
    _enabled = True
    from . import (
        Criterion,
        L1Cost,
        Linear,
        Module,
        MSECriterion,
        Reshape,
        Sequential,
        SpatialConvolution,
        SpatialConvolutionLocal,
        SpatialConvolutionMap,
        SpatialFullConvolution,
        SpatialFullConvolutionMap,
        Sqrt,
        Square,
        Tanh,
        TanhShrink,
        WeightedMSECriterion,
    )
    Module.updateDiagHessianInput = _module_update
    Module.accDiagHessianParameters = _module_acc
    Module.initDiagHessianParameters = _module_init
    Sequential.initDiagHessianParameters = _sequential_init
    Sequential.updateDiagHessianInput = _sequential_update
    Sequential.accDiagHessianParameters = _sequential_acc
    Criterion.updateDiagHessianInput = _criterion_update
    MSECriterion.updateDiagHessianInput = _mse_update
    WeightedMSECriterion.updateDiagHessianInput = _mse_update
    L1Cost.updateDiagHessianInput = _l1cost_update
    for cls in (Linear, SpatialConvolution, SpatialConvolutionLocal, SpatialFullConvolution,
                SpatialFullConvolutionMap):
        cls.updateDiagHessianInput = _weighted_update(['weight'])
        cls.accDiagHessianParameters = _weighted_acc
        cls.initDiagHessianParameters = _weighted_init
    SpatialConvolutionMap.updateDiagHessianInput = _weighted_update(['weight', 'bias'])
    SpatialConvolutionMap.accDiagHessianParameters = _weighted_acc
    SpatialConvolutionMap.initDiagHessianParameters = _weighted_init
    for cls in (Tanh, Square, Sqrt):
        cls.updateDiagHessianInput = _pointwise_update
    TanhShrink.updateDiagHessianInput = _tanhshrink_update
    Reshape.updateDiagHessianInput = _reshape_update
