"""Which build of nn's THNN loops (torch7py/nn/_nnk.c) runs: _nnk_hw, the same source built
for x86-64 CPUs with AVX2 and FMA (setup.py), where the CPU has both; else the portable _nnk;
None when neither was built. Both give the same bits: -ffp-contract=off and no reordering in
each build, so only independent elements run side by side (tests run both builds)."""


def _cpu_has_avx2_fma():
    """numpy's own CPU feature detection (which also checks that the OS saves the AVX state)."""
    try:
        from numpy._core._multiarray_umath import __cpu_features__ as features
    except ImportError:
        try:
            from numpy.core._multiarray_umath import __cpu_features__ as features
        except ImportError:
            return False
    return bool(features.get('AVX2')) and bool(features.get('FMA3'))


try:
    from . import _nnk as portable
except ImportError:  # pragma: no cover
    portable = None

nnk = portable
if portable is not None and _cpu_has_avx2_fma():
    try:
        from . import _nnk_hw as nnk
    except ImportError:  # pragma: no cover
        nnk = portable

if portable is not None:  # linear_gb's gemv order follows numerics.blas_loops' build
    from .. import numerics as _numerics
    for _m in {id(portable): portable, id(nnk): nnk}.values():
        if hasattr(_m, 'linear_blas'):
            _numerics.on_blas_loops(_m.linear_blas)
