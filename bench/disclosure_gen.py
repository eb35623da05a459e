#!/usr/bin/env python3
"""Fictional material for bench/disclosure_bench.sh: witnesses, each with transcripts (texts that
name them and give their phone and e-mail, for text redaction), PDFs (a page of text and a photo,
made with reportlab), photos (JPEG) and scans (PNG). Videos are made by the shell script with
ffmpeg. Every person and every detail is invented.

  disclosure_gen.py OUT_DIR WITNESSES TRANSCRIPTS PDFS JPEGS PNGS SEED

Writes OUT_DIR/files/<W-code>/<name>, OUT_DIR/personal/<W-code>.json (the witness's personal
details, for `evhub witness add --personal-file`) and prints one line per file:
<W-code> TAB <kind> TAB <path>.
"""
import io
import json
import os
import random
import sys

from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

out, witnesses, transcripts, pdfs, jpegs, pngs, seed = sys.argv[1], *map(int, sys.argv[2:])
rng = random.Random(seed)

FIRST = ["Алена", "Зоя", "Ірына", "Тацяна", "Вольга", "Андрэй", "Павел", "Сяргей", "Ігар", "Марына"]
SYLLABLES = ["дзе", "ра", "ўян", "ка", "квін", "тэль", "зыр", "фа", "мо", "ле", "ві", "чан", "ск"]
WORDS = ("нас затрымалі каля станцыі метро потым павезлі ў РУУС там білі дубінкамі па нагах "
         "трымалі ў камеры без вады тры сутак не давалі спаць крычалі пагражалі адвакату не "
         "дазволілі ўвайсці пратакол не паказалі медыцынскую дапамогу не аказалі").split()


def surname():
    s = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
    return s[0].upper() + s[1:]


def noise_image(width, height):
    # Blocks of random colour with random noise: photo-like sizes once compressed.
    return Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))


codes = [f"W-{20000 + n:05d}" for n in range(witnesses)]
for code in codes:
    os.makedirs(f"{out}/files/{code}", exist_ok=True)
os.makedirs(f"{out}/personal", exist_ok=True)
people = {}
for code in codes:
    name = f"{rng.choice(FIRST)} {surname()}"
    phone = f"+375 29 {rng.randint(100, 999)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}"
    mail = f"w{rng.randint(1000, 9999)}@example.org"
    people[code] = (name, phone, mail)
    json.dump({"name": name, "contacts": f"{phone}, {mail}", "date_of_birth": "1987-04-12",
               "address": "", "notes": ""}, open(f"{out}/personal/{code}.json", "w"),
              ensure_ascii=False)


def owner(n):
    return codes[n % len(codes)]


def emit(code, kind, path):
    print(f"{code}\t{kind}\t{path}")


for n in range(transcripts):
    code = owner(n)
    name, phone, mail = people[code]
    parts = [f"Транскрыпт інтэрв'ю {n + 1}. Сведка {name}, тэлефон {phone}, пошта {mail}.\n"]
    size = 0
    while size < rng.randint(18_000, 40_000):
        line = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20)))
        if rng.random() < 0.08:
            line += f". Мяне завуць {name}, мой нумар {phone}"
        parts.append(line + ".\n")
        size += len(line.encode()) + 2
    path = f"{out}/files/{code}/transcript-{n + 1:04d}.txt"
    open(path, "w", encoding="utf-8").write("".join(parts))
    emit(code, "text", path)

for n in range(pdfs):
    code = owner(n + 7)
    path = f"{out}/files/{code}/document-{n + 1:04d}.pdf"
    photo = io.BytesIO()
    noise_image(rng.randint(880, 960), rng.randint(620, 680)).save(photo, "JPEG", quality=88)
    photo.seek(0)
    c = canvas.Canvas(path, pagesize=A4)
    c.setFont("Helvetica", 11)
    y = 800
    for k in range(30):
        c.drawString(50, y, f"Official record {n + 1}, paragraph {k + 1}: detention of {code}.")
        y -= 14
    c.drawImage(ImageReader(photo), 50, 60, width=400, height=300)
    c.showPage()
    c.save()
    emit(code, "pdf", path)

for n in range(jpegs):
    code = owner(n + 13)
    path = f"{out}/files/{code}/photo-{n + 1:04d}.jpg"
    noise_image(rng.randint(960, 1040), rng.randint(680, 740)).save(path, "JPEG", quality=90)
    emit(code, "jpeg", path)

for n in range(pngs):
    code = owner(n + 17)
    path = f"{out}/files/{code}/scan-{n + 1:04d}.png"
    noise_image(rng.randint(400, 460), rng.randint(380, 420)).save(path, "PNG")
    emit(code, "png", path)
