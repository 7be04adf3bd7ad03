"""pikepdf, imported with Ctrl-C held back (``publisher.interrupts``): every module takes it from here.

Its bindings abort the process when Ctrl-C interrupts their initialisation;
whichever module imports it first, it is imported here, whole, and Ctrl-C
is delivered once it is.
"""

from __future__ import annotations

from .interrupts import held

with held():
    import pikepdf

__all__ = ["pikepdf"]
