"""publisher: turns an issue of a Chinese evening paper into a print PDF and an EPUB 3 edition.

Modules depend downward only. In order, lowest first (a module imports its
own tier and those below it, never one above; the order is data in
tests/unit/test_architecture.py, which checks every import, inside
functions too):

1. the utilities: errors, interrupts, limits, resources, arguments, imaging,
   atomic, pdflib, names, untrusted (they know no stage and no model);
2. model: the issue as plain data;
3. timestamps; layouts (a layout folder's files, found and read within
   bounds); sandbox (the Jinja sandbox);
4. typeset: lines, heads and the page make-up (layout.toml read through layouts);
5. templates: a layout's Jinja environment, with typeset's text filters;
6. ingest: issue.yaml and the page files read into the model, checked
   against the layout's geometry;
7. print and epub; check; build; archive; batch and progress; cli (issue 28
   part B brings these into that order).
"""

__version__ = "0.1.0"
