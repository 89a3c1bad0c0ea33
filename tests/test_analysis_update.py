"""``Analyzer.update``: after any edit, the same analysis as a fresh full one, reporting exactly
the ids whose result changed, and recomputing only below nodes whose shape changed."""

from hypothesis import given, settings
from hypothesis import strategies as st

from archcanvas.core.analysis import Analyzer, analyze
from archcanvas.core.design import Design
from test_analysis import OPS, assert_same, copy_design, deep_chain, random_edit


def test_update_stops_where_the_shapes_stop_changing():
    d = deep_chain(40)  # in → conv n0 → bn n1 → conv n2 → … (every conv 8 filters, 'same')
    an = Analyzer(d)
    assert an.update() == set(d.node_ids())
    d.set_attr("n30", "filters", 16)
    # n30 widens, its BatchNormalization n31 follows, the conv n32 takes 16 channels in and
    # still gives 8 out: nothing below it changes
    assert an.update() == {"n30", "n31", "n32"}
    assert an.analysis["n32"].params == 9 * 16 * 8 + 8
    assert_same(an.analysis, analyze(copy_design(d)))
    d.set_attr("n30", "filters", 8)
    assert an.update() == {"n30", "n31", "n32"}
    d.set_attr("n30", "use_bias", True)  # already its value: no result changes
    assert an.update() == set()
    d.rename("n4", "renamed")
    assert an.update() == set()
    d.disconnect("n37", "n38", 0)
    assert an.update() == {"n38", "n39"}
    d.remove_node("n38")
    assert an.update() == {"n38", "n39"}
    assert_same(an.analysis, analyze(copy_design(d)))


def test_update_counts_what_it_recomputes(monkeypatch):
    """An edit near the input of a long chain recomputes three nodes, not the chain below."""
    import archcanvas.core.analysis as A

    d = deep_chain(400)
    an = Analyzer(d)
    an.update()
    computed = []
    real = A._compute
    monkeypatch.setattr(A, "_compute", lambda node, ins, srcs: computed.append(node.id) or real(node, ins, srcs))
    d.set_attr("n2", "filters", 3)
    assert an.update() == {"n2", "n3", "n4"}
    assert computed == ["n2", "n3", "n4"]


@settings(max_examples=150)
@given(st.data())
def test_update_always_equals_a_fresh_full_analysis(data):
    d = Design()
    d.add_node("Input", "in", attrs={"shape": [16, 16, 4]})
    an = Analyzer(d)
    draw = data.draw
    if draw(st.booleans(), label="small propagation limit"):
        an.full_pass_above = 2  # bail out to a full pass early: both paths must agree
    an.update()
    for _ in range(draw(st.integers(5, 30), label="steps")):
        random_edit(d, draw, OPS + ["batch"])
        before = dict(an.analysis.results)
        changed = an.update()
        full = analyze(copy_design(d))
        assert_same(an.analysis, full)
        after = an.analysis.results
        assert changed == {n for n in before.keys() | after.keys() if before.get(n) != after.get(n)}
        for nid, r in after.items():  # what did not change kept its result object
            if nid not in changed:
                assert before[nid] is r
