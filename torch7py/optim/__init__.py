"""optim: Torch7's torch/optim package (optim a5ceed7): every algorithm with the
(opfunc, x, config, state) calling style, ConfusionMatrix and Logger."""
from .sgd import sgd
from .cg import cg
from .lbfgs import lbfgs
from .lswolfe import lswolfe
from .polyinterp import polyinterp
from .asgd import asgd
from .nag import nag
from .fista import FistaLS
from .rprop import rprop
from .adam import adam
from .adamax import adamax
from .rmsprop import rmsprop
from .adagrad import adagrad
from .adadelta import adadelta
from .cmaes import cmaes
from .de import de
from .checkgrad import checkgrad
from .confusion_matrix import ConfusionMatrix
from .logger import Logger

__all__ = ["sgd", "cg", "lbfgs", "lswolfe", "polyinterp", "asgd", "nag", "FistaLS", "rprop",
           "adam", "adamax", "rmsprop", "adagrad", "adadelta", "cmaes", "de", "checkgrad",
           "ConfusionMatrix", "Logger"]
