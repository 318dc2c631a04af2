"""Zip packages (XLSX, DOCX) that users upload: what reading a damaged or crafted one raises."""

import lzma
import zipfile
import zlib

# A corrupted deflate stream (zlib.error), an encrypted member (RuntimeError), a file name
# flagged UTF-8 that is not (UnicodeDecodeError, a ValueError), an unsupported compression
# (NotImplementedError), a bad CRC (BadZipFile), a truncated file (EOFError, OSError), ...
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    OSError,
    EOFError,
    NotImplementedError,
    RuntimeError,
    ValueError,
    zlib.error,
    lzma.LZMAError,
)
