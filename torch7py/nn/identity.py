"""nn.Identity: port of torch/nn Identity.lua (output is the input, gradInput the gradOutput)."""
from . import utils
from .module import Module


class Identity(Module):

    def updateOutput(self, input):
        self.output = input
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput = gradOutput
        return self.gradInput

    def clearState(self):
        # fresh objects, not set(): the fields alias the caller's tensors, which must survive
        for name in ('output', 'gradInput'):
            v = self.__dict__.get(name)
            if v is None or v is False:  # Identity.lua: `if self[f]`
                continue
            if utils.is_tensor(v):
                setattr(self, name, v.new())
            elif isinstance(v, list):
                setattr(self, name, [])
            else:
                self.__dict__[name] = None  # (set to nil: the key keeps its node)
        return self
