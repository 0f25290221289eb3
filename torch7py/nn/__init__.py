"""torch7py.nn: Torch7's nn package (classes imported in the order of nn's init.lua)."""
from . import utils  # noqa: F401
from .module import Module  # noqa: F401

from .container import Container  # noqa: F401
from .concat import Concat  # noqa: F401
from .parallel import Parallel  # noqa: F401
from .sequential import Sequential  # noqa: F401
from .depth_concat import DepthConcat  # noqa: F401

from .parallel_table import ParallelTable  # noqa: F401
from .map_table import MapTable  # noqa: F401
from .concat_table import ConcatTable  # noqa: F401

from .criterion import Criterion  # noqa: F401

# -- modules of the full nn (issue 7) --
from ._full import *  # noqa: F401,F403,E402
