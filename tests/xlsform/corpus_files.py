"""Small real files that corpus forms reference: PNG images, WAV audio prompts, CSV lists.
Everything is generated here (no binary blobs in the repository's tests)."""

from __future__ import annotations

import csv
import io
import math
import struct
import wave
import zlib

# Moquegua's provinces and districts (INEI ubigeo), for cascades and village lists
PROVINCES = [("1801", "Mariscal Nieto"), ("1802", "General Sánchez Cerro"), ("1803", "Ilo")]
DISTRICTS = [
    ("180101", "Moquegua", "1801"), ("180102", "Carumas", "1801"),
    ("180103", "Cuchumbaya", "1801"), ("180104", "Samegua", "1801"),
    ("180105", "San Cristóbal", "1801"), ("180106", "Torata", "1801"),
    ("180201", "Omate", "1802"), ("180202", "Chojata", "1802"), ("180203", "Coalaque", "1802"),
    ("180204", "Ichuña", "1802"), ("180205", "La Capilla", "1802"), ("180206", "Lloque", "1802"),
    ("180207", "Matalaque", "1802"), ("180208", "Puquina", "1802"),
    ("180209", "Quinistaquillas", "1802"), ("180210", "Ubinas", "1802"),
    ("180211", "Yunga", "1802"),
    ("180301", "Ilo", "1803"), ("180302", "El Algarrobal", "1803"), ("180303", "Pacocha", "1803"),
]
_VILLAGE_WORDS = ["Pampa", "Qucha", "Urqu", "Mayu", "Rumi", "Chaka", "Wasi", "Puquio",
                  "Kancha", "Llaqta", "Sonqo", "Inti"]


def png(rgb: tuple[int, int, int] = (30, 120, 90), size: int = 8) -> bytes:
    """A valid size×size PNG of one colour."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + bytes(rgb) * size for _ in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def wav(pitch: float = 440.0, seconds: float = 0.4) -> bytes:
    """A valid mono 8 kHz WAV: a short tone standing in for a recorded prompt."""
    rate = 8000
    frames = bytes(int(128 + 60 * math.sin(2 * math.pi * pitch * i / rate))
                   for i in range(int(rate * seconds)))
    out = io.BytesIO()
    with wave.open(out, "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(1)
        sound.setframerate(rate)
        sound.writeframes(frames)
    return out.getvalue()


def csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def village_rows(count: int) -> list[list[str]]:
    """`count` villages spread over Moquegua's districts: name, label::es, label::qu,
    district (ubigeo), province. Names are unique (`v00001` …)."""
    rows = []
    for i in range(count):
        ubigeo, _district, province = DISTRICTS[i % len(DISTRICTS)]
        word = _VILLAGE_WORDS[i % len(_VILLAGE_WORDS)]
        second = _VILLAGE_WORDS[(i // len(_VILLAGE_WORDS)) % len(_VILLAGE_WORDS)]
        label = f"{word} {second} {i + 1}"
        rows.append([f"v{i + 1:05d}", label, f"{label} llaqta", ubigeo, province])
    return rows


def villages_csv(count: int = 240) -> bytes:
    """A select_one_from_file list (benchmarks may ask for 50,000 rows)."""
    return csv_bytes(["name", "label::Español (es)", "label::Quechua (qu)", "district",
                      "province"], village_rows(count))
