"""Archive files for preservation: METS, ALTO, page images, the issue manifest and BagIt packages."""
