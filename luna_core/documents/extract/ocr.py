"""Reading text from pictures: scanned PDF pages, scans and phone photos of handouts (OCR).

The engine is Tesseract (Debian's ``tesseract-ocr`` with English), driven through ``pytesseract``;
it was measured against RapidOCR on Luna's fixtures (bench/README.md): Tesseract recovered every
word of the worksheet, the photo and the scanned PDF, faster, from a much smaller install, while
RapidOCR ran words together ("ThoughtRecordWorksheet"). It is found at run time: without it, a
file that needs OCR ends with ``OcrUnavailableError`` saying how to install it.

A picture is prepared before it is read: its EXIF orientation is applied (phone photos are often
stored sideways), it is scaled to at most ``MAX_SIDE`` pixels, made grey, and straightened when it
is skewed by up to ``MAX_SKEW`` degrees (the angle whose rows of ink are sharpest). Each page has a
time limit; a page read with a mean word confidence under ``MIN_CONFIDENCE`` is not used (noise in
the index helps nobody) and is reported instead.
"""

from __future__ import annotations

import functools
import io
import re
import shutil
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageOps

from luna_core.errors import DamagedFileError, ExtractionTimeoutError, OcrUnavailableError

MAX_PIXELS = 60_000_000  # a 60-megapixel photo is the largest picture Luna opens
MAX_SIDE = 3500  # longer pictures are scaled down first (plenty for print at ~300 dpi)
MAX_SKEW = 6.0
MIN_CONFIDENCE = 0.55
MIN_WORD_CONFIDENCE = 0.3  # a word read with less is left out of the text (it still counts in the mean)
MIN_WORDS = 3
PAGE_TIMEOUT = 30.0
MAX_PAGES = 100  # scanned pages read from one PDF: bounds the time one upload can take (100 x PAGE_TIMEOUT)
RENDER_DPI = 200
LANGUAGE = "eng"
_LONE_BAR = re.compile(r"(?<!\S)\|(?!\S)")  # Tesseract's most common slip: the word "I" read as "|"
INSTALL = ("Luna reads scans and photos with Tesseract, which is not installed on this computer. Install it "
           "(Debian or Ubuntu: 'sudo apt-get install tesseract-ocr tesseract-ocr-eng'; macOS: 'brew install "
           "tesseract'), restart Luna and upload the file again. 'make run' installs it where it can.")
NO_ENGLISH = ("Luna reads scans and photos with Tesseract, which is installed here without its English data. Install "
              "it (Debian or Ubuntu: 'sudo apt-get install tesseract-ocr-eng'), restart Luna and upload the file again.")
UNREADABLE = "Text recognition could not open this picture: it may be damaged. Save or export it again and upload that."
UNRENDERABLE = ("Luna could not draw the scanned pages of this PDF to read them: the file is damaged. If it opens on "
                "your computer, print or export it to a new PDF and upload that.")


@dataclass(frozen=True)
class OcrPage:
    text: str
    confidence: float  # mean word confidence, 0-1
    words: int

    @property
    def reliable(self) -> bool:
        return self.words >= MIN_WORDS and self.confidence >= MIN_CONFIDENCE


@functools.cache
def engine() -> str | None:
    """Tesseract's version when it can run here, else None; asked once a process (it starts
    ``tesseract --version``), not for every page."""
    if shutil.which("tesseract") is None:
        return None
    try:
        import pytesseract

        return str(pytesseract.get_tesseract_version())
    except Exception:  # noqa: BLE001 - a broken install is the same as none
        return None


def warm_up() -> None:
    """What the first scanned page would otherwise spend of its file's time limit: the engine check
    (a ``tesseract --version`` run, which imports pytesseract) and the import of pypdfium2. Workers
    call it at start."""
    if engine() is not None:
        import pypdfium2  # noqa: F401


def require_engine() -> None:
    if engine() is None:
        raise OcrUnavailableError(INSTALL)


def open_picture(data: bytes) -> Image.Image:
    """A PNG or JPEG upload as an upright picture, refused when damaged or too large."""
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)  # refused below, not just warned
            image = Image.open(io.BytesIO(data))
        image.load()
        return ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise DamagedFileError(f"This picture is too large for Luna to open (more than {MAX_PIXELS // 1_000_000} "
                               "megapixels). Scale it down and upload it again.") from error
    except (OSError, ValueError, SyntaxError) as error:
        raise DamagedFileError("This picture is damaged or incomplete, so Luna cannot read it. Take or export it "
                               "again and upload the new file.") from error


