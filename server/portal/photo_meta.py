"""A public photo without its camera metadata: a phone writes where a picture was taken
(EXIF GPS), the device and sometimes its owner into the file. The portal publishes the
picture only, so that metadata is dropped before the photo is stored.

JPEG: kept APP0 (JFIF), APP2 (ICC colour profile) and APP14 (Adobe colour transform), which
change how the picture looks; dropped APP1 (EXIF, XMP), the other APPn and comments.
PNG: dropped the eXIf, text and time chunks. WebP: dropped the EXIF and XMP chunks (and
their flags in VP8X). A file whose structure cannot be followed is left as it is (the type
check already passed)."""

from __future__ import annotations

SOI, SOS, EOI, COM = 0xD8, 0xDA, 0xD9, 0xFE
KEEP_APP = {0xE0, 0xE2, 0xEE}
STANDALONE = {0x01, *range(0xD0, 0xD8)}  # markers without a length (TEM, RSTn)


def without_jpeg_metadata(data: bytes) -> bytes:
    if not data.startswith(b"\xff\xd8"):
        return data
    out = bytearray(b"\xff\xd8")
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            return data
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte before a marker
            at += 1
            continue
        if marker in STANDALONE or marker == SOI:
            out += data[at:at + 2]
            at += 2
            continue
        if marker in (SOS, EOI):  # the picture itself follows: copied as it is
            return bytes(out + data[at:])
        length = int.from_bytes(data[at + 2:at + 4], "big")
        end = at + 2 + length
        if length < 2 or end > len(data):
            return data
        if not (0xE0 <= marker <= 0xEF and marker not in KEEP_APP or marker == COM):
            out += data[at:end]
        at = end
    return data


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_DROP = {b"eXIf", b"tEXt", b"zTXt", b"iTXt", b"tIME"}
WEBP_DROP = {b"EXIF", b"XMP "}


def without_png_metadata(data: bytes) -> bytes:
    out, at = bytearray(PNG_SIGNATURE), len(PNG_SIGNATURE)
    while at + 12 <= len(data):
        length = int.from_bytes(data[at:at + 4], "big")
        kind, end = data[at + 4:at + 8], at + 12 + length
        if end > len(data):
            return data
        if kind not in PNG_DROP:
            out += data[at:end]
        at = end
        if kind == b"IEND":
            return bytes(out + data[at:])
    return data


def without_webp_metadata(data: bytes) -> bytes:
    if data[8:12] != b"WEBP":
        return data
    body, at = bytearray(b"WEBP"), 12
    while at + 8 <= len(data):
        kind = data[at:at + 4]
        length = int.from_bytes(data[at + 4:at + 8], "little")
        end = at + 8 + length + length % 2
        if end > len(data) and at + 8 + length != len(data):
            return data
        chunk = bytearray(data[at:end])
        if kind == b"VP8X" and length >= 1:
            chunk[8] &= ~0x0C & 0xFF  # no EXIF (0x08) nor XMP (0x04) any more
        if kind not in WEBP_DROP:
            body += chunk
        at = end
    return b"RIFF" + len(body).to_bytes(4, "little") + bytes(body)


def without_metadata(content_type: str, data: bytes) -> bytes:
    strip = {"image/jpeg": without_jpeg_metadata, "image/png": without_png_metadata,
             "image/webp": without_webp_metadata}.get(content_type)
    return strip(data) if strip else data
