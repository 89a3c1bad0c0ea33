"""The status bar's totals follow the document, the memory dtype included."""

from archcanvas.core.design import Design
from archcanvas.core.units import human_bytes
from archcanvas.gui.document.document import Document
from archcanvas.gui.status import TotalsLabel


def test_the_totals_tooltip_counts_activations_in_the_documents_dtype(qtbot):
    d = Design("t")
    d.add_node("Input", "in", attrs={"shape": [32, 32, 3]})
    d.add_node("Conv2D", "c", attrs={"filters": 8, "kernel_size": 3, "padding": "same"})
    d.connect("in", "c")
    doc = Document(d)
    label = TotalsLabel(doc)
    qtbot.addWidget(label)
    acts = doc.analyzer.analysis.totals.activations
    assert acts == 32 * 32 * 3 + 32 * 32 * 8
    assert f"({human_bytes(4 * acts)} float32)" in label.toolTip()
    doc.set_dtype("float16")
    assert f"({human_bytes(2 * acts)} float16)" in label.toolTip()
    doc.set_dtype("int8")
    assert f"({human_bytes(acts)} int8)" in label.toolTip()
