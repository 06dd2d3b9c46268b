"""Draw the PWA's icons (a speech bubble: *willay*, "to tell") as PNG files in pwa/icons/.

    .venv/bin/python bench/pwa_icons.py

Pure Python (zlib + struct), so it needs nothing beyond the standard library. Writes
icon-192.png and icon-512.png (rounded, transparent corners) and icon-maskable-512.png
(full bleed; the drawing stays inside the central 80 % "safe zone" that launchers keep).
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "pwa" / "icons"
GREEN = (11, 93, 75)
WHITE = (255, 255, 255)
YELLOW = (242, 182, 50)
SAMPLES = 3  # per axis: 9 samples per pixel smooth the edges


def _in_rounded_square(x: float, y: float, margin: float, radius: float) -> bool:
    lo, hi = margin + radius, 1 - margin - radius
    dx = max(lo - x, 0.0, x - hi)
    dy = max(lo - y, 0.0, y - hi)
    inside_box = margin <= x <= 1 - margin and margin <= y <= 1 - margin
    return inside_box and dx * dx + dy * dy <= radius * radius


def _in_triangle(x: float, y: float, a, b, c) -> bool:
    def side(p, q):
        return (x - q[0]) * (p[1] - q[1]) - (p[0] - q[0]) * (y - q[1])
    d1, d2, d3 = side(a, b), side(b, c), side(c, a)
    negative = d1 < 0 or d2 < 0 or d3 < 0
    positive = d1 > 0 or d2 > 0 or d3 > 0
    return not (negative and positive)


def _colour(x: float, y: float, scale: float, full_bleed: bool):
    """The colour at (x, y) in the unit square, or None for transparent."""
    if not full_bleed and not _in_rounded_square(x, y, 0.02, 0.2):
        return None
    # the drawing, centred, shrunk by `scale` (maskable icons keep to the safe zone)
    u, v = 0.5 + (x - 0.5) / scale, 0.5 + (y - 0.5) / scale
    cx, cy, rx, ry = 0.5, 0.45, 0.33, 0.26
    in_bubble = ((u - cx) / rx) ** 2 + ((v - cy) / ry) ** 2 <= 1
    in_tail = _in_triangle(u, v, (0.30, 0.60), (0.46, 0.66), (0.24, 0.84))
    if in_bubble or in_tail:
        for dot_x in (0.36, 0.5, 0.64):
            if (u - dot_x) ** 2 + (v - cy) ** 2 <= 0.045 ** 2:
                return YELLOW if dot_x == 0.5 else GREEN
        return WHITE
    return GREEN


def draw(size: int, full_bleed: bool) -> bytes:
    scale = 0.78 if full_bleed else 1.0
    rows = []
    for py in range(size):
        row = bytearray([0])  # PNG filter type 0 for this scanline
        for px in range(size):
            r = g = b = a = 0
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    colour = _colour((px + (sx + 0.5) / SAMPLES) / size,
                                     (py + (sy + 0.5) / SAMPLES) / size, scale, full_bleed)
                    if colour is not None:
                        r, g, b, a = r + colour[0], g + colour[1], b + colour[2], a + 1
            if a:
                row += bytes((r // a, g // a, b // a, 255 * a // SAMPLES ** 2))
            else:
                row += b"\0\0\0\0"
        rows.append(bytes(row))
    return png(size, size, b"".join(rows))


def png(width: int, height: int, raw_rgba_rows: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw_rgba_rows, 9)) + chunk(b"IEND", b""))


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, size, full_bleed in (("icon-192.png", 192, False), ("icon-512.png", 512, False),
                                   ("icon-maskable-512.png", 512, True)):
        (OUT / name).write_bytes(draw(size, full_bleed))
        print(OUT / name)


if __name__ == "__main__":
    main()
