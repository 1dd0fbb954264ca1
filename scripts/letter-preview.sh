#!/usr/bin/env bash
# Pictures of the follow-up letter for docs/, as LibreOffice prints it (needs soffice and pdftoppm:
# `apt-get install libreoffice-writer-nogui poppler-utils`). On the shipped plan with nothing reported:
# - docs/cong-van-trang-1.png: page 1 of the letter of 13/01/2025, when all 24 units are late;
# - docs/cong-van-mot-trang.png: the letter of 22/01/2025 for the monthly report, 5 phòng late, one page.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export NHACVIEC_DATABASE_URL="sqlite:///$tmp/preview.db"
export NHACVIEC_PLAN="${NHACVIEC_PLAN:-storage/plans/my-hao-2025.toml}"  # the shipped example
.venv/bin/nhacviec report --format docx --at 2025-01-13 -o "$tmp/cong-van-trang-1.docx" >/dev/null
.venv/bin/nhacviec report --format docx --at 2025-01-22 --duty bao-cao-thang-cam-ket \
    -o "$tmp/cong-van-mot-trang.docx" >/dev/null
for name in cong-van-trang-1 cong-van-mot-trang; do
    soffice "-env:UserInstallation=file://$tmp/profile" --headless --convert-to pdf --outdir "$tmp" \
        "$tmp/$name.docx" >/dev/null 2>&1
    pdftoppm -png -r 80 -singlefile -f 1 -l 1 "$tmp/$name.pdf" "docs/$name"
    echo "wrote docs/$name.png"
done
