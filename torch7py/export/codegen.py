"""The standalone source of an exported module: the Torch7-semantics module classes it uses
(tmodules.py and tmodules_more.py, verbatim), ``build()`` that rebuilds the architecture, and
``load(path)`` that reads a module t7-to-pytorch saved, with no torch7py installed."""
import inspect

import torch

from . import tmodules, tmodules_more
from .convert import CTORS
from .errors import ExportError

_FOOTER = '''

def _tie(model, groups):
    """Parameters Torch7 shared (clone('weight', 'bias', ...)) are one parameter here too."""
    for names in groups:
        first = model.get_parameter(names[0])
        for name in names[1:]:
            owner, _, attr = name.rpartition('.')
            setattr(model.get_submodule(owner) if owner else model, attr, first)


class _Unpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if module in ('torch7py.export.tmodules', 'torch7py.export.tmodules_more'):
            return globals()[name]
        return super().find_class(module, name)


class _PickleModule:
    Unpickler = _Unpickler
    load = staticmethod(pickle.load)


def load(path):
    """The module t7-to-pytorch saved at ``path`` (its classes are this file's)."""
    return torch.load(path, weights_only=False, pickle_module=_PickleModule)
'''


def _literal(v):
    if isinstance(v, tuple):
        return '(' + ''.join(_literal(x) + ', ' for x in v).rstrip(' ') + ')'
    if isinstance(v, list):
        return '[' + ', '.join(_literal(x) for x in v) + ']'
    if isinstance(v, float):
        return repr(v) if v == v and v not in (float('inf'), float('-inf')) else \
            "float('%r')" % v
    if v is None or isinstance(v, (bool, int, str)):
        return repr(v)
    raise TypeError('cannot write %r as source' % (v,))


def _build_lines(root):
    names, lines = {}, []

    def arg(v):
        if isinstance(v, torch.nn.Module):
            return visit(v)
        return _literal(v)

    def visit(m):
        if id(m) in names:
            return names[id(m)]
        if m not in CTORS:
            raise ExportError('the standalone source cannot rebuild %s: a module a converter you '
                              'gave made (save the module itself, without --code)'
                              % type(m).__name__)
        cls, args, kwargs = CTORS[m]
        parts = [arg(a) for a in args] + ['%s=%s' % (k, arg(v)) for k, v in kwargs.items()]
        name = 'm%d' % len(names)
        names[id(m)] = name
        lines.append('    %s = %s(%s)' % (name, cls, ', '.join(parts)))
        if m.training is False:
            lines.append('    %s.training = False' % name)
        return name
    top = visit(root)
    return top, lines


def _tied_groups(root):
    groups = {}
    for name, p in root.named_parameters(remove_duplicate=False):
        groups.setdefault(id(p), []).append(name)
    return [g for g in groups.values() if len(g) > 1]


def source_code(root, origin='a torch7py model'):
    body = inspect.getsource(tmodules)
    body = body.split('"""', 2)[2].lstrip('\n')   # the module docstring names torch7py
    # tmodules_more's classes after tmodules' (its docstring and imports are tmodules' already)
    more = inspect.getsource(tmodules_more).split('"""', 2)[2]
    more = '\n'.join(line for line in more.split('\n')
                     if not line.startswith(('import ', 'from '))).strip('\n')
    body = body.rstrip('\n') + '\n\n\n' + more + '\n'
    top, lines = _build_lines(root)
    dtype = next((p.dtype for p in root.parameters()), torch.float64)
    head = ('"""PyTorch module exported by torch7py (t7-to-pytorch) from %s.\n\n'
            'Standalone: needs only torch. build() makes the architecture; load(path) reads the\n'
            'module saved beside this file (weights included)."""\nimport pickle\n' % origin)
    build = ['', '', 'def build():', '    """The architecture, freshly initialised."""']
    build += lines
    groups = _tied_groups(root)
    if groups:
        build.append('    _tie(%s, %s)' % (top, _literal(groups)))
    build.append('    return %s.to(%s)' % (top, str(dtype)))
    return head + body + '\n'.join(build) + '\n' + _FOOTER
