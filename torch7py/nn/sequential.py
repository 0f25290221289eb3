"""nn.Sequential: port of torch/nn Sequential.lua."""
from .container import Container


class Sequential(Container):
    """Chains modules; its output IS its last module's output object (Torch7's aliasing)."""

    def add(self, module):
        # a module whose __init set no output/gradInput (nngraph's JustElement) has nil ones
        if not self.modules:
            self.gradInput = getattr(module, 'gradInput', None)
        self.modules.append(module)
        self.output = getattr(module, 'output', None)
        return self

    def insert(self, module, index=None):
        n = len(self.modules)
        if index is None:
            index = n + 1
        if index > n + 1 or index < 1:
            raise IndexError('index should be contiguous to existing modules')
        self.modules.insert(index - 1, module)
        self.output = getattr(self.modules[-1], 'output', None)
        self.gradInput = getattr(self.modules[0], 'gradInput', None)

    def remove(self, index=None):
        n = len(self.modules)
        if index is None:
            index = n
        if index > n or index < 1:
            raise IndexError('index out of range')
        del self.modules[index - 1]
        # Torch7 returns nothing and re-links output/gradInput (it errors on an emptied one)
        if self.modules:
            self.output = getattr(self.modules[-1], 'output', None)
            self.gradInput = getattr(self.modules[0], 'gradInput', None)

    def updateOutput(self, input):
        current = input
        for i, m in enumerate(self.modules, 1):
            current = self.rethrowErrors(m, i, 'updateOutput', current)
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
        for i in range(len(mods) - 1, 0, -1):
            m = mods[i]
            current_grad = self.rethrowErrors(m, i + 1, 'backward', mods[i - 1].output,
                                              current_grad, scale)
            m.gradInput = current_grad
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
