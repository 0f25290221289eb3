"""torch7py -> PyTorch: a torch7py model (or a .t7 file's) as a torch.nn.Module that computes the
same function, weights both ways, and the standalone source of the exported module.

This package is the only part of torch7py that imports torch, and only when one of these
functions is called (PyTorch is the optional extra ``torch7py[pytorch]``)."""
from .errors import ExportError, MissingTorchError, require_torch

__all__ = ['ExportError', 'MissingTorchError', 'to_pytorch', 'torch_state_dict',
           'load_torch_state_dict', 'source_code', 'load_t7', 'register_converter']


def load_t7(path):
    """The model of a .t7 file (a module, or the 'model'/'net' entry of a checkpoint table, or
    char-rnn's protos.rnn); a file written with 4-byte longs is read as such ('b32')."""
    from .. import load
    from ..nn.criterion import Criterion
    from ..nn.module import Module
    from ..serialization import SerializationError
    obj = None
    for fmt in ('binary', 'b32', 'ascii'):
        try:
            # classes torch7py lacks (nngraph's, before it has them) load as field tables:
            # the converters read Torch7's fields, and list what they cannot convert
            obj = load(path, fmt, unknown_classes='table')
            break
        except SerializationError:
            if fmt == 'ascii':
                raise
    if isinstance(obj, (Module, Criterion)) or _typename(obj) == 'nn.gModule':
        return obj
    if isinstance(obj, dict):
        protos = obj.get('protos')
        for v in [obj.get(k) for k in ('model', 'net', 'network', 'module')] + [
                protos.get('rnn') if isinstance(protos, dict) else None]:
            if isinstance(v, (Module, Criterion)) or _typename(v) == 'nn.gModule':
                return v
        from ..serialization.objects import TorchObject
        for k in ('model', 'net', 'network', 'module'):
            if isinstance(obj.get(k), TorchObject):
                # a class of the model's own project (torch-rnn's nn.LanguageModel): the
                # export names it and says how to give its form
                return obj[k]
    raise ExportError('%s holds no nn module (found %s)' % (path, type(obj).__name__))


def _typename(x):
    name = getattr(type(x), 'typename', None)
    return name if isinstance(name, str) else None


def to_pytorch(module, converters=None):
    """The torch.nn.Module computing what ``module`` (a torch7py module or criterion, or the path
    of a .t7 file) computes, in its current training/evaluation mode, in its tensor type
    (Double -> float64, Float -> float32). Modules with no PyTorch form are all listed, by
    path and class, in one ExportError raised before anything is built.

    ``converters`` maps Torch class names to ``fn(layer) -> torch.nn.Module`` for classes of the
    model's own project (char-rnn's ``OneHot``, torch-rnn's ``nn.LSTM``): the layer is the
    torch7py module, or its fields (a dict) when its class is not defined here; the module fn
    returns holds the layer's state_dict entries under their names (``weight``, ``bias``, ...),
    which the export fills (fn builds it on PyTorch's meta device)."""
    require_torch()
    from . import convert
    if isinstance(module, str):
        module = load_t7(module)
    return convert.to_pytorch(module, converters)


def register_converter(typename, fn):
    """``fn(layer) -> torch.nn.Module`` becomes the PyTorch form of the Torch class
    ``typename`` in every later export (as ``to_pytorch``'s converters=)."""
    require_torch()
    from . import convert
    return convert.register_converter(typename, fn)


def torch_state_dict(module):
    """``module.state_dict()`` as torch tensors (copies), ready for a PyTorch load_state_dict."""
    require_torch()
    import numpy as np
    import torch
    return {k: torch.from_numpy(np.array(v.numpy())) for k, v in module.state_dict().items()}


def load_torch_state_dict(module, state_dict, strict=True):
    """Copies a PyTorch state_dict (torch tensors) into a torch7py module."""
    return module.load_state_dict(state_dict, strict)


def source_code(tmodule, origin='a torch7py model'):
    """Standalone Python source (imports only torch) whose ``build()`` rebuilds the exported
    module's architecture and whose ``load(path)`` reads a module saved by t7-to-pytorch."""
    require_torch()
    from .codegen import source_code as gen
    return gen(tmodule, origin)
