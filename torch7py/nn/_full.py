"""The classes of the full nn (issue 7), gathered for nn/__init__.py."""
from .abs import Abs
from .clamp import Clamp
from .elu import ELU
from .exp import Exp
from .hard_shrink import HardShrink
from .leaky_relu import LeakyReLU
from .log import Log
from .log_sigmoid import LogSigmoid
from .normalize import Normalize
from .power import Power
from .prelu import PReLU
from .relu6 import ReLU6
from .soft_min import SoftMin
from .soft_plus import SoftPlus
from .soft_shrink import SoftShrink
from .soft_sign import SoftSign
from .spatial_log_soft_max import SpatialLogSoftMax
from .spatial_soft_max import SpatialSoftMax
from .sqrt import Sqrt
from .square import Square

__all__ = [k for k in list(globals()) if k[:1].isupper()]
