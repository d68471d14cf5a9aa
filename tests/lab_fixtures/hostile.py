"""Files a lab importer must refuse cleanly: scanned, encrypted, not a PDF, truncated."""

from __future__ import annotations

import io
import zlib

from pypdf import PdfReader, PdfWriter

from .layouts_uk import en_hospital
from .layouts_us import us_quest

# A 5x7 bitmap font, just enough to "print" a scanned page without any imaging library.
GLYPHS = {
    "A": "01110 10001 10001 11111 10001 10001 10001",
    "B": "11110 10001 11110 10001 10001 10001 11110",
    "C": "01111 10000 10000 10000 10000 10000 01111",
    "D": "11110 10001 10001 10001 10001 10001 11110",
    "E": "11111 10000 11110 10000 10000 10000 11111",
    "F": "11111 10000 11110 10000 10000 10000 10000",
    "G": "01111 10000 10000 10011 10001 10001 01111",
    "H": "10001 10001 11111 10001 10001 10001 10001",
    "I": "01110 00100 00100 00100 00100 00100 01110",
    "J": "00111 00010 00010 00010 00010 10010 01100",
    "K": "10001 10010 11100 10100 10010 10001 10001",
    "L": "10000 10000 10000 10000 10000 10000 11111",
    "M": "10001 11011 10101 10001 10001 10001 10001",
    "N": "10001 11001 10101 10011 10001 10001 10001",
    "O": "01110 10001 10001 10001 10001 10001 01110",
    "P": "11110 10001 10001 11110 10000 10000 10000",
    "Q": "01110 10001 10001 10001 10101 10010 01101",
    "R": "11110 10001 10001 11110 10100 10010 10001",
    "S": "01111 10000 01110 00001 00001 00001 11110",
    "T": "11111 00100 00100 00100 00100 00100 00100",
    "U": "10001 10001 10001 10001 10001 10001 01110",
    "V": "10001 10001 10001 10001 01010 01010 00100",
    "W": "10001 10001 10001 10101 10101 11011 10001",
    "X": "10001 01010 00100 00100 00100 01010 10001",
    "Y": "10001 01010 00100 00100 00100 00100 00100",
    "Z": "11111 00010 00100 01000 10000 10000 11111",
    "0": "01110 10011 10101 10101 11001 10001 01110",
    "1": "00100 01100 00100 00100 00100 00100 01110",
    "2": "01110 10001 00001 00110 01000 10000 11111",
    "3": "11110 00001 00001 01110 00001 00001 11110",
    "4": "00010 00110 01010 10010 11111 00010 00010",
    "5": "11111 10000 11110 00001 00001 10001 01110",
    "6": "00110 01000 10000 11110 10001 10001 01110",
    "7": "11111 00001 00010 00100 01000 01000 01000",
    "8": "01110 10001 10001 01110 10001 10001 01110",
    "9": "01110 10001 10001 01111 00001 00010 01100",
    ".": "00000 00000 00000 00000 00000 01100 01100",
    "-": "00000 00000 00000 11111 00000 00000 00000",
    "/": "00001 00010 00010 00100 01000 01000 10000",
    ":": "00000 01100 01100 00000 01100 01100 00000",
    " ": "00000 00000 00000 00000 00000 00000 00000",
}

SCANNED_LINES = [
    "SYNTHETIC CLINIC LABORATORY",
    "PATIENT: TEST PATIENT S   DOB: 01/02/1970",
    "COLLECTED: 09/18/2026",
    "",
    "TEST            RESULT  UNITS   RANGE",
    "GLUCOSE         92      MG/DL   65-99",
    "SODIUM          141     MMOL/L  135-146",
    "POTASSIUM       5.4 H   MMOL/L  3.5-5.3",
    "CREATININE      0.84    MG/DL   0.50-1.05",
    "HEMOGLOBIN      13.9    G/DL    13.0-17.7",
]


def _raster(lines: list[str], scale: int = 3) -> tuple[int, int, bytes]:
    """Render text lines into an 8-bit grey raster (white paper, black ink)."""
    cw, lh, margin = 6 * scale, 11 * scale, 20 * scale
    width = margin * 2 + cw * max(len(t) for t in lines)
    height = margin * 2 + lh * len(lines)
    pixels = bytearray(b"\xff" * (width * height))
    for row, text in enumerate(lines):
        for col, ch in enumerate(text):
            bits = GLYPHS.get(ch.upper(), GLYPHS[" "]).split()
            for gy, pattern in enumerate(bits):
                for gx, bit in enumerate(pattern):
                    if bit != "1":
                        continue
                    x0 = margin + col * cw + gx * scale
                    y0 = margin + row * lh + gy * scale
                    for dy in range(scale):
                        start = (y0 + dy) * width + x0
                        pixels[start:start + scale] = b"\x00" * scale
    return width, height, bytes(pixels)


def _pdf(objects: list[bytes]) -> bytes:
    """Assemble numbered objects (1-based, in order) into a PDF with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    trailer = f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    out += trailer.encode()
    return bytes(out)


def scanned_pdf() -> bytes:
    """One A4 page holding only a picture of a lab report: no text layer at all."""
    w, h, pixels = _raster(SCANNED_LINES)
    data = zlib.compress(pixels, 9)
    draw_w = 515.0
    draw_h = draw_w * h / w
    content = f"q {draw_w:.2f} 0 0 {draw_h:.2f} 40 {800 - draw_h:.2f} cm /Im0 Do Q".encode()
    image = (
        f"<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /DeviceGray "
        f"/BitsPerComponent 8 /Filter /FlateDecode /Length {len(data)} >>\nstream\n".encode()
        + data
        + b"\nendstream"
    )
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /XObject << /Im0 5 0 R >> >> /Contents 4 0 R >>",
        f"<< /Length {len(content)} >>\nstream\n".encode() + content + b"\nendstream",
        image,
    ])


def encrypted_pdf(password: str) -> bytes:
    """The us_quest layout encrypted with AES-256; opening it needs `password`."""
    pdf, _ = us_quest()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password=password, owner_password=None, algorithm="AES-256")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def not_a_pdf() -> bytes:
    """A CSV export someone renamed to .pdf."""
    return (
        b"patient,test,value,unit\n"
        b"Test Patient N,Glucose,5.4,mmol/L\n"
        b"Test Patient N,Sodium,141,mmol/L\n"
    )


def truncated_pdf() -> bytes:
    """The three-page en_hospital layout cut in half (a download that stopped midway)."""
    pdf, _ = en_hospital()
    return pdf[: len(pdf) // 2]
