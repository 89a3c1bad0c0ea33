"""Exploring the design space in the app: the scaling sweep and the comparison of two designs."""
