"""Contrechamp: an open observatory of surveillance technology in public space."""
