"""t7-to-pytorch: a .t7 model becomes a saved PyTorch module (and, with --code, its standalone
source), and the largest difference between the two on random inputs is printed."""
import argparse
import sys

import numpy as np

from .errors import ExportError, MissingTorchError

# spatial sizes tried, in order, when no --input-shape is given
_SIZES = [32, 28, 16, 64, 224, 8, 96, 227, 256] + list(range(1, 129))
_SIZES3 = [32, 28, 16, 64, 224, 8] + list(range(1, 35))   # volumes: fewer, smaller


class Index(tuple):
    """An input of integer indices 1..high (a LookupTable's or a OneHot's), of this shape
    without the batch dimension; a plain tuple is a shape of standard normal values."""

    def __new__(cls, shape, high):
        t = super().__new__(cls, shape)
        t.high = int(high)
        return t

    def __repr__(self):
        return 'Index(%s, 1..%d)' % (tuple(self), self.high)


def shape_text(shapes):
    """'2x3x32x32', '2(indices 1..65) + 2x128' for a list of input shapes."""
    return ' + '.join('x'.join(map(str, s)) + ('(indices 1..%d)' % s.high
                                               if isinstance(s, Index) else '') for s in shapes)


def _batched(spec, batch):
    shape = (batch,) + tuple(spec)
    return Index(shape, spec.high) if isinstance(spec, Index) else shape


def _leaves(m):
    """The modules an input meets first, in order: into Sequential's modules, and the first
    branch of a container that gives every branch the same input; nothing past a module that
    takes a table."""
    mods = _fields(m).get('modules')
    from ..nn.module import Module
    if mods is None:
        # a wrapper that keeps its network in a field (torch-rnn's LanguageModel.net)
        inner = next((v for k in ('net', 'network', 'model', 'module')
                      for v in [_fields(m).get(k)] if isinstance(v, Module)), None)
        if inner is not None:
            yield from _leaves(inner)
            return
    if isinstance(mods, list) and mods:
        name = type(m).__name__
        if name == 'Sequential':
            for sub in mods:
                yield from _leaves(sub)
            return
        if name in ('Concat', 'DepthConcat', 'ConcatTable', 'Bottle', 'Repeater', 'Recursor',
                    'Sequencer', 'MaskZero', 'TrimZero', 'NormStabilizer', 'BiSequencer',
                    'SeqBRNN'):
            # (the rnn package's Repeater and Recursor give their module the input as it is,
            # a Sequencer each step of it: a batch of 2 is then 2 steps)
            yield from _leaves(mods[0])
        elif name == 'Recurrent' and isinstance(_fields(m).get('inputModule'), Module):
            yield from _leaves(_fields(m)['inputModule'])
        elif name in ('LSTM', 'FastLSTM', 'GRU') and 'recurrentModule' in _fields(m):
            yield m     # rnn's LSTMs tell their inputSize
        return    # a table input (ParallelTable, ...): the shape cannot be guessed
    yield m


def _fields(m):
    return m if isinstance(m, dict) else getattr(m, '__dict__', {})


def _shapes(d, name):
    """Input shapes (without the batch dimension) one layer tells, or None when it takes any."""
    w = d.get('weight')
    if name == 'LookupTableMaskZero' and w is not None and w.dim() == 2:
        return [Index((), w.size(1) - 1), Index((5,), w.size(1) - 1)]  # 0 pads: row 1
    if name == 'LookupTable' and w is not None and w.dim() == 2:
        # indices: one per sample, or a sequence of them (a recurrent model's input)
        return [Index((), w.size(1)), Index((5,), w.size(1))]
    if name == 'OneHot' and isinstance(d.get('outputSize'), (int, float)):
        # nn.OneHot, and char-rnn's OneHot (its own class): a batch of indices
        return [Index((), d['outputSize'])]
    if 'nInputPlane' in d:
        if 'kT' in d:
            return [(d['nInputPlane'], s, s, s) for s in _SIZES3]
        return [(d['nInputPlane'], s, s) for s in _SIZES]
    if 'inputFrameSize' in d:
        return [(s, d['inputFrameSize']) for s in _SIZES]
    if name in ('Linear', 'LinearNoBias') and w is not None:
        return [(w.size(2),)]
    if name in ('LSTM', 'FastLSTM', 'GRU') and isinstance(d.get('inputSize'), (int, float)) \
            and 'recurrentModule' in d:
        return [(int(d['inputSize']),)]
    if name in ('SeqLSTM', 'SeqLSTMP', 'SeqGRU'):
        # rnn's sequence modules: T x N x D (the batch dimension is taken as time)
        size = d.get('inputsize', d.get('inputSize'))
        return [(2, int(size))] if isinstance(size, (int, float)) else None
    rm = d.get('running_mean')
    if name.endswith('BatchNormalization') and rm is not None and rm.dim() == 1:
        planes = rm.size(1)
        if name.startswith('Spatial'):
            return [(planes, s, s) for s in _SIZES]
        if name.startswith('Volumetric'):
            return [(planes, s, s, s) for s in _SIZES3]
        return [(planes,)]
    return None


