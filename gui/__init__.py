"""ArchCanvas desktop app (PySide6). Depends on ``core``; ``core`` never imports this package."""
