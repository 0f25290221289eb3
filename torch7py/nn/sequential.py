"""nn.Sequential: port of torch/nn Sequential.lua."""
from . import _kernels, _lua
from .. import messages
from ..messages import at_lua
from ..tensor import Tensor, TorchError
from .container import Container


class Sequential(Container):
    """Chains modules; its output IS its last module's output object (Torch7's aliasing)."""

    def add(self, module):
        # Sequential.lua: module.gradInput (first module), table.insert, module.output; a
        # module whose __init set no output/gradInput (nngraph's JustElement) has nil ones, and
        # nil, a number or a boolean fail to index (a number or a boolean after its insert)
        if not self.modules:
            self.gradInput = _lua.field(module, 'gradInput', "local 'module'")
        if module is not None:
            self.modules.append(module)
        with messages.lua_line('nn/Sequential.lua:12'):
            self.output = _lua.field(module, 'output', "local 'module'")
        return self

    def insert(self, module, index=None):
        n = len(self.modules)
        if index is None:
            index = n + 1
        if _lua.lt(n + 1, index) or _lua.lt(index, 1):
            raise at_lua(IndexError('index should be contiguous to existing modules'),
                         'nn/Sequential.lua:19')
        if module is not None:
            self.modules.insert(int(index) - 1, module)
        elif index == 1 and n:  # table.insert(t, 1, nil): t[1] is the nil (a hole)
            raise TorchError(messages.msg('index_nil'))
        # self.modules[#self.modules].output, self.modules[1].gradInput
        self.output = _lua.field(self.modules[-1] if self.modules else None, 'output')
        self.gradInput = _lua.field(self.modules[0], 'gradInput')

    def remove(self, index=None):
        n = len(self.modules)
        if index is None:
            index = n
        if _lua.lt(n, index) or _lua.lt(index, 1):
            raise at_lua(IndexError('index out of range'), 'nn/Sequential.lua:29')
        del self.modules[int(index) - 1]
        # Torch7 returns nothing and re-links output/gradInput, or gives an emptied one new
        # empty tensors
        if self.modules:
            self.output = _lua.field(self.modules[-1], 'output')
            self.gradInput = _lua.field(self.modules[0], 'gradInput')
        else:
            self.output = Tensor()
            self.gradInput = Tensor()

    def updateOutput(self, input):
        mods = self.modules
        current = input
        n = len(mods)  # (Lua's for loop reads #self.modules once)
        i = 0
        while i < n:
            m = mods[i]
            if getattr(type(m), '_chain_forward', None) is not None:
                r = _forward_chain(mods, i, n, current)
                if r is not None:
                    current, i = r
                    continue
            if i + 1 < n:
                # a module that can run the next one's forward in its own call (a Linear and
                # the ReLU after it, linear.py) does, where nothing but their own methods runs
                f = getattr(type(m), '_forward_with_next', None)
                if f is not None:
                    r = f(m, mods[i + 1], current)
                    if r is not None:
                        current = r
                        i += 2
                        continue
            current = self.rethrowErrors(m, i + 1, 'updateOutput', current)
            i += 1
        self.output = current
        return current

    def updateGradInput(self, input, gradOutput):
        mods = self.modules
        current_grad = gradOutput
        for i in range(len(mods) - 1, 0, -1):
            current_grad = self.rethrowErrors(mods[i], i + 1, 'updateGradInput',
                                              mods[i - 1].output, current_grad)
        # an empty Sequential calls its nil self.modules[0] (see rethrowErrors)
        current_grad = self.rethrowErrors(mods[0] if mods else None, 1, 'updateGradInput',
                                          input, current_grad)
        self.gradInput = current_grad
        return current_grad

    def _acc_backwards(self, method, input, gradOutput, arg):
        """m:method(m's input, m's gradOutput, arg) from the last module to the first, each
        module's gradOutput being the gradInput of the one after it."""
        mods = self.modules
        current_grad = gradOutput
        for i in range(len(mods) - 1, 0, -1):
            self.rethrowErrors(mods[i], i + 1, method, mods[i - 1].output, current_grad, arg)
            current_grad = mods[i].gradInput
        self.rethrowErrors(mods[0] if mods else None, 1, method, input, current_grad, arg)

    def accGradParameters(self, input, gradOutput, scale=1):
        self._acc_backwards('accGradParameters', input, gradOutput, 1 if scale is None else scale)

    def backward(self, input, gradOutput, scale=1):
        if scale is None:
            scale = 1
        mods = self.modules
        current_grad = gradOutput
        i = len(mods) - 1
        while i > 0:
            m = mods[i]
            if scale == 1 and getattr(type(m), '_chain_backward', None) is not None:
                r = _backward_chain(self, mods, i, input, current_grad)
                if r is not None:
                    current_grad, i = r
                    if i < 0:  # the first module was in the run
                        return current_grad
                    continue
            # a module that can run the previous one's backward in its own call (a Linear and
            # the ReLU before it, linear.py) does, where nothing but their own methods runs
            f = getattr(type(m), '_backward_with_prev', None)
            if f is not None:
                prev = mods[i - 1]
                r = f(m, prev, prev.output,
                      input if i == 1 else getattr(mods[i - 2], 'output', None),
                      current_grad, scale)
                if r is not None:
                    current_grad = r
                    if i == 1:  # prev is the first module: Sequential.lua's last call
                        self.gradInput = current_grad
                        return current_grad
                    prev.gradInput = current_grad
                    i -= 2
                    continue
            current_grad = self.rethrowErrors(m, i + 1, 'backward', mods[i - 1].output,
                                              current_grad, scale)
            m.gradInput = current_grad
            i -= 1
        current_grad = self.rethrowErrors(mods[0] if mods else None, 1, 'backward', input,
                                          current_grad, scale)
        self.gradInput = current_grad
        return current_grad

    def accUpdateGradParameters(self, input, gradOutput, lr):
        self._acc_backwards('accUpdateGradParameters', input, gradOutput, lr)

    def __tostring__(self):
        tab, line, nxt = '  ', '\n', ' -> '
        s = 'nn.Sequential {' + line + tab + '[input'
        for i in range(1, len(self.modules) + 1):
            s += nxt + '(%d)' % i
        s += nxt + 'output]'
        for i, m in enumerate(self.modules, 1):
            s += line + tab + '(%d): ' % i + str(m).replace(line, line + tab)
        return s + line + '}'


# ---- runs of layers in one C call (issue 16) -------------------------------------------------
# Where consecutive modules can each do their forward (backward) in one C call of linear_fwd
# (linear_bwd), with nothing to do before it (the steady state of a training loop), all of the
# run's calls are prepared first (the modules' _chain_forward / _chain_backward: argument
# tuples, nothing done) and made in one C call: the run's Python checks follow each other
# while the cache holds them, instead of each starting from the cache the previous big product
# flushed. The calls, their order and the fields Sequential.lua sets are those of the loops
# above.

def _forward_chain(mods, i, n, current):
    """The run of modules from i on that prepare their forward: (the output, the index after
    the run) once run, or None where module i does not prepare (nothing done)."""
    calls = []
    j = i
    while j < n:
        c = getattr(type(mods[j]), '_chain_forward', None)
        if c is None:
            break
        r = c(mods[j], mods[j + 1] if j + 1 < n else None, current)
        if r is None:
            break
        calls.append(r[0])
        current = r[1]
        j += r[2]
    if not calls:
        return None
    if len(calls) == 1:
        _kernels._nnk.linear_fwd(*calls[0])
    else:
        _kernels._nnk.linear_chain(calls, False)
    return current, j


def _backward_chain(seq, mods, i, input, grad):
    """The run of modules from i down that prepare their backward at scale 1 (a module with
    the one before it, where they fuse, or alone): (the gradInput, the index of the next
    module to do, -1 when the first module was in the run and seq.gradInput is set), or None
    where module i does not prepare (nothing done)."""
    calls, done = [], []
    j = i
    while j >= 0:
        m = mods[j]
        c = getattr(type(m), '_chain_backward', None)
        if c is None:
            break
        if j > 0:
            prev = mods[j - 1]
            r = c(m, prev, prev.output,
                  input if j == 1 else getattr(mods[j - 2], 'output', None), grad)
        else:
            r = c(m, None, input, None, grad)
        if r is None:
            break
        calls.append(r[0])
        grad = r[1]
        done.append((j, r[2], grad))
        j -= r[2]
    if not calls:
        return None
    if len(calls) == 1:
        _kernels._nnk.linear_bwd(*calls[0])
    else:
        _kernels._nnk.linear_chain(calls, True)
    # the fields the loop of Sequential.backward sets (to the tensors they already are)
    for k, used, g in done:
        if k - used < 0:  # the first module: Sequential.lua's last call
            seq.gradInput = g
        elif used == 2:
            mods[k - 1].gradInput = g
        else:
            mods[k].gradInput = g
    return grad, j
