"""torch7py.nn: Torch7's nn package (classes imported in the order of nn's init.lua)."""
from . import utils  # noqa: F401
from .module import Module  # noqa: F401

from .container import Container  # noqa: F401
from .concat import Concat  # noqa: F401
from .parallel import Parallel  # noqa: F401
from .sequential import Sequential  # noqa: F401
from .depth_concat import DepthConcat  # noqa: F401

from .linear import Linear  # noqa: F401
from .reshape import Reshape  # noqa: F401
from .view import View  # noqa: F401
from .contiguous import Contiguous  # noqa: F401
from .select import Select  # noqa: F401
from .narrow import Narrow  # noqa: F401
from .transpose import Transpose  # noqa: F401
from .batch_normalization import BatchNormalization  # noqa: F401
from .padding import Padding  # noqa: F401

from .copy import Copy  # noqa: F401
from .max import Max  # noqa: F401
from .mean import Mean  # noqa: F401
from .sum import Sum  # noqa: F401
from .mul_constant import MulConstant  # noqa: F401
from .add_constant import AddConstant  # noqa: F401
from .dropout import Dropout  # noqa: F401

from .c_add_table import CAddTable  # noqa: F401

from .hard_tanh import HardTanh  # noqa: F401
from .log_soft_max import LogSoftMax  # noqa: F401
from .sigmoid import Sigmoid  # noqa: F401
from .soft_max import SoftMax  # noqa: F401
from .tanh import Tanh  # noqa: F401
from .threshold import Threshold  # noqa: F401
from .relu import ReLU  # noqa: F401

from .lookup_table import LookupTable  # noqa: F401
from .spatial_convolution import SpatialConvolution  # noqa: F401
from .spatial_convolution_mm import SpatialConvolutionMM  # noqa: F401
from .spatial_max_pooling import SpatialMaxPooling  # noqa: F401
from .spatial_average_pooling import SpatialAveragePooling  # noqa: F401
from .spatial_batch_normalization import SpatialBatchNormalization  # noqa: F401

from .parallel_table import ParallelTable  # noqa: F401
from .map_table import MapTable  # noqa: F401
from .concat_table import ConcatTable  # noqa: F401
from .split_table import SplitTable  # noqa: F401
from .join_table import JoinTable  # noqa: F401
from .select_table import SelectTable  # noqa: F401
from .identity import Identity  # noqa: F401

from .criterion import Criterion  # noqa: F401
from .mse_criterion import MSECriterion  # noqa: F401
from .smooth_l1_criterion import SmoothL1Criterion  # noqa: F401
from .margin_criterion import MarginCriterion  # noqa: F401
from .abs_criterion import AbsCriterion  # noqa: F401
from .class_nll_criterion import ClassNLLCriterion  # noqa: F401
from .dist_kl_div_criterion import DistKLDivCriterion  # noqa: F401
from .bce_criterion import BCECriterion  # noqa: F401
from .cross_entropy_criterion import CrossEntropyCriterion  # noqa: F401

from .jacobian import Jacobian  # noqa: F401
from .sparse_jacobian import SparseJacobian  # noqa: F401
from . import hessian  # noqa: F401,E402

# -- the modules and criterions of the full nn (issue 7) --
from ._full import *  # noqa: F401,F403,E402

import sys as _sys  # noqa: E402

# the THNN modules' Lua call checks run first, in Lua's order (nn/_thnn_lua.py)
from . import _thnn_lua  # noqa: E402
_thnn_lua.install(_sys.modules[__name__])
