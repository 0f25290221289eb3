"""The graph package's graphviz functions (graph.dot, graphvizFile, graphvizLayout) and
nngraph's simple_print.dot, which nngraph's test_old.lua calls: the original draws through
graphviz's libraries (graph) or its dot program run by the shell (simple_print). Tests that need
graphviz skip without it; its absence is simulated to check the original's failures."""
import shutil

import pytest

from torch7py import nn, nngraph
from torch7py.nngraph import graphviz
from torch7py.nngraph.graph import Graph
from torch7py.nngraph.graph_node import GraphNode
from torch7py.nngraph.edge import Edge

HAVE_LIBS = graphviz._libraries() is not None
needs_libs = pytest.mark.skipif(not HAVE_LIBS, reason="graphviz's libraries are not installed")
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="graphviz's dot is missing")


def chain():
    # a -> b -> c: Graph:add numbers the nodes 1, 2, 3 in the order the edges bring them
    a, b, c = GraphNode("a"), GraphNode("b"), GraphNode("c")
    g = Graph()
    g.add(Edge(a, b))
    g.add(Edge(b, c))
    return g, (a, b, c)


@pytest.fixture
def no_libs(monkeypatch):
    monkeypatch.setattr(graphviz, "LIBRARY_NAMES", {"gvc": ("libgvc-absent.so",),
                                                    "cgraph": ("libcgraph-absent.so",)})


def test_without_the_libraries_graph_functions_fail_as_the_original(no_libs, tmp_path):
    g, _ = chain()
    for call in (lambda: nngraph.graph.dot(g, "t", str(tmp_path / "x")),
                 lambda: nngraph.graph.graphvizFile(g, "dot", str(tmp_path / "x.svg")),
                 lambda: nngraph.graph.graphvizLayout(g)):
        with pytest.raises(RuntimeError, match=r"^graphviz library could not be loaded\.$"):
            call()
    assert list(tmp_path.iterdir()) == []


def test_simple_print_dot_without_the_dot_program_goes_on(monkeypatch, tmp_path, capfd):
    # os.execute('dot -Tsvg ...'): the shell reports the missing program, nothing fails
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    x = nn.Identity()()
    y = nn.Tanh()(nn.Linear(2, 2)(x))
    g = nn.gModule([x], [y])
    assert nngraph.simple_print.dot(g.fg, "t", str(tmp_path / "s")) is None
    assert (tmp_path / "s.dot").read_text() == nngraph.simple_print.todot(g.fg, "t")
    assert not (tmp_path / "s.svg").exists()
    assert "dot: not found" in capfd.readouterr().err


@needs_libs
def test_graphviz_layout_places_a_chain_top_down():
    g, (a, b, c) = chain()
    pos = nngraph.graph.graphvizLayout(g).numpy()
    assert pos.shape == (3, 2)
    assert ((pos >= 0) & (pos <= 1)).all()
    # dot ranks a chain top to bottom (graphviz's y grows upwards) in one column
    ya, yb, yc = pos[a.id - 1, 1], pos[b.id - 1, 1], pos[c.id - 1, 1]
    assert ya > yb > yc
    assert pos[0, 0] == pos[1, 0] == pos[2, 0]


@needs_libs
def test_graphviz_file_renders_by_extension(tmp_path):
    g, _ = chain()
    nngraph.graph.graphvizFile(g, "dot", str(tmp_path / "g.svg"))
    nngraph.graph.graphvizFile(g, "dot", str(tmp_path / "g.dot"))
    assert (tmp_path / "g.svg").read_text().lstrip().startswith("<?xml")
    laid_out = (tmp_path / "g.dot").read_text()
    # the dot format after layout: positions and the bounding box added
    assert "bb=" in laid_out and laid_out.count("pos=") >= 5  # 3 nodes, 2 edges


@needs_libs
def test_graph_dot_writes_svg_and_laid_out_dot_and_returns_nothing(tmp_path):
    g, _ = chain()
    assert nngraph.graph.dot(g, "ignored title", str(tmp_path / "d")) is None
    assert (tmp_path / "d.svg").stat().st_size > 0
    # graph.dot renders g:todot(): the title is not used
    assert "ignored title" not in (tmp_path / "d.dot").read_text()


@needs_dot
def test_simple_print_dot_renders_with_dot(tmp_path):
    x = nn.Identity()()
    g = nn.gModule([x], [nn.Tanh()(x)])
    nngraph.simple_print.dot(g.fg, "t", str(tmp_path / "s"))
    assert (tmp_path / "s.svg").read_text().lstrip().startswith("<?xml")


def test_display_without_the_libraries(no_libs):
    x = nn.Identity()()
    g = nn.gModule([x], [nn.Tanh()(x)])
    with pytest.raises(RuntimeError, match=r"^graphviz library could not be loaded\.$"):
        nngraph.display(g)


@needs_libs
def test_display_opens_the_svg(monkeypatch):
    # graph.dot into a temporary name, then `xdg-open NAME.svg` through the shell
    import sys
    if sys.platform != "linux":
        pytest.skip("xdg-open is the Linux command")
    ran = []
    monkeypatch.setattr(graphviz, "os_execute", ran.append)
    x = nn.Identity()()
    g = nn.gModule([x], [nn.Tanh()(x)])
    nngraph.display(g)
    assert len(ran) == 1 and ran[0].startswith("xdg-open ") and ran[0].endswith(".svg")
    svg = ran[0].split(" ", 1)[1]
    import os
    with open(svg) as f:
        assert f.read().lstrip().startswith("<?xml")
    for ext in (".svg", ".dot", ""):
        os.remove(svg[:-4] + ext)


def test_tmpname_is_glibc_mkstemps_shape():
    # /tmp/lua_ + six letters or digits (never '_', which graph.dot's pattern cannot read
    # back: a name ending in '_' made display() fail now and then), a new empty file each time
    import os
    import re
    names = [graphviz.tmpname() for _ in range(200)]
    try:
        assert len(set(names)) == 200
        for n in names:
            assert re.fullmatch(r"lua_[A-Za-z0-9]{6}", os.path.basename(n))
            assert os.path.getsize(n) == 0
    finally:
        for n in names:
            os.remove(n)
