"""kit's version number, in a module of its own so that every stage can read it without importing the package API."""

__version__ = "0.1.0"
