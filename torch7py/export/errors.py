"""The export package's errors (importable without torch)."""
from ..tensor import TorchError


class ExportError(TorchError):
    """A model (or part of it) that has no exact PyTorch form; the message lists every such
    module by its path and class."""


class MissingTorchError(ImportError):
    """PyTorch is not installed."""


def require_torch():
    try:
        import torch  # noqa: F401
    except ImportError as err:
        raise MissingTorchError(
            "torch7py.export needs PyTorch, which is an optional extra: "
            "pip install 'torch7py[pytorch]' (or pip install -e '.[pytorch]' in a checkout; "
            "CPU build torch==2.13.0)") from err
