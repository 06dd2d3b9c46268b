"""A public photo without its camera metadata: a phone writes where a picture was taken
(EXIF GPS), the device and sometimes its owner into JPEG application segments. The portal
publishes the picture only, so these segments are dropped before the photo is stored.

Kept: APP0 (JFIF), APP2 (ICC colour profile) and APP14 (Adobe colour transform), which
change how the picture looks; dropped: APP1 (EXIF, XMP), the other APPn and comments. A
file whose structure cannot be followed is left as it is (the type check already passed)."""

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
