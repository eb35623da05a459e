#!/usr/bin/python3
"""Makes the documents the extract tests and bench/ocr_bench.sh read: page images of a text
(clean, or degraded like a poor scan), PDFs with a text layer or only a scanned image, DOCX and
ODT files. Everything is generated here from text the caller gives; nothing is downloaded.

  make_test_docs.py page TEXT OUT [--degraded] [--seed N]   PNG, JPEG or TIFF by OUT's suffix
  make_test_docs.py pdf-text TEXT OUT                        one paragraph per line of TEXT
  make_test_docs.py pdf-scan IMAGE OUT                       the image as an A4 page, no text
  make_test_docs.py docx TEXT OUT                            one w:p per line of TEXT
  make_test_docs.py odt TEXT OUT                             one text:p per line of TEXT
  make_test_docs.py tiff OUT IMAGE...                        a multi-page TIFF of the images

Run with Debian's /usr/bin/python3 (python3-pil, python3-reportlab, fonts-dejavu-core).
"""
import random
import sys
import zipfile
from xml.sax.saxutils import escape

FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf'
DPI = 300
FONT_PX = 50          # 12 pt at 300 dpi
TEXT_WIDTH_PX = 2000  # about 17 cm: a page's text column at 300 dpi
MARGIN_PX = 120


def read_paragraphs(path):
    with open(path, encoding='utf-8') as f:
        return [p for p in f.read().split('\n') if p.strip()]


def wrap(paragraphs, font, width):
    lines = []
    for paragraph in paragraphs:
        line = ''
        for word in paragraph.split():
            candidate = (line + ' ' + word).strip()
            if line and font.getlength(candidate) > width:
                lines.append(line)
                line = word
            else:
                line = candidate
        if line:
            lines.append(line)
    return lines


def noise(size, seed):
    """Gaussian noise (sigma 20) around 128, seeded so every run makes the same image: a tile of
    509 x 487 pixels (primes, so its repeats do not line up with text lines) laid over the page."""
    from PIL import Image
    rnd = random.Random(seed)
    tw, th = 509, 487
    tile = Image.frombytes('L', (tw, th), bytes(
        max(0, min(255, 128 + int(rnd.gauss(0, 20)))) for _ in range(tw * th)))
    out = Image.new('L', size)
    for y in range(0, size[1], th):
        for x in range(0, size[0], tw):
            out.paste(tile, (x, y))
    return out


def page(text_path, out, degraded=False, seed=1):
    from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont
    font = ImageFont.truetype(FONT, FONT_PX)
    lines = wrap(read_paragraphs(text_path), font, TEXT_WIDTH_PX)
    ascent, descent = font.getmetrics()
    pitch = int((ascent + descent) * 1.3)
    img = Image.new('L', (TEXT_WIDTH_PX + 2 * MARGIN_PX, pitch * len(lines) + 2 * MARGIN_PX), 255)
    draw = ImageDraw.Draw(img)
    for i, line in enumerate(lines):
        draw.text((MARGIN_PX, MARGIN_PX + i * pitch), line, font=font, fill=0)
    fmt = {'png': 'PNG', 'jpg': 'JPEG', 'jpeg': 'JPEG', 'tif': 'TIFF', 'tiff': 'TIFF'}[
        out.rsplit('.', 1)[1].lower()]
    if degraded:
        # A poor scan: turned by a degree, slightly out of focus, grainy, saved as a JPEG of
        # quality 60.
        img = img.rotate(1.0, resample=Image.BICUBIC, expand=True, fillcolor=255)
        img = img.filter(ImageFilter.GaussianBlur(0.8))
        img = ImageChops.add(img, noise(img.size, seed), scale=1.0, offset=-128)
        img.save(out, 'JPEG', quality=60, dpi=(DPI, DPI))
    elif fmt == 'JPEG':
        img.save(out, fmt, quality=90, dpi=(DPI, DPI))
    else:
        img.save(out, fmt, dpi=(DPI, DPI))


def pdf_text(text_path, out):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas
    pdfmetrics.registerFont(TTFont('DejaVuSans', FONT))
    c = canvas.Canvas(out, pagesize=A4, invariant=1)
    c.setFont('DejaVuSans', 11)
    y = A4[1] - 72
    for line in read_paragraphs(text_path):
        c.drawString(56, y, line)
        y -= 16
    c.showPage()
    c.save()


def pdf_scan(image_path, out):
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas
    image = ImageReader(image_path)
    w, h = image.getSize()
    c = canvas.Canvas(out, pagesize=A4, invariant=1)
    # At 300 dpi, as it was rendered: w pixels are w / 300 inches.
    c.drawImage(image, 0, A4[1] - h * 72.0 / DPI, width=w * 72.0 / DPI, height=h * 72.0 / DPI)
    c.showPage()
    c.save()


def docx(text_path, out):
    body = ''.join(
        '<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>'
        '<w:r><w:rPr><w:lang w:val="be-BY"/></w:rPr><w:t xml:space="preserve">%s</w:t></w:r></w:p>'
        % escape(line) for line in read_paragraphs(text_path))
    document = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                '<w:body>%s<w:sectPr/></w:body></w:document>' % body)
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.wordprocessingml.document.main+xml"/></Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/></Relationships>')
    with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('[Content_Types].xml', content_types)
        z.writestr('_rels/.rels', rels)
        z.writestr('word/document.xml', document)


def odt(text_path, out):
    body = ''.join('<text:p text:style-name="Standard">%s</text:p>' % escape(line)
                   for line in read_paragraphs(text_path))
    content = ('<?xml version="1.0" encoding="UTF-8"?>'
               '<office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">'
               '<office:body><office:text>%s</office:text></office:body>'
               '</office:document-content>' % body)
    manifest = ('<?xml version="1.0" encoding="UTF-8"?>'
                '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
                'manifest:version="1.3">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                '</manifest:manifest>')
    with zipfile.ZipFile(out, 'w') as z:
        # The mimetype comes first and uncompressed, as ODF requires.
        z.writestr(zipfile.ZipInfo('mimetype'), 'application/vnd.oasis.opendocument.text',
                   compress_type=zipfile.ZIP_STORED)
        z.writestr('content.xml', content, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr('META-INF/manifest.xml', manifest, compress_type=zipfile.ZIP_DEFLATED)


def tiff(out, images):
    from PIL import Image
    pages = [Image.open(path).convert('L') for path in images]
    pages[0].save(out, 'TIFF', save_all=True, append_images=pages[1:], dpi=(DPI, DPI),
                  compression='tiff_deflate')


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    command, source, out = argv[0], argv[1], argv[2]
    if command == 'page':
        seed = int(argv[argv.index('--seed') + 1]) if '--seed' in argv else 1
        page(source, out, degraded='--degraded' in argv, seed=seed)
    elif command == 'pdf-text':
        pdf_text(source, out)
    elif command == 'pdf-scan':
        pdf_scan(source, out)
    elif command == 'docx':
        docx(source, out)
    elif command == 'odt':
        odt(source, out)
    elif command == 'tiff':
        tiff(source, argv[2:])
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main(sys.argv[1:])
