"""careerkit: a Jupyter-based career exploration curriculum kit.

Import the modules you need (``careerkit.catalog``, ``careerkit.assignment``,
``careerkit.reflection``...); this package file only names the version and the
error base so that ``import careerkit`` stays cheap inside graded notebooks.
"""

from careerkit.errors import CareerkitError

__version__ = "0.1.0"
__all__ = ["CareerkitError", "__version__"]
