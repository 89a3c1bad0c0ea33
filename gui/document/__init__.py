"""The open design, its undo stack and the commands that edit it."""
