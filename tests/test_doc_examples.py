"""tools/doc_examples.py: how it reads a manual's code blocks, runs them and judges the output.

The manuals themselves are not in the repository: the sweep over the checkouts runs only when
TORCH7PY_DOC_CHECKOUTS names them (paths separated by ':', e.g. /work/ext/torch7:/work/ext/nn),
and then every example that errs or differs must be one that docs/doc_examples.md judges (the
manual wrong against the source at the pinned commits)."""
import os
import re
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
pytest.importorskip("lupa")
from tools import doc_examples as de  # noqa: E402

# hand-written manual pages in the manuals' style (Torch7's printing rules give the outputs:
# integers as %<digits+1>d, one per line for a vector, then the type and size)
PAGE = """# A page

## Section one

```lua
x = torch.Tensor(3):fill(2)
> x
 2
 2
 2
[torch.DoubleTensor of dimension 3]

> x:sum()  -- a comment the author added
6
```

A signature is not an example:

```lua
[res] torch.cat( [res,] x_1, x_2, [dimension] )
```

```lua
print(x:size(1))

3
```

```
      y_i = { x_i, if x_i ≤ max
```

```lua
> = x:nosuchmethod()
```

## Section two

```lua
y = torch.rand(4)
> y
 0.1234
 0.5678
 0.9012
 0.3456
[torch.DoubleTensor of size 4]
> torch.zeros(2):fill(7)
 7
 8
[torch.DoubleTensor of size 2]
> undefinedthing:foo()
```
"""


@pytest.fixture(scope="module")
def syntax():
    return de.LuaSyntax()


@pytest.fixture
def page(tmp_path):
    p = tmp_path / "page.md"
    p.write_text(PAGE)
    return str(p)


def test_blocks_split_into_code_prompts_and_output(page, syntax):
    exs = de.extract(page, syntax)
    # the signature and the math block are not Lua
    assert len(exs) == 4
    first = exs[0]["segments"]
    assert [(s.kind, s.code) for s in first] == [
        ("code", "x = torch.Tensor(3):fill(2)"), ("prompt", "x"), ("prompt", "x:sum()")]
    assert first[1].expected[:4] == [" 2", " 2", " 2", "[torch.DoubleTensor of dimension 3]"]
    assert [ln for ln in first[2].expected if ln] == ["6"]
    # output after a print in plain code belongs to that code
    second = exs[1]["segments"]
    assert [(s.kind, s.code) for s in second] == [("code", "print(x:size(1))")]
    assert [ln for ln in second[0].expected if ln] == ["3"]
    assert exs[0]["section"] == exs[1]["section"] != exs[3]["section"]


def test_multiline_prompt_takes_its_continuation(tmp_path, syntax):
    p = tmp_path / "m.md"
    p.write_text("```lua\n> for i = 1, 2 do\n     print(i)\n  end\n1\n2\n```\n")
    (ex,) = de.extract(str(p), syntax)
    (seg,) = ex["segments"]
    assert seg.kind == "prompt" and seg.code.count("\n") == 2
    assert [ln for ln in seg.expected if ln] == ["1", "2"]


def test_manual_text_normalized_for_torch7s_own_changes():
    # Tensor.lua at 814ea4a writes "of size"; the alias torch.Tensor prints its real type
    assert de.norm_expected([" 1  -- contiguous!", "[torch.Tensor of dimension 2x3]", ""]) == [
        " 1", "[torch.DoubleTensor of size 2x3]"]
    assert de.compare(["  1  2"], [" 1 2"]) == "spacing"
    assert de.compare(["8.1795638957133e-15"], ["1.1682163181673e-14"]) == "same"
    assert de.compare(["0.5"], ["0.25"]) == "differ"


def test_verdicts(page, syntax):
    exs = de.extract(page, syntax)
    v = [de.judge_in_section(exs, k, ["nn"], timeout=60) for k in range(len(exs))]
    assert v[0]["verdict"] == "same"
    assert v[1]["verdict"] == "same"
    # a method Torch7 does not have: the error is reported with our message
    assert v[2]["verdict"] == "error" and "nosuchmethod" in v[2]["detail"]
    # the random draw is not compared; the deterministic output is, and differs
    assert v[3]["verdict"] == "differ" and v[3]["want"][:2] == [" 7", " 8"]
    assert v[3]["got"] == [" 7", " 7", "[torch.DoubleTensor of size 2]"]


def test_undefined_names_are_skipped(tmp_path, syntax):
    p = tmp_path / "u.md"
    p.write_text("```lua\n> torch.log(somex, somex)\n```\n")
    (ex,) = de.extract(str(p), syntax)
    v = de.judge(ex, ["nn"], timeout=60)
    assert v["verdict"] == "skip" and "somex" in v["detail"]


def judged_examples():
    """file:line of the manual examples docs/doc_examples.md judges wrong against the source."""
    with open(os.path.join(ROOT, "docs", "doc_examples.md"), encoding="utf-8") as f:
        return set(re.findall(r"`([\w/]+\.md:\d+)`", f.read()))


@pytest.mark.skipif(not os.environ.get("TORCH7PY_DOC_CHECKOUTS"),
                    reason="TORCH7PY_DOC_CHECKOUTS names no checkouts of the manuals")
def test_manuals_run_as_documented():
    paths = [p for p in os.environ["TORCH7PY_DOC_CHECKOUTS"].split(":") if p]
    with open(os.devnull, "w") as log:
        records = de.sweep(paths, log=log)
    judged = judged_examples()
    bad = ["%s:%d %s" % (r["file"], r["line"], r["verdict"]) for r in records
           if r["verdict"] in ("error", "differ") and "%s:%d" % (r["file"], r["line"])
           not in judged]
    assert not bad, "\n".join(bad)
