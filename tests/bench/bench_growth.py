"""Growth from 1,000 to 20,000 layers (run by hand: ``python tests/bench/bench_growth.py [N ...]``;
``bench_analysis.py`` prints it too). Issue 11: read, analyse and report grow linearly.

For each size, on the realistic design of ``bench_analysis.build_design`` (Inception-like modules)
and on N unconnected Dense layers (N error lines), prints the median CPU time of:
  * read: ``fileformat.loads`` of the saved text (parse, every check, the design built);
  * analyse: a full analysis of the design just read (``analyze``, cold);
  * report: the text table of the valid design; for the unconnected one the ``error:`` lines
    exactly as ``archcanvas report`` writes them (``report.problem_lines`` and the CLI's escaping);
  * graph: what the first edit or view pays once to build the networkx graph, which reading
    and analysing do without;
  * update: ``Analyzer.update`` after widening a conv near the input (the edit reaches only its
    consumers), and after a change of the input's shape (most layers change).
Each figure is also given per layer: linear growth keeps those alike down a column.
"""

from __future__ import annotations

import contextlib
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "bench")]

from bench_analysis import Timing, build_design  # noqa: E402

from archcanvas.core import cli, report  # noqa: E402
from archcanvas.core.analysis import Analyzer, analyze  # noqa: E402
from archcanvas.core.design import Design  # noqa: E402
from archcanvas.core.fileformat import dumps, loads  # noqa: E402

SIZES = (1000, 5000, 20000)


def unconnected(n: int) -> Design:
    d = Design("unconnected")
    for i in range(n):
        d.add_node("Dense", f"d{i}", attrs={"units": 4})
    return d


def _error_lines(design: Design) -> str:
    """The CLI's stderr for a design that cannot be reported, written to a buffer."""
    a = analyze(design)
    with contextlib.redirect_stderr(io.StringIO()) as err:
        cli._err_lines(report.problem_lines(design, a))
    return err.getvalue()


def measure(d: Design, runs: int) -> dict:
    text = dumps(d)
    read = Timing(lambda: loads(text), runs)
    fresh = [loads(text)]
    analyse = Timing(lambda: analyze(fresh[0]), runs, before=lambda: fresh.__setitem__(0, loads(text)))
    a = analyze(fresh[0])
    if a.ok:
        shown = Timing(lambda: report.to_text(fresh[0], a), runs)
    else:
        shown = Timing(lambda: _error_lines(fresh[0]), runs)
    graph = Timing(lambda: fresh[0].graph, runs, before=lambda: fresh.__setitem__(0, loads(text)))
    return dict(read=read, analyse=analyse, report=shown, graph=graph)


def measure_update(d: Design, runs: int) -> dict:
    an = Analyzer(d)
    an.update()
    order = d.topological_order()
    conv = next(x for x in order if d.node(x).type == "Conv2D" and d.node(x).attrs.get("kernel_size") == 1)
    widths = iter([48, 32] * runs)
    edit = Timing(lambda: (d.set_attr(conv, "filters", next(widths)), an.update()), runs)
    shapes = iter([[160, 160, 3], [224, 224, 3]] * runs)
    first = order[0]
    reshape = Timing(lambda: (d.set_attr(first, "shape", next(shapes)), an.update()), max(3, runs // 3))
    assert an.analysis.results == analyze(d).results
    an.close()
    return dict(edit=edit, reshape=reshape)


def main(sizes=SIZES) -> None:
    print("growth, median CPU ms (µs per layer):")
    head = f"{'layers':>7} {'design':12}" + "".join(f"{k:>20}" for k in ("read", "analyse", "report", "graph on first use"))
    print(head)
    for n in sizes:
        runs = 15 if n <= 5000 else 5
        for label, d in (("inception", build_design(n)), ("unconnected", unconnected(n))):
            m = measure(d, runs)
            print(f"{n:>7} {label:12}" + "".join(
                f"{m[k].cpu * 1e3:9.1f} ({m[k].cpu * 1e6 / n:5.1f} µs)" for k in ("read", "analyse", "report", "graph")))
    print("Analyzer.update after one edit (median CPU ms): widen a 1×1 conv near the input | change the input shape")
    for n in sizes:
        u = measure_update(build_design(n), 21 if n <= 5000 else 9)
        print(f"{n:>7} layers: {u['edit'].cpu * 1e3:8.2f} ms | {u['reshape'].cpu * 1e3:8.1f} ms")


if __name__ == "__main__":
    main(tuple(int(a) for a in sys.argv[1:]) or SIZES)