def prepare(image: Image.Image) -> Image.Image:
    """On white (a transparent background is paper), grey, at most ``MAX_SIDE`` pixels long, and straightened."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        backdrop = Image.new("RGBA", image.size, (255, 255, 255, 255))  # transparent is paper, not ink
        image = Image.alpha_composite(backdrop, image.convert("RGBA"))
    grey = image.convert("L")
    if max(grey.size) > MAX_SIDE:
        grey.thumbnail((MAX_SIDE, MAX_SIDE), Image.LANCZOS)
    angle = skew_angle(grey)
    if abs(angle) >= 0.3:
        grey = grey.rotate(angle, expand=True, fillcolor=255, resample=Image.BICUBIC)
    return grey


def skew_angle(grey: Image.Image, limit: float = MAX_SKEW, step: float = 0.25) -> float:
    """The rotation (degrees, counter-clockwise) that makes the text lines level: the angle whose
    row profile of dark pixels varies most (lines of ink between clean gaps)."""
    small = grey.copy()
    small.thumbnail((900, 900))
    ink = np.asarray(small, dtype=np.float32) < 128
    if ink.mean() < 0.002:  # a blank page
        return 0.0
    picture = Image.fromarray((ink * 255).astype(np.uint8))
    best, best_score = 0.0, -1.0
    for angle in np.arange(-limit, limit + step / 2, step):
        rows = np.asarray(picture.rotate(float(angle), resample=Image.NEAREST), dtype=np.float32).sum(axis=1)
        score = float(np.var(np.diff(rows)))
        if score > best_score:
            best, best_score = float(angle), score
    return best


def read_picture(image: Image.Image, timeout: float = PAGE_TIMEOUT) -> OcrPage:
    """The text Tesseract reads in ``image`` (prepared first), with its mean word confidence."""
    import pytesseract

    require_engine()
    try:
        data = pytesseract.image_to_data(prepare(image), lang=LANGUAGE, config="--psm 3", timeout=timeout,
                                         output_type=pytesseract.Output.DICT)
    except pytesseract.TesseractError as error:  # tesseract ran and failed: no English data, or a picture it cannot open
        if "language" in str(error).lower() or "traineddata" in str(error).lower():
            raise OcrUnavailableError(NO_ENGLISH) from error
        raise DamagedFileError(UNREADABLE) from error
    except RuntimeError as error:  # pytesseract's message when it killed tesseract at the time limit
        if "timeout" in str(error).lower():
            raise ExtractionTimeoutError(f"Reading one page took longer than {timeout:g} seconds") from error
        raise
    lines: dict[tuple[int, int, int], list[str]] = {}
    confidences = []
    for word, confidence, block, paragraph, line in zip(data["text"], data["conf"], data["block_num"],
                                                          data["par_num"], data["line_num"]):
        if word.strip() and float(confidence) >= 0:
            confidences.append(float(confidence) / 100)
            if float(confidence) / 100 >= MIN_WORD_CONFIDENCE:  # specks and page edges read as "(eRe"
                lines.setdefault((block, paragraph, line), []).append(word.strip())
    text, previous = [], None
    for (block, paragraph, _), words in lines.items():
        if previous is not None and previous != (block, paragraph):
            text.append("")  # a blank line between paragraphs, as the chunker expects
        text.append(" ".join(words))
        previous = (block, paragraph)
    return OcrPage(_LONE_BAR.sub("I", "\n".join(text)), sum(confidences) / len(confidences) if confidences else 0.0, len(confidences))


def render_pdf_pages(data: bytes, indices: list[int], dpi: int = RENDER_DPI) -> Iterator[Image.Image]:
    """Pages ``indices`` (0-based) of a PDF as pictures, one at a time, with pypdfium2: the file is
    parsed once for all of them."""
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        raise DamagedFileError(UNRENDERABLE) from error
    try:
        for index in indices:
            try:
                page = document[index]
                width, height = page.get_size()
                scale = min(dpi / 72, MAX_SIDE / max(width, height, 1))  # a poster-sized page is not rendered huge
                picture = page.render(scale=scale).to_pil()
                page.close()
            except pypdfium2.PdfiumError as error:
                raise DamagedFileError(UNRENDERABLE) from error
            yield picture
    finally:
        document.close()