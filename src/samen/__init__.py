"""Samen: the platform for a municipality's local approach to loneliness."""

__version__ = "0.1.0"
