"""The overview map: shown for large designs, outlines what the canvas shows, clicks move the canvas."""

from PySide6.QtCore import QPoint, Qt

from archcanvas.core import templates
from archcanvas.gui.canvas.minimap import AUTO_LAYERS


def test_the_overview_follows_the_designs_size_and_the_menu(window, qtbot):
    window.show()
    qtbot.waitExposed(window)
    window.open_design(templates.build("seed-inception"))
    assert len(window.document.design) <= AUTO_LAYERS
    assert not window.minimap.isVisible() and not window.overview_action.isChecked()
    window.open_design(templates.build("mobilenet-v2"))
    assert window.minimap.isVisible() and window.overview_action.isChecked()
    window.overview_action.setChecked(False)
    assert not window.minimap.isVisible()
    window.overview_action.setChecked(True)
    assert window.minimap.isVisible()


def test_a_click_in_the_overview_moves_the_canvas_there(window, qtbot):
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    window.open_design(templates.build("mobilenet-v2"))
    window.view.set_zoom(1.0)
    mm = window.minimap
    content = window.view.scene().content_rect()
    target = mm.mapFromScene(content.bottomRight())
    qtbot.mouseClick(mm.viewport(), Qt.LeftButton, pos=target - QPoint(3, 3))
    centre = window.view.mapToScene(window.view.viewport().rect().center())
    assert (centre - content.bottomRight()).manhattanLength() < 0.1 * (content.width() + content.height())
    assert mm.visible_rect().contains(centre)
    start = mm.mapFromScene(content.topLeft())
    qtbot.mouseClick(mm.viewport(), Qt.LeftButton, pos=start + QPoint(3, 3))
    centre2 = window.view.mapToScene(window.view.viewport().rect().center())
    assert (centre2 - content.topLeft()).manhattanLength() < (centre - content.topLeft()).manhattanLength()


def test_a_design_opened_before_the_window_is_shown_is_fitted_in_the_overview(window, qtbot):
    # the order of a file named on the command line (and of --screenshot): open, then show
    window.hide()  # the fixture's window is shown already
    window.open_design(templates.build("googlenet"))
    qtbot.wait(10)  # the overview's deferred refresh runs while the window is still hidden
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(10)
    mm = window.minimap
    content = window.view.scene().content_rect()
    corners = [mm.mapFromScene(content.topLeft()), mm.mapFromScene(content.bottomRight())]
    assert all(mm.viewport().rect().contains(c) for c in corners)
    drawn = corners[1] - corners[0]
    assert drawn.x() > 0.7 * mm.viewport().width() or drawn.y() > 0.7 * mm.viewport().height()