def _short_name(m):
    t = getattr(type(m), 'typename', None) or type(m).__name__
    return t.rsplit('.', 1)[-1]


def _first_shapes(model):
    for leaf in _leaves(model):
        found = _shapes(_fields(leaf), _short_name(leaf))
        if found is not None:
            return found
    return None


def _graph_inputs(model):
    """For a gModule: per input, the shapes the first layers it meets tell (None where none
    does), found by walking the graph from that input's node."""
    d = _fields(model)
    innode, fnodes = d.get('innode'), d.get('forwardnodes')
    if innode is None or not isinstance(fnodes, list):
        return None
    n = d.get('nInputs') or len(innode.children)
    if n <= 1:
        starts = [[innode]]
    else:
        # innode -> its split node -> one node per input (selectindex i)
        by_index = {}
        for near in innode.children:
            for node in [near] + list(near.children):
                sel = node.data.get('selectindex')
                if sel is not None:
                    by_index.setdefault(sel, node)
        starts = [[by_index[i]] if i in by_index else [] for i in range(1, n + 1)]
    out = []
    for start in starts:
        found, seen, todo = None, set(), list(start)
        while todo and found is None:
            node = todo.pop(0)
            if id(node) in seen:
                continue
            seen.add(id(node))
            module = node.data.get('module')
            if module is not None:
                found = _first_shapes(module)
            todo.extend(node.children)
        out.append(found)
    return out


def _parallel_inputs(model):
    """For a model that starts with a ParallelTable (its input a table, element i to branch
    i): per branch, the shapes its first layers tell."""
    m = model
    while True:
        mods = _fields(m).get('modules')
        name = _short_name(m)
        if not isinstance(mods, list) or not mods:
            return None
        if name == 'ParallelTable':
            return [_first_shapes(b) for b in mods]
        if name != 'Sequential':
            return None
        m = mods[0]


def _candidates(model):
    """Input shapes (without the batch dimension) worth trying on this model: those of the
    first layer that tells one (layers that take any shape, such as ReLU, are skipped). An
    Index is an input of indices (LookupTable, OneHot). A model of several inputs (a gModule
    of n input nodes, a ParallelTable of n branches first) gets lists of n shapes: an input
    whose first layers tell nothing takes the others' shapes (a recurrent cell's states are
    as wide as its hidden layer)."""
    per, table = _graph_inputs(model), False
    if per is None:
        per = _parallel_inputs(model)
        table = per is not None     # a table input even for one branch
    if per is None or (len(per) <= 1 and not table):
        found = per[0] if per else _first_shapes(model)
        return found or []
    known = [c for c in per if c]
    if not known:
        return []
    # float shapes another input tells: a state input that meets only table modules
    others = [s for c in known for s in c if not isinstance(s, Index)] or \
        [s for c in known for s in c]
    filled = [c if c else others for c in per]
    width = max(len(c) for c in filled)
    return [[c[min(i, len(c) - 1)] for c in filled] for i in range(width)]


def _random_like(shape, rng):
    from .. import DoubleTensor
    t = DoubleTensor(*shape)
    if isinstance(shape, Index):
        t.numpy()[...] = rng.integers(1, shape.high + 1, size=tuple(shape))
    else:
        t.numpy()[...] = rng.standard_normal(shape)
    return t


