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
