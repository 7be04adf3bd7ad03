"""Every size and count the toolkit accepts from input, in one place.

An issue folder is not trusted (see docs/trust-model.md): whatever it
holds, a build must end, in bounded memory, with the editions or with a
message. The figures are far above any real issue (a dense broadsheet page
holds about 15,000 characters, 45 KB of UTF-8; the largest real issue.yaml
we know is 3 KB) and low enough that a build within them fits in a few
hundred megabytes. A value over a limit is refused with a message naming
the limit, never cut.

Measured: a 1 MiB page of the sample's text (400 articles) took 980 MB and
4.8 minutes of a busy machine to set in print; memory grows with the text
of the whole issue, since the print edition is laid out as one document.
"""

from __future__ import annotations

KIB = 1024
MIB = 1024 * KIB

# --- the issue folder -------------------------------------------------------
ISSUE_FILE_BYTES = 256 * KIB  # issue.yaml
YAML_DEPTH = 16  # nesting of lists and mappings in issue.yaml (the schema needs 3)
# Values (keys, scalars, lists, mappings) of issue.yaml, each alias counted as all it stands for: an issue
# of PAGES_PER_ISSUE pages with every key and a few spans holds about 15,000.
YAML_NODES = 50_000
PAGES_PER_ISSUE = 500
PAGE_FILE_BYTES = 512 * KIB  # one raw page file: about 175,000 Chinese characters, 12 dense broadsheet pages
# All the page files of one issue: 700,000 characters, 45 dense broadsheet pages (an evening paper has
# 16 to 48 pages, most far from dense); as much as `check` reads back of a PDF (PDF_READ_MARKS).
ISSUE_TEXT_BYTES = 2 * MIB
ARTICLES_PER_PAGE = 200  # a page of briefs (简讯) holds 30; each article costs the page make-up a search
ARTICLES_PER_ISSUE = 2_000
FIELD_CHARS = 200  # one metadata value of issue.yaml (paper, page label, section …)
# The page make-up weighs at most this many articles for one sheet (its search costs about the fourth
# power of their number: 12 one-line briefs take 2.8 s, 16 take 7 s, 20 take 16 s, 30 alone 37 s on the
# busy development machine); the later articles of a page go on to its next sheets. A page of 200 one-line
# briefs is made up in 96 s (it ran past 400 s).
STORIES_PER_SHEET = 16
EAR_CHARS = 40  # the weather or slogan of the front page's ear (报眼): one line of it

# --- pictures (publisher.ingest.images) -----------------------------------------
# An archive's masters are large: a 600 ppi scan of a broadsheet page is 124
# million pixels, a medium-format camera's frame 100 to 150 million, an 8-bit
# RGB TIFF of 60 million pixels 180 MB. Every image is decoded whole to be
# checked, one at a time: at the pixel limit that takes 450-600 MB for an RGB
# or CMYK TIFF or PNG (a JPEG is checked at an eighth of its size: 10 MB).
IMAGE_FILE_BYTES = 256 * MIB  # one image file
IMAGE_PIXELS = 150_000_000  # one image, width x height (Pillow refuses 179 million as a decompression bomb)
ISSUE_IMAGE_BYTES = 1024 * MIB  # all the image files of one issue, held in memory while it is built
PICTURES_PER_PAGE = 100  # a page of photos (图片专版) holds 10-20; each is a block for the make-up
ADS_PER_PAGE = 20

# --- layouts ------------------------------------------------------------------
LAYOUT_FILE_BYTES = 4 * MIB  # one template, stylesheet, layout.toml or image of a layout
LAYOUT_FILES = 200  # files of a layout folder that a layout may use (see layouts.LAYOUT_SUFFIXES)
LAYOUT_DEPTH = 3  # folder levels below a layout folder that are searched
TEMPLATE_OUTPUT_CHARS = 64 * MIB  # what one template may render, and any string or list it builds
TEMPLATE_RANGE_ITEMS = 1_000_000  # items all the range() calls of one build may yield together
# An SVG of a layout (a file, a data: URL or inline in a template), each <use> counted as all it names:
# a masthead's logo has a few hundred; WeasyPrint draws 50,000 rectangles in about 3 s.
SVG_ELEMENTS = 50_000
SVG_FILES = 200  # SVG images fetched for one layout of the sheets (an SVG's <image> may name itself)

# --- output names ---------------------------------------------------------------
NAME_BYTES = 120  # the paper part of an edition's file name, in UTF-8 (file systems allow 255)

# --- `publisher check` ----------------------------------------------------------
EPUB_ENTRIES = 10_000  # files in an EPUB archive
EPUB_EXPANDED_BYTES = 512 * MIB  # all entries of an EPUB, uncompressed
EPUB_RATIO = 200  # uncompressed : compressed, for an entry of more than EPUB_RATIO_FLOOR bytes
EPUB_RATIO_FLOOR = 1 * MIB
PDF_STREAM_BYTES = 256 * MIB  # one decoded stream of a PDF
PDF_EXPANDED_BYTES = 1024 * MIB  # all decoded streams of a PDF together
# Sheets of a PDF given to `check`: an issue of PAGES_PER_ISSUE pages runs to a few more sheets; a 935 KB
# PDF of 100,000 empty pages took 16 s and 640 MB.
PDF_PAGES = 5_000
# What reading a PDF's text may cost (check/pdf_reading.py): content interpreted, a form's each time it is
# drawn, and characters, paths, images and forms drawn, on a page and in all. pdfminer.six takes about
# 0.1 ms a mark. A 16-page issue: 0.4 MB and 45,000 marks; the largest issue the limits above allow
# (2 MiB of text) about 8 MB and 750,000 marks; a sheet of 6 pt type holds 30,000 characters.
# A package's METS document and one ALTO file, parsed whole (a sheet's ALTO is about 1 MB, the METS of a
# 48-page issue about 300 KB).
ARCHIVE_XML_BYTES = 64 * MIB
PDF_READ_CONTENT_BYTES = 64 * MIB
PDF_READ_MARKS = 1_000_000
PDF_READ_PAGE_MARKS = 100_000

# --- the command line -------------------------------------------------------------
PREVIEW_DPI = (10, 600)  # a tabloid sheet at 600 dpi is 6,600 x 10,200 pixels
BLEED_MM = 25.0
JOBS_PER_CPU = 4  # --jobs at most this many times the CPUs
# s one issue of a batch may take (--time-limit): a 16-page issue takes 3 s, a page of 200 briefs about 60 s.
TIME_LIMIT = 600.0
