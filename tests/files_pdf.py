"""PDFs built in the test: lines placed where a typesetter would put them."""

import io

from fpdf import FPDF
from PIL import Image
from pypdf import PdfReader, PdfWriter

LINE_HEIGHT = 6  # mm; a blank line in `pages` leaves one empty line of this height

# Three pages of a criminal appeal: a running header, a page number at the foot, words
# hyphenated at line ends, numbered paragraphs, and paragraph 2 running onto page 2.
JUDGMENT = [
    [
        "IN THE HIGH COURT OF THE",
        "HONG KONG SPECIAL ADMINISTRATIVE REGION",
        "",
        "1. The appellant was convicted after trial in the District Court of one count",
        "of robbery. He appeals against conviction only.",
        "2. The prosecution case was that on 3 May 2020 the appel-",
        "lant, a well-known figure in the district, approached the victim outside a",
        "bank in Mong Kok and snatched her handbag, which contained HK$12,000 in",
        "cash and her identity card. The victim gave chase but lost sight of the",
    ],
    [
        "man in the crowd. She later picked out the appellant at an identification",
        "parade held at the police station.",
        "3. The judge directed herself on the dangers of identification evidence.",
        "",
        "Grounds of appeal",
        "",
        "4. Counsel for the appellant submits that the judge failed to deal ade-",
        "quately with the weaknesses in the identification, in particular the",
    ],
    [
        "short time the victim had to see the robber. We do not accept that sub-",
        "mission.",
        "The appeal is dismissed.",
    ],
]
JUDGMENT_HEADER = "HKSAR v CHAN KAM HON"


def pdf_bytes(pages, header=JUDGMENT_HEADER, footer="- {page} -"):
    """A PDF with one page per list of lines; "" leaves a blank line."""
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    for number, lines in enumerate(pages, start=1):
        pdf.add_page()
        if header:
            pdf.set_font("Helvetica", size=9)
            pdf.set_xy(10, 10)
            pdf.cell(text=header)
        pdf.set_font("Helvetica", size=11)
        pdf.set_xy(10, 30)
        for line in lines:
            if line:
                pdf.cell(text=line, h=LINE_HEIGHT, new_x="LMARGIN", new_y="NEXT")
            else:
                pdf.ln(LINE_HEIGHT)
        if footer:
            pdf.set_font("Helvetica", size=9)
            pdf.set_xy(100, 282)
            pdf.cell(text=footer.format(page=number, pages=len(pages)))
    return bytes(pdf.output())


def scan_pdf():
    """Two pages without a text layer: a drawn frame, then a picture."""
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.rect(20, 20, 170, 250)
    pdf.add_page()
    pdf.image(Image.new("L", (40, 40), 128), x=20, y=20, w=100)
    return bytes(pdf.output())


def encrypted_pdf(user_password, pages=JUDGMENT):
    """The judgment encrypted (RC4: pypdf writes AES only with `cryptography` installed)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(pages))))
    writer.encrypt(user_password=user_password, owner_password="owner secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
