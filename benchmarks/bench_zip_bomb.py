"""Benchmark: how fast a zip bomb is refused, the timing tests/io/test_hostile_inputs.py used to assert.

Three hostile archives, each refused by the EPUB and the DOCX reader:

1. a bomb declaring 300 MB in its headers (~1.3 MB on disk): refused from the headers, before any
   entry is opened (the unit test checks that nothing is opened; this measures how long it takes);
2. a 20 MB entry of zeros compressed ~1000-fold: refused by its compression ratio, from the headers;
3. the same entry with headers lying that it is 1 MB: refused while reading, as damaged, once the
   declared 1 MB has been decompressed and its checksum does not match.

Each figure is the median, p95 and max over ``--repeat`` refusals, in milliseconds. Run:

    python benchmarks/bench_zip_bomb.py [--repeat 50]
"""

from __future__ import annotations

import argparse
import io
import statistics
import struct
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.io.ao3_epub import read_ao3_epub
from annotator.io.docx import read_docx
from annotator.io.errors import DocumentImportError
from tests.io.builders import CONTAINER_XML, opf

Reader = Callable[[bytes, str], object]
BOMB_ENTRY = "OEBPS/bomb.xhtml"


def bomb(size_mb: int, level: int, zip64: bool = True) -> bytes:
    """A valid EPUB skeleton plus one entry of ``size_mb`` MB of zeros, written streaming."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        archive.writestr("mimetype", "application/epub+zip")
        archive.writestr("META-INF/container.xml", CONTAINER_XML)
        archive.writestr("OEBPS/content.opf", opf([("a", "bomb.xhtml")], ["a"]))
        with archive.open(BOMB_ENTRY, "w", force_zip64=zip64) as entry:
            chunk = bytes(1 << 20)
            for _ in range(size_mb):
                entry.write(chunk)
    return buffer.getvalue()


def lying(data: bytes, name: str, size: int) -> bytes:
    """``data`` with the local and central headers of ``name`` declaring ``size`` bytes."""
    patched = bytearray(data)
    encoded = name.encode()
    for signature, field_offset, name_offset in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        position = patched.find(signature)
        while position >= 0:
            if patched[position + name_offset : position + name_offset + len(encoded)] == encoded:
                struct.pack_into("<I", patched, position + field_offset, size)
            position = patched.find(signature, position + 4)
    return bytes(patched)


def refusals(reader: Reader, data: bytes, times: int) -> tuple[list[float], str]:
    """Seconds per refusal, and the message of the last one."""
    samples: list[float] = []
    message = ""
    for _ in range(times):
        began = time.perf_counter()
        try:
            reader(data, "bomb")
        except DocumentImportError as refused:
            samples.append(time.perf_counter() - began)
            message = str(refused)
        else:
            raise SystemExit(f"{reader.__name__} accepted a bomb")
    return samples, message


def spread(samples: list[float]) -> str:
    milli = [s * 1000 for s in samples]
    p95 = statistics.quantiles(milli, n=20, method="inclusive")[18] if len(milli) >= 2 else milli[0]
    return f"median {statistics.median(milli):7.2f} ms, p95 {p95:7.2f} ms, max {max(milli):7.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()

    began = time.perf_counter()
    big = bomb(300, level=1)
    ratio = bomb(20, level=9)
    # 1 MB is as large as an entry may be without the ratio check: the header passes every check.
    liar = lying(bomb(20, level=9, zip64=False), BOMB_ENTRY, 1 << 20)
    print(f"built the bombs in {time.perf_counter() - began:.1f} s: {len(big):,}, {len(ratio):,} bytes")
    both: tuple[Reader, ...] = (read_ao3_epub, read_docx)
    cases = [
        ("300 MB declared (headers)", big, both, "  [target ≤ 500 ms]"),
        ("1000-fold ratio (headers)", ratio, both, ""),
        # The DOCX reader stops before reading (no word/document.xml): only the EPUB one reads.
        ("header lies: 1 MB (reading)", liar, (read_ao3_epub,), ""),
    ]
    for label, data, readers, target in cases:
        for reader in readers:
            samples, message = refusals(reader, data, args.repeat)
            print(f"{label:28} {reader.__name__:13} {spread(samples)}{target}")
            print(f"{'':42} {message}")


if __name__ == "__main__":
    main()
