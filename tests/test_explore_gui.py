"""Explore ▸ Scaling sweep and Compare in the real window."""

import json

from archcanvas.core import templates
from archcanvas.core.fileformat import save


def test_the_sweep_plots_every_variant_with_the_papers_points_and_opens_one(window):
    dialog = window.explore_menu.show_sweep()
    dialog.source_box.setCurrentText("mobilenet-v1")
    dialog.alphas.setText("0.25, 0.5, 1.0")
    dialog.resolutions.setText("128, 224")
    assert dialog.start()
    dialog.run_to_end()
    assert len(dialog.rows) == 6 and len(dialog.points.data) == 6
    assert len(dialog.paper.data) == 7  # Tables 6 and 7
    row = next(r for r in dialog.rows if (r["alpha"], r["resolution"]) == (0.5, 224))
    assert (row["params"], row["macs"]) == (1_342_536, 149_497_088)
    spot = next(p for p in dialog.points.points() if p.data() is row)
    dialog._clicked(dialog.points, [spot])
    assert "149,497,088 MACs" in dialog.status.text()
    assert dialog.open_selected()
    assert window.document.analysis.totals.macs == 149_497_088
    assert window.document.analysis.totals.params == 1_342_536
    dialog.close()


def test_the_sweep_of_the_open_design_and_a_bad_list(window):
    window.open_design(templates.build("mobilenet-v1"))
    dialog = window.explore_menu.show_sweep()
    dialog.alphas.setText("0.5, x")
    assert not dialog.start() and "'x' is not a number" in dialog.status.text()
    dialog.alphas.setText("0.5")
    dialog.resolutions.setText("")
    assert dialog.start()
    dialog.run_to_end()
    assert [r["macs"] for r in dialog.rows] == [149_497_088] and not dialog.paper.data.size
    dialog.close()


def test_compare_with_a_file_shows_the_deltas(window, tmp_path):
    path = tmp_path / "half.json"
    save(templates.build("mobilenet-v1", alpha=0.5), path)
    window.open_design(templates.build("mobilenet-v1"))
    dialog = window.explore_menu.compare_with(path)
    t = dialog.result["totals"]
    assert t["delta"]["macs"] == 568_740_352 - 149_497_088  # B (open) − A (file)
    layers = dialog.models["Layers"]
    assert layers.rowCount() == 91 and layers.horizontalHeaderItem(3).text() == "Δ params"
    from PySide6.QtWidgets import QLabel
    totals = dialog.findChild(QLabel, "explore.compare.totals").text()
    assert "MACs: 149,497,088 → 568,740,352 (+419,243,264)" in totals
    row = next(r for r in range(layers.rowCount()) if layers.item(r, 0).text() == "conv_pw_13")
    assert layers.item(r := row, 3).text() == f"{1024 * 1024 - 512 * 512:+,}"
    dialog.close()


def test_compare_with_a_bad_file_is_a_message(window, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "nope"}))
    messages = []
    window.explore_menu.message = messages.append
    assert window.explore_menu.compare_with(bad) is None
    assert messages and messages[0].startswith("Cannot compare: ")


def test_compare_with_the_pinned_design_after_an_edit(window):
    from archcanvas.core import refactors

    window.open_design(templates.build("inception-module"))
    menu = window.explore_menu
    menu.update_enabled()
    assert not menu.pinned_action.isEnabled() and menu.compare_pinned() is None
    window.cost_panel.pin()
    menu.update_enabled()
    assert menu.pinned_action.isEnabled()
    before = window.document.analysis.totals.macs
    conv = next(n.id for n in window.document.design.nodes() if n.type == "Conv2D"
                and tuple(n.resolved()["kernel_size"]) == (5, 5))
    window.refactor_menu.confirm = lambda *a: True
    assert window.refactor_menu.run(lambda d: refactors.separable(d, conv))
    dialog = menu.compare_pinned()
    t = dialog.result["totals"]
    assert t["a"]["macs"] == before and t["b"]["macs"] == window.document.analysis.totals.macs < before
    only_now = {e["name"] for e in dialog.result["layers"] if e["a"] is None}
    assert only_now == {f"{conv}_dw", f"{conv}_pw"}
    dialog.close()
    window.cost_panel.clear_pin()
    menu.update_enabled()
    assert not menu.pinned_action.isEnabled()
