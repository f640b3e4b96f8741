"""Demo objects for the province guide's steps done on a page of one object (see __init__)."""

from collections.abc import Callable

OBJECTS: dict[str, Callable] = {}