def _probe(model, shapes, batch, rng, why=None):
    """The first candidate the model accepts, with the batch dimension: a shape, or a list of
    shapes for a model of several inputs; None when none runs (with `why`, a list, the last
    error is appended). A model that only takes single samples (a View(-1) that flattens the
    batch in) gets its candidates without the batch dimension."""
    for batched in (True, False):
        for cand in shapes:
            multi = isinstance(cand, list)
            specs = cand if multi else [cand]
            full = [_batched(s, batch) if batched else s for s in specs]
            if not batched and any(len(s) == 0 for s in full):
                continue
            try:
                x = [_random_like(s, rng) for s in full]
                y = model.forward(x if multi else x[0])
            except Exception as e:   # noqa: BLE001 (a size the model refuses: try the next)
                if why is not None and batched:
                    why[:] = ['%s: %s' % (type(e).__name__, str(e).split('\n')[0])]
                continue
            # a View can fold a wrong size into a larger batch: keep the batch size
            ys = y if isinstance(y, list) else [y]
            if not batched or all(not hasattr(t, 'size') or t.dim() == 0 or
                                  t.size(1) == batch for t in ys):
                return full if multi else full[0]
    return None


def run_define(path):
    """Runs a user's Python file as the module named after it (so torch.save can pickle the
    classes it defines: loading the .pt later needs that file importable, as any pickle does)."""
    import importlib.util
    import os
    name = os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None:
        raise ExportError('--define %s: not a Python file' % path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def _parse_shape(text):
    dims, _, high = text.partition('@')
    shape = tuple(int(v) for v in dims.split(','))
    return Index(shape, int(high)) if high else shape


def _diff(a, b):
    """Largest |a - b|: a NaN (or an infinity) in both at one place agrees, one in only one
    of them is an infinite difference (Python's max() passed over a NaN difference before, so
    a NaN on one side only measured as 0)."""
    a = np.asarray(a, dtype=np.float64)
    b = np.broadcast_to(np.asarray(b, dtype=np.float64), a.shape)
    same = (a == b) | (np.isnan(a) & np.isnan(b))
    with np.errstate(invalid='ignore'):
        d = np.where(same, 0.0, np.abs(a - b))
    d = np.where(np.isnan(d), np.inf, d)
    return float(d.max(initial=0))


def _has_ern_recurrent(model):
    from ..legacy.ern import AbstractRecurrent
    todo, seen = [model], set()
    while todo:
        m = todo.pop()
        if id(m) in seen:
            continue
        seen.add(id(m))
        if isinstance(m, AbstractRecurrent):
            return True
        todo.extend(_fields(m).get('modules') or [])
    return False


def _fix_fractional_pools(m, input_shapes):
    """Fractional max poolings draw their windows at every forward, in evaluation too: on the
    measured copy they keep the windows of one first forward (fixPoolingRegions), which the
    export then holds, so that both sides pool the same windows."""
    pools = [x for x in (m.listModules() if hasattr(m, 'listModules') else [])
             if getattr(x, 'typename', None) in ('nn.SpatialFractionalMaxPooling',
                                                  'nn.VolumetricFractionalMaxPooling')]
    if not pools or not input_shapes:
        return
    for x in pools:
        x.fixPoolingRegions(True)
    xs = [_random_like(s, np.random.default_rng(1)) for s in input_shapes]
    m.forward(xs[0] if len(xs) == 1 else xs)


def measure(model, input_shapes, n=3, seed=0, why=None):
    """Largest |torch7py - PyTorch| over n random float64 inputs (in evaluation mode, on copies),
    for the outputs and the input gradients. The gradient difference is None when the model
    cannot run backward (files saved without gradInput buffers, as some old nn versions and
    deployment scripts left them: Torch7 cannot run backward on them either); the reason is
    appended to the list `why` when one is given."""
    import torch

    from .. import DoubleTensor
    from . import to_pytorch
    rng = np.random.default_rng(seed)
    m = model.clone()
    m.double()
    m.evaluate()
    _fix_fractional_pools(m, input_shapes)
    tm = to_pytorch(m)
    out_diff, grad_diff = 0.0, 0.0
    if input_shapes and all(isinstance(s, Index) for s in input_shapes):
        grad_diff = None     # indices only: no input gradient to compare
        if why is not None:
            why.append('its inputs are indices')
    elif _has_ern_recurrent(m):
        grad_diff = None
        if why is not None:
            why.append("rnn's recurrent modules back-propagate through time only after a "
                       "training-mode forward (in evaluation their backward uses step clones "
                       "that did not run, in Torch7 as here)")
    for _ in range(n):
        xs = [_random_like(s, rng) for s in input_shapes]
        x7 = xs[0] if len(xs) == 1 else xs
        y7 = m.forward(x7)
        y7s = y7 if isinstance(y7, list) else [y7]
        y7s = [np.array(y.numpy()) for y in y7s]
        gos = [rng.standard_normal(y.shape) for y in y7s]
        go7 = []
        for g in gos:
            t = DoubleTensor(*g.shape)
            t.numpy()[...] = g
            go7.append(t)
        gi7s = None
        if grad_diff is not None:
            try:
                gi7 = m.backward(x7, go7[0] if not isinstance(y7, list) else go7)
                gi7s = gi7 if isinstance(gi7, list) else [gi7]
            except Exception as e:  # noqa: BLE001 (the file's model cannot run backward)
                grad_diff = None
                if why is not None:
                    why.append('its backward fails: ' + str(e).split('\n')[0])
        # an index input (LookupTable's) has no gradient to compare
        xt = [torch.tensor(np.array(x.numpy()), requires_grad=not isinstance(s, Index))
              for x, s in zip(xs, input_shapes)]
        yt = tm(xt[0] if len(xt) == 1 else xt)
        yts = yt if isinstance(yt, list) else [yt]
        for a, b in zip(y7s, yts):
            out_diff = max(out_diff, _diff(a, b.detach().numpy()))
        if gi7s is None:
            continue
        torch.autograd.backward(yts, [torch.tensor(g) for g in gos])
        for a, b in zip(gi7s, xt):
            if not b.requires_grad:
                continue
            grad = b.grad.numpy() if b.grad is not None else 0
            grad_diff = max(grad_diff, _diff(np.array(a.numpy()), grad))
    return out_diff, grad_diff


def main(argv=None):
    p = argparse.ArgumentParser(
        prog='t7-to-pytorch',
        description='Convert a Torch7 .t7 model into a PyTorch module (torch.save) and print '
                    'the largest difference between them on random inputs.')
    p.add_argument('model', help='a .t7 file (binary or ascii) holding an nn module')
    p.add_argument('out', help='where to torch.save the converted module (.pt)')
    p.add_argument('--code', metavar='OUT_PY',
                   help='also write a standalone PyTorch source (build() and load(path))')
    p.add_argument('--input-shape', action='append', metavar='N,C,H,W',
                   help='shape of the random input including the batch dimension; repeat '
                        'for a table input; N,T@V is an input of indices 1..V (a '
                        "LookupTable's); default: guessed from the first layers")
    p.add_argument('--samples', type=int, default=3, help='random inputs to measure (3)')
    p.add_argument('--define', action='append', metavar='FILE_PY', default=[],
                   help='run this Python file first: it may register the classes of the '
                        "model's own project (torch7py.register_class) and their PyTorch "
                        'forms (torch7py.export.register_converter); repeatable')
    args = p.parse_args(argv)
    try:
        for path in args.define:
            run_define(path)
        from . import load_t7, require_torch, source_code, to_pytorch
        require_torch()
        import torch
        model = load_t7(args.model)
        tmod = to_pytorch(model)
        torch.save(tmod, args.out)
        print('saved %s (%s) -> %s' % (args.model, type(tmod).__name__, args.out))
        if args.code:
            with open(args.code, 'w') as f:
                f.write(source_code(tmod, args.model))
            print('wrote the standalone source %s' % args.code)
        from ..nn.criterion import Criterion
        from ..nn.module import Module
        if isinstance(model, Criterion):
            return 0
        if not isinstance(model, Module):
            print('%s cannot run in this torch7py (its class is not defined here): '
                  'no difference measured' % type(model).typename, file=sys.stderr)
            return 0
        rng = np.random.default_rng(0)
        if args.input_shape:
            shapes = [_parse_shape(s) for s in args.input_shape]
        else:
            probe = model.clone()
            probe.double()
            probe.evaluate()
            why = []
            found = _probe(probe, _candidates(probe), 2, rng, why)
            if found is None:
                print('no input shape could be guessed for this model%s: give --input-shape '
                      'to measure the difference' % (' (%s)' % why[0] if why else ''),
                      file=sys.stderr)
                return 0
            shapes = found if isinstance(found, list) else [found]
        why = []
        out_diff, grad_diff = measure(model, shapes, args.samples, why=why)
        grad = ('gradInput %.3g' % grad_diff if grad_diff is not None else
                'gradInput not measured (%s)' % why[0])
        print('largest difference on %d random float64 inputs of shape %s (evaluation mode): '
              'output %.3g, %s'
              % (args.samples, shape_text(shapes),
                 out_diff, grad))
        return 0
    except (ExportError, MissingTorchError) as err:
        print('t7-to-pytorch: %s' % err, file=sys.stderr)
        return 1


if __name__ == '__main__':
    sys.exit(main())
