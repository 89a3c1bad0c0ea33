"""Refactors in the app: Edit ▸ Refactor, a preview of the cost change, and one undo step each."""

from archcanvas.gui.refactor.menu import RefactorMenu

__all__ = ["RefactorMenu"]
