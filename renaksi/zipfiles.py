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

# An Office package carries macros when its content types or relationships say so, whatever
# its parts are called: a renamed vbaProject.bin is still declared as a VBA project.
MACRO_MARKERS = (b"macroEnabled", b"vbaProject", b"ms-office.vba", b"activeX")
DECLARATIONS_MAX_BYTES = 1024 * 1024  # real [Content_Types].xml and .rels files: a few KB


def package_has_macros(archive: zipfile.ZipFile) -> bool:
    """Whether an XLSX/DOCX declares a VBA project (or ActiveX) in its content types or rels.

    A part still named vbaProject.bin counts too. Raises one of ``ZIP_ERRORS`` for a damaged
    member.
    """
    if any(name.lower().endswith("vbaproject.bin") for name in archive.namelist()):
        return True
    for info in archive.infolist():
        name = info.filename
        if name != "[Content_Types].xml" and not name.endswith(".rels"):
            continue
        with archive.open(info) as member:
            text = member.read(DECLARATIONS_MAX_BYTES + 1)
        if len(text) > DECLARATIONS_MAX_BYTES:
            return True  # no honest package declares that much; treat it as hiding something
        if any(marker.lower() in text.lower() for marker in MACRO_MARKERS):
            return True
    return False
