"""The letter as LibreOffice prints it: one A4 page whose text reads as the office wrote it.

Skipped only where LibreOffice is not installed (`apt-get install libreoffice-writer-nogui`).
`scripts/letter-preview.sh` makes the picture of page 1 in docs/ the same way.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.unit.test_letter import MANY, letter

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")


@pytest.mark.timeout(180)  # LibreOffice's first start makes its profile
def test_libreoffice_prints_the_letter_on_one_a4_page(tmp_path: Path) -> None:
    assert SOFFICE is not None
    source = tmp_path / "cong-van.docx"
    source.write_bytes(letter(MANY))
    profile = (tmp_path / "profile").as_uri()  # its own: a running LibreOffice would lock the default one
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=170,
    )
    pdf = (tmp_path / "cong-van.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    boxes = {tuple(round(float(n)) for n in box.split()) for box in re.findall(rb"/MediaBox\s*\[([\d.\s]+)\]", pdf)}
    assert boxes == {(0, 0, 595, 842)}  # A4 portrait, in points
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1  # the signature is on the page it closes
    fonts = set(re.findall(rb"/BaseFont\s*/[A-Z]{6}\+([\w-]+)", pdf))
    assert fonts, pdf[:200]
    # Times New Roman, or the metric twin LibreOffice puts in its place where it is not installed
    assert all(re.match(rb"(TimesNewRoman|LiberationSerif)", font) for font in fonts), fonts
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", str(tmp_path / "cong-van.pdf"), "-"], capture_output=True, text=True, check=True
        ).stdout
        for line in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Kính gửi:", "Nơi nhận:", "PHÓ CHÁNH VĂN PHÒNG"):
            assert line in text
