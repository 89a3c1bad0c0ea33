"""Desktop features: files, recovery, crash reports, settings, clipboard, prompts, the window title."""
