"""Zip packages (XLSX, DOCX) that users upload: what reading a damaged or crafted one raises.

Each exception below is raised by the standard library's ``zipfile`` (or the decompressor it
calls) for a kind of bad file; the spreadsheet import and the evidence check catch them all and
refuse the file with a message instead of answering with a server error.
"""

import lzma
import zipfile
import zlib

ZIP_ERRORS = (
    zipfile.BadZipFile,  # not a zip, a truncated directory, a bad CRC
    zipfile.LargeZipFile,  # a ZIP64 archive where ZIP64 is not allowed
    OSError,  # a truncated member, a bad bzip2 stream
    EOFError,  # a member that ends early
    NotImplementedError,  # zipfile's refusal of a compression method it cannot read (e.g. 99)
    RuntimeError,  # an encrypted member without a password
    ValueError,  # a member name flagged UTF-8 that is not (UnicodeDecodeError)
    zlib.error,  # a corrupted deflate stream
    lzma.LZMAError,  # a corrupted LZMA stream
)
