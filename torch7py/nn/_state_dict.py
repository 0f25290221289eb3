"""state_dict / load_state_dict with PyTorch's naming: a container's children are '0', '1', ...
(0-based, as in torch.nn.Sequential), a layer's tensors are weight, bias, running_mean,
running_var, in the shape of the PyTorch module torch7py.export makes of the layer (a view on
the layer's own storage where the shapes differ, so loading writes into the layer)."""
from collections import OrderedDict

import numpy as np

from ..tensor import TorchError
from . import utils

_PARAMS = ('weight', 'bias')
_BUFFERS = ('running_mean', 'running_var')
_GRADS = {'weight': 'gradWeight', 'bias': 'gradBias'}

# layers whose PyTorch module holds the weight as (nOutputPlane, nInputPlane, k...)
_CONV_KERNEL = {
    'nn.SpatialConvolution': ('kH', 'kW'),
    'nn.SpatialConvolutionMM': ('kH', 'kW'),
    'nn.SpatialDilatedConvolution': ('kH', 'kW'),
    'nn.VolumetricConvolution': ('kT', 'kH', 'kW'),
    'nn.VolumetricDilatedConvolution': ('kT', 'kH', 'kW'),
}


def _typenames(m):
    """The Torch7 class names of m's class and its bases (a subclass keeps its base's layout)."""
    return [c.__dict__['typename'] for c in type(m).__mro__ if 'typename' in c.__dict__] or \
        [utils.typename(m)]


def fields(m):
    """A Torch object's field table: its __dict__, or the object itself for one loaded as a
    table of fields (a class torch7py does not define, such as nngraph's gModule without it)."""
    return m if isinstance(m, dict) else m.__dict__


def _children(m):
    mods = fields(m).get('modules')
    if not isinstance(mods, list):
        return None
    if 'nn.MapTable' in _typenames(m):
        # the clones share the first module's parameters; PyTorch holds that one module
        one = fields(m).get('module')
        return [one] if one is not None else mods[:1]
    return mods


def _view(m, name, t):
    if name in _PARAMS and t.dim() > 1 and 'nn.SpatialSubSampling' in _typenames(m):
        # THNN reads its first nInputPlane values (2012's nn saved nInputPlane x kH x kW)
        return t.view(t.nElement()).narrow(1, 1, t.size(1))
    kernel = next((_CONV_KERNEL[t] for t in _typenames(m) if t in _CONV_KERNEL), None)
    if kernel is not None and name == 'weight':
        groups = m.__dict__.get('groups') or 1
        shape = [m.nOutputPlane, m.nInputPlane // groups] + [m.__dict__[k] for k in kernel]
        if list(t._size) != shape:
            return t.view(*shape)
    return t


# layers whose parameters are other fields than weight/bias: (PyTorch name, field, grad field);
# LinearWeightNorm's and WeightNorm's weight is computed from v and g (PyTorch's weight_norm
# names them so); WeightNorm's module keeps its other parameters (its bias) under '0.'
_NAMED = {
    'nn.LinearWeightNorm': (('weight_v', 'v', 'gradV'), ('weight_g', 'g', 'gradG'),
                            ('bias', 'bias', 'gradBias')),
    'nn.WeightNorm': (('weight_v', 'v', 'gradV'), ('weight_g', 'g', 'gradG')),
    'nn.WeightedEuclidean': (('weight', 'weight', 'gradWeight'),
                             ('diagCov', 'diagCov', 'gradDiagCov')),
    # Element-Research rnn's SeqLSTMP: its projection (SeqLSTMP.lua's dpnn_parameters)
    'nn.SeqLSTMP': (('weight', 'weight', 'gradWeight'), ('bias', 'bias', 'gradBias'),
                    ('weightO', 'weightO', 'gradWeightO')),
}


def _fields_of(m, grads):
    named = next((_NAMED[t] for t in _typenames(m) if t in _NAMED), None)
    if named is not None:
        return [(name, grad if grads else field) for name, field, grad in named]
    names = _PARAMS if grads else _PARAMS + _BUFFERS
    return [(name, _GRADS[name] if grads else name) for name in names]


def _items(m, prefix, grads, skip=()):
    if 'nn.WeightNorm' in _typenames(m):
        for (name, field), (_, param) in zip(_fields_of(m, grads), _fields_of(m, False)):
            t, p = fields(m).get(field), fields(m).get(param)
            if utils.is_tensor(t) and t.nElement() > 0:
                # gradV is kept in the weight's layout after a backward: v's shape here
                yield prefix + name, t.view(*p._size) if t._size != p._size else t
        for i, child in enumerate(_children(m) or []):
            yield from _items(child, '%s%d.' % (prefix, i), grads, skip=('weight',))
        return
    if 'nn.PartialLinear' in _typenames(m) and not isinstance(m, dict):
        # PartialLinear.lua's parameters(): its inner LookupTable's weight, then its own bias
        lt = m.network.modules[0].modules[1]
        t = lt.gradWeight if grads else lt.weight
        if utils.is_tensor(t) and t.nElement() > 0:
            yield prefix + 'weight', t
        t = fields(m).get('gradBias' if grads else 'bias')
        if utils.is_tensor(t) and t.nElement() > 0:
            yield prefix + 'bias', t
        return
    kids = _children(m)
    if kids is not None:
        for i, child in enumerate(kids):
            yield from _items(child, '%s%d.' % (prefix, i), grads)
        return
    for name, field in _fields_of(m, grads):
        t = fields(m).get(field)
        if name not in skip and utils.is_tensor(t) and t.nElement() > 0:
            yield prefix + name, _view(m, name, t)


def state_dict(module, prefix=''):
    """OrderedDict name -> tensor (sharing the module's storage)."""
    return OrderedDict(_items(module, prefix, False))


def grad_dict(module, prefix=''):
    """The gradients of state_dict's parameters, under the same names and in the same shapes."""
    return OrderedDict(_items(module, prefix, True))


def _as_array(v):
    if utils.is_tensor(v):
        return v.numpy()
    detach = getattr(v, 'detach', None)   # a torch.Tensor, read without importing torch
    if detach is not None:
        v = detach().cpu()
    return np.asarray(v)


def load_state_dict(module, state, strict=True):
    """Copies every entry into the module's tensors; with strict, missing or unexpected names
    are an error (PyTorch's num_batches_tracked is accepted and ignored). Checks everything
    before writing anything."""
    own = state_dict(module)
    given = {k: v for k, v in state.items() if not k.endswith('num_batches_tracked')}
    missing = [k for k in own if k not in given]
    unexpected = [k for k in given if k not in own]
    errors = []
    if strict:
        if missing:
            errors.append('Missing key(s) in state_dict: %s.' % ', '.join(
                '"%s"' % k for k in missing))
        if unexpected:
            errors.append('Unexpected key(s) in state_dict: %s.' % ', '.join(
                '"%s"' % k for k in unexpected))
    arrays = {}
    for k, t in own.items():
        if k not in given:
            continue
        a = _as_array(given[k])
        if tuple(a.shape) != tuple(t._size):
            errors.append('size mismatch for %s: copying a param with shape %s from checkpoint, '
                          'the shape in current model is %s.'
                          % (k, list(a.shape), list(t._size)))
        arrays[k] = a
    if errors:
        raise TorchError('Error(s) in loading state_dict for %s:\n\t%s'
                         % (utils.typename(module), '\n\t'.join(errors)))
    for k, a in arrays.items():
        own[k].numpy()[...] = a
    return missing, unexpected
