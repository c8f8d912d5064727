"""OCR fixtures made at test time from a worksheet written for Luna: the same page as a clean scan
(PNG), a phone photo (JPEG: rotated a few degrees, noisy, blurred, stored sideways with an EXIF
orientation tag), an image-only PDF, and a PDF mixing a real text page with a scanned one.

Everything is drawn with Pillow's own bundled font, so the fixtures need no system fonts and are
the same on every machine. ``WORDS`` are the words a reader should recover."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw, ImageFilter, ImageFont

WORKSHEET = [
    "Thought Record Worksheet",
    "",
    "Situation: I was waiting for a reply to my message",
    "and nobody answered for the whole afternoon.",
    "",
    "Automatic thought: They must be angry with me.",
    "Emotion: anxious, sad. How strong: seven out of ten.",
    "",
    "Evidence for the thought: they usually reply quickly.",
    "Evidence against: they told me they were busy today.",
    "",
    "Balanced thought: A late reply does not mean anger.",
    "Emotion now: calmer, four out of ten.",
    "",
    "Next step: take three slow breaths and go for a walk.",
]
TEXT = "\n".join(WORKSHEET)
WORDS = sorted({w.strip(".,:").lower() for w in TEXT.split() if len(w.strip(".,:")) > 2})
TEXT_PAGE = "This page has a real text layer: grounding with five things you can see."


def page_image(lines: list[str] = WORKSHEET, size: int = 30, dpi_width: int = 1240) -> Image.Image:
    """The worksheet as a white A4-ish page at about 150 dpi."""
    font = ImageFont.load_default(size=size)
    image = Image.new("L", (dpi_width, int(dpi_width * 1.414)), 255)
    draw = ImageDraw.Draw(image)
    y = 120
    for line in lines:
        draw.text((110, y), line, fill=0, font=font)
        y += int(size * 1.6)
    return image


def png(image: Image.Image | None = None) -> bytes:
    out = io.BytesIO()
    (image or page_image()).save(out, "PNG")
    return out.getvalue()


def photo(seed: int = 7, degrees: float = 4.0) -> bytes:
    """A phone photo of the page: slightly rotated, grey paper, noise, blur, JPEG, and stored
    rotated by 90 degrees with EXIF orientation 6 ("rotate 90 clockwise to show")."""
    rng = random.Random(seed)
    page = page_image().convert("RGB")
    page = page.rotate(degrees, expand=True, fillcolor=(200, 200, 195), resample=Image.BICUBIC)
    noisy = Image.effect_noise(page.size, 24).convert("RGB")
    page = Image.blend(page, noisy, 0.12).filter(ImageFilter.GaussianBlur(0.8))
    shade = Image.new("RGB", page.size, (235, 228, 215))
    page = Image.blend(page, shade, 0.15 + rng.random() * 0.05)
    stored = page.transpose(Image.Transpose.ROTATE_90)  # what the sensor wrote: sideways
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: the viewer rotates 90 degrees clockwise
    out = io.BytesIO()
    stored.save(out, "JPEG", quality=80, exif=exif.tobytes())
    return out.getvalue()


def image_pdf(images: list[Image.Image] | None = None) -> bytes:
    """An image-only PDF: each page one raster image, no text layer."""
    images = [i.convert("RGB") for i in (images or [page_image()])]
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=150, save_all=True, append_images=images[1:])
    return out.getvalue()


def text_pdf_page(text: str = TEXT_PAGE) -> bytes:
    """A one-page PDF with a real text layer (``fixture_docs.write_text_pdf``)."""
    import tempfile
    from pathlib import Path

    from tests.fixture_docs import write_text_pdf

    with tempfile.TemporaryDirectory() as folder:
        return write_text_pdf(Path(folder) / "page.pdf", [[text]]).read_bytes()


def mixed_pdf() -> bytes:
    """Page 1 a real text page, page 2 the scanned worksheet."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for data in (text_pdf_page(), image_pdf()):
        for page in PdfReader(io.BytesIO(data)).pages:
            writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def recovered(text: str) -> float:
    """The share of ``WORDS`` found in ``text``."""
    found = {w.strip(".,:;").lower() for w in text.split()}
    return sum(w in found for w in WORDS) / len(WORDS)
