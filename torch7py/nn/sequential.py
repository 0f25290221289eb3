"""nn.Sequential: port of torch/nn Sequential.lua."""
from . import _lua
from .. import messages
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
        self.output = _lua.field(module, 'output', "local 'module'")
        return self

    def insert(self, module, index=None):
        n = len(self.modules)
        if index is None:
            index = n + 1
        if _lua.lt(n + 1, index) or _lua.lt(index, 1):
            raise IndexError('index should be contiguous to existing modules')
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
            raise IndexError('index out of range')
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
