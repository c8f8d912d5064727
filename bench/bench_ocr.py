"""OCR on Luna's worksheet fixtures: seconds per page and the share of the worksheet's words
recovered, for Luna's pipeline (Tesseract, prepared pictures) and, where it is installed, RapidOCR
on the same pictures (the engine comparison behind the choice of Tesseract).

    .venv/bin/python bench/bench_ocr.py [--repeat 3]

Fixtures (tests/ocr_fixtures.py): the worksheet as a clean 150-dpi scan, a phone photo (turned
4 degrees, noise, blur, stored sideways with an EXIF tag), the same photo turned 8 degrees, an
image-only PDF, and a PDF with a text page and a scanned one. Prints one JSON line per case.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from luna_core.documents.extract import extract, ocr  # noqa: E402
from tests import ocr_fixtures as fx  # noqa: E402


def cases() -> dict[str, tuple[bytes, str]]:
    return {"clean scan (PNG)": (fx.png(), "scan.png"), "phone photo (JPEG, 4 degrees)": (fx.photo(), "photo.jpg"),
            "phone photo (JPEG, 8 degrees)": (fx.photo(degrees=8.0), "photo.jpg"),
            "image-only PDF (1 page)": (fx.image_pdf(), "scan.pdf"),
            "mixed PDF (text page + scanned page)": (fx.mixed_pdf(), "mixed.pdf")}


def rapidocr_reader():
    try:
        import numpy as np
        from rapidocr_onnxruntime import RapidOCR
    except ImportError:
        return None
    engine = RapidOCR()

    def read(data: bytes, name: str) -> str:
        if name.endswith(".pdf"):
            pictures = list(ocr.render_pdf_pages(data, [0] if "scan" in name else [1]))
        else:
            pictures = [ocr.open_picture(data)]
        result = [engine(np.array(p.convert("RGB")))[0] or [] for p in pictures]
        return " ".join(line[1] for lines in result for line in lines)

    return read


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(json.dumps({"tesseract": ocr.engine(), "cores": os.cpu_count()}))
    rapid = rapidocr_reader()
    for label, (data, name) in cases().items():
        seconds, text = [], ""
        for _ in range(args.repeat):
            started = time.perf_counter()
            document = extract(data, name)
            seconds.append(time.perf_counter() - started)
            text = document.text
        ocr_pages = sum(1 for p in document.pages if p.ocr_confidence is not None)
        row = {"case": label, "engine": "tesseract", "ocr_pages": ocr_pages,
               "seconds_per_ocr_page": round(statistics.median(seconds) / max(ocr_pages, 1), 2),
               "words_recovered": round(fx.recovered(text), 3),
               "confidence": min(p.ocr_confidence for p in document.pages if p.ocr_confidence is not None)}
        print(json.dumps(row))
        if rapid:
            started = time.perf_counter()
            text = rapid(data, name)
            print(json.dumps({"case": label, "engine": "rapidocr", "seconds_per_ocr_page":
                              round(time.perf_counter() - started, 2), "words_recovered": round(fx.recovered(text), 3)}))


if __name__ == "__main__":
    main()
