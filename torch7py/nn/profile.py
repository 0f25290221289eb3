"""nn.Profile: port of torch/nn Profile.lua (a decorator that times forward and backward and
prints every print_interval calls)."""
from ..printing import lua_print
from . import utils
from .decorator import Decorator
from ..timer import Timer


def _timer_write(timer, f):
    """Profile.lua's timerMetatable.write: a Timer writes nothing of itself."""


def _timer_read(timer, f, version=None):
    """File.lua's readObject of a torch.Timer once Profile.lua has run: the factory
    torch.Timer makes a new timer, running from now; Profile.lua's read returns it as is."""
    Timer.__init__(timer)


def _make_torch_timer_serializable():
    # Profile.lua's makeTorchTimerSerializable(), run when nn loads: torch.Timer's metatable
    # gets a __factory (torch.Timer) and write/read methods that save nothing and make a new
    # timer, so a Profile clones, saves and loads (before require 'nn', File.lua refuses a
    # Timer: "Unwritable object <userdata>")
    Timer._t7_factory = Timer  # timerMetatable['__factory'] = torch.Timer (the class)
    Timer._t7_write_file = _timer_write
    Timer._t7_read_file = _timer_read


_make_torch_timer_serializable()


class Profile(Decorator):

    def __init__(self, module, print_interval=100, name=None):
        super().__init__(module)
        self.print_interval = print_interval or 100
        self.name = name or utils.typename(module)
        self.module = module
        self.numFwds = 0
        self.numBwds = 0
        self.summedFwdTime = 0
        self.summedBwdTime = 0
        self.timer = Timer()

    def updateOutput(self, input):
        self.timer.reset()
        self.output = self.module.updateOutput(input)
        self.summedFwdTime = self.summedFwdTime + self.timer.time()['real']
        self.numFwds += 1
        if self.numFwds % self.print_interval == 0:
            lua_print('%s took %.3f seconds for %d forward passes'
                      % (self.name, self.summedFwdTime, self.print_interval))
            self.numFwds = 0
            self.summedFwdTime = 0
        return self.output

    def updateGradInput(self, input, gradOutput):
        # Profile.lua times updateGradInput only; accGradParameters is the Decorator's
        self.timer.reset()
        self.gradInput = self.module.updateGradInput(input, gradOutput)
        self.summedBwdTime = self.summedBwdTime + self.timer.time()['real']
        self.numBwds += 1
        if self.numBwds % self.print_interval == 0:
            lua_print('%s took %.3f seconds for %d backward passes'
                      % (self.name, self.summedBwdTime, self.print_interval))
            self.numBwds = 0
            self.summedBwdTime = 0
        return self.gradInput
