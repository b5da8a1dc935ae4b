"""Scans of the generated reports: PDF pages rendered to grey images (pypdfium2) with mild,
seeded scanner damage — a slight rotation, noise, blur — packed back as image-only PDFs,
PNGs or a multi-page TIFF.  The same arguments give the same bytes.
"""
from __future__ import annotations

import io
from dataclasses import dataclass


@dataclass(frozen=True)
class Damage:
    degrees: float = 0.0      # rotation, counter-clockwise
    noise: float = 0.0        # standard deviation of Gaussian noise, in grey levels
    blur: float = 0.0         # Gaussian blur sigma, in pixels
    seed: int = 13


def pages(pdf: bytes, dpi: float, damage: Damage = Damage()) -> list:
    """The PDF's pages as damaged grey images (numpy uint8)."""
    import numpy as np
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(pdf)
    out = []
    for i in range(len(doc)):
        image = np.array(doc[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L"))
        out.append(damaged(image, damage, i))
    doc.close()
    return out


def damaged(image, damage: Damage, k: int = 0):
    """One page image with the damage applied (noise seeded by the page index)."""
    import cv2
    import numpy as np
    if damage.degrees:
        h, w = image.shape
        m = cv2.getRotationMatrix2D((w / 2, h / 2), damage.degrees, 1.0)
        image = cv2.warpAffine(image, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)
    if damage.blur:
        image = cv2.GaussianBlur(image, (0, 0), damage.blur)
    if damage.noise:
        rng = np.random.default_rng(damage.seed + k)
        image = np.clip(image + rng.normal(0, damage.noise, image.shape), 0, 255).astype(np.uint8)
    return image


def png(image, dpi: float) -> bytes:
    from PIL import Image
    buf = io.BytesIO()
    Image.fromarray(image).save(buf, format="PNG", dpi=(dpi, dpi))
    return buf.getvalue()


def tiff(images: list, dpi: float) -> bytes:
    """A multi-page TIFF of the images."""
    from PIL import Image
    frames = [Image.fromarray(im) for im in images]
    buf = io.BytesIO()
    frames[0].save(buf, format="TIFF", dpi=(dpi, dpi), save_all=True, append_images=frames[1:],
                   compression="tiff_deflate")
    return buf.getvalue()


def image_pdf(images: list, dpi: float) -> bytes:
    """An image-only PDF: one page per image, the image filling the page at ``dpi``."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas
    buf = io.BytesIO()
    c = Canvas(buf, invariant=1)
    for im in images:
        w, h = im.shape[1] * 72 / dpi, im.shape[0] * 72 / dpi
        c.setPageSize((w, h))
        c.drawImage(ImageReader(Image.fromarray(im)), 0, 0, width=w, height=h)
        c.showPage()
    c.save()
    return buf.getvalue()


def mixed_pdf(text_pdf: bytes, scan_pdf: bytes, scanned: set[int]) -> bytes:
    """The text PDF with the (0-based) pages in ``scanned`` taken from the scan instead."""
    import pypdfium2 as pdfium
    text, scan = pdfium.PdfDocument(text_pdf), pdfium.PdfDocument(scan_pdf)
    out = pdfium.PdfDocument.new()
    for i in range(len(text)):
        out.import_pages(scan if i in scanned else text, [i])
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue()


def renders_cjk() -> bool:
    """Can pdfium draw the generated PDFs' Chinese text (is a CJK font installed)?"""
    from tests.corpus.document import Block, Report
    from tests.corpus.pdfgen import render_pdf
    drawn = [pages(render_pdf(Report("甲", 2023, "2021", {}, [Block("title", text)])), 36)[0]
             for text in ("国国国国", "团结一心")]
    # Without a CJK font PDFium draws the same box for every character: the two titles look alike.
    return int(drawn[0].min()) < 128 and drawn[0].tobytes() != drawn[1].tobytes()
