"""Help ▸ Keyboard Shortcuts lists the window's real shortcuts."""

from archcanvas.gui.help_menu import shortcuts


def test_the_shortcut_list_comes_from_the_windows_actions(window):
    rows = dict((what, keys) for keys, what in shortcuts(window))
    assert rows["Find"] == "Ctrl+F"
    assert "Ctrl+Z" in rows["Undo"] and rows["Fit to View"] == "F"
    assert "Wire two layers" in rows
    dialog = window.help_menu.show_shortcuts()
    assert dialog.table.rowCount() == len(rows)
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles[-1] == "&Help"
    dialog.close()
