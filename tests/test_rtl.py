"""An Arabic sample supplied as user content renders right-to-left: /Lang ar, Arabic text, mirrored layout.

The Arabic knowledge base is generated from the built-in one: every French text is replaced by Arabic
text of about the same number of words (so length budgets hold); URLs, pictogram ids, `qr: true`,
numbers and the {n}/{total}/{url} placeholders of labels are kept.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
import yaml

import kit
from kit.content import words

QUESTION = "wrong-hands"

# A few plain sentences about health data (no punctuation: the words are what the test compares).
SENTENCES = [
    "بياناتك الصحية تساعد الباحثين على فهم الأمراض",
    "يحمي القانون هذه البيانات ويحدد من يستطيع استخدامها",
    "يمكنك أن تعرف كيف تستعمل بياناتك وأن ترفض ذلك في أي وقت",
    "تبقى البيانات في مكان آمن ولا يظهر اسمك في نتائج البحث",
    "اسأل موظف الاستقبال إذا كانت لديك أسئلة عن حقوقك",
    "الأطباء يحفظون أسرارك والقانون يعاقب من يخالف القواعد",
]
POOL = " ".join(SENTENCES).split()
# Distinct texts for the poster under test, to find them in the PDF without doubt.
QUESTION_AR = "ماذا لو وقعت بياناتنا الصحية في أيد غير أمينة"
HOOK_AR = "ملفك الطبي محمي بالقانون وبأقفال رقمية قوية"

PLACEHOLDER = re.compile(r"(\{[a-z]+\})")
KEEP = {"url", "picto", "qr", "minutes", "id", "pictogram", "order", "in_summary", "path", "paths"}
ARABIC_LETTERS = re.compile(r"[\u0621-\u064A]+")


class Arabic:
    """Arabic text of a given number of words, each text starting further along the pool."""

    def __init__(self):
        self.start = 0

    def words(self, n: int) -> str:
        start, self.start = self.start, self.start + 7
        return " ".join(itertools.islice(itertools.cycle(POOL), start, start + max(1, n)))

    def text(self, french: str) -> str:
        paragraphs = []
        for paragraph in french.split("\n\n"):
            parts = [p for p in PLACEHOLDER.split(paragraph) if p.strip()]
            paragraphs.append(
                " ".join(p if PLACEHOLDER.fullmatch(p) else self.words(len(words(p))) for p in parts)
            )
        return "\n\n".join(paragraphs)

    def value(self, value, key=None):
        if key in KEEP:
            return value
        if isinstance(value, dict):
            return {k: self.value(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [self.value(v, key) for v in value]
        if isinstance(value, str):
            return self.text(value)
        return value


def only_arabic(data, arabic: Arabic):
    """Wherever a `fr` translation exists, an `ar` one in its place (the other languages dropped)."""
    if isinstance(data, dict):
        if "fr" in data:
            return {"ar": arabic.value(data["fr"])}
        return {k: only_arabic(v, arabic) for k, v in data.items()}
    if isinstance(data, list):
        return [only_arabic(v, arabic) for v in data]
    return data


def letters(text: str) -> str:
    return "".join(ARABIC_LETTERS.findall(text))


@pytest.fixture
def arabic_content(content_copy) -> Path:
    arabic = Arabic()
    for path in [
        content_copy / "shared.yaml",
        content_copy / "venues.yaml",
        *sorted((content_copy / "questions").glob("*.yaml")),
    ]:
        data = only_arabic(yaml.safe_load(path.read_text(encoding="utf-8")), arabic)
        if data.get("id") == QUESTION:
            data["translations"]["ar"]["question"] = QUESTION_AR
            data["translations"]["ar"]["hook"] = HOOK_AR
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    meta = content_copy / "kit.yaml"
    data = yaml.safe_load(meta.read_text(encoding="utf-8"))
    assert data["builtin"] is False  # stand-alone: nothing French comes from the built-in content
    data["languages"] = ["ar"]
    data[
        "partial_languages"
    ] = []  # the built-in partial languages (Arabic among them) are not part of the sample
    data["language_review"] = {}
    meta.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return content_copy


def test_arabic_content_is_valid(arabic_content):
    kb = kit.load_content(arabic_content)
    assert kb.languages == ["ar"]
    builtin = kit.load_content()
    assert kb.question_ids == builtin.question_ids
    for question in kb.questions:
        ar, fr = question.translations["ar"], builtin.question(question.id).translations["fr"]
        assert set(question.translations) == {"ar"}
        assert letters(ar.question) and not re.search(r"[A-Za-z]", ar.short)
        assert [link.url for link in ar.links] == [link.url for link in fr.links]
        assert ar.qr_link.url == fr.qr_link.url
        assert [item.picto for item in ar.falc] == [item.picto for item in fr.falc]
    labels = kb.shared.labels["ar"]
    assert "{n}" in labels.page and "{total}" in labels.page and "{url}" in labels.qr_alt


@pytest.fixture
def posters(arabic_content, tmp_path):
    ar, _ = kit.build_poster(
        kit.load_project(content=arabic_content, check=False),
        QUESTION,
        lang="ar",
        out_file=tmp_path / "ar.pdf",
    )
    fr, _ = kit.build_poster(kit.load_project(), QUESTION, lang="fr", out_file=tmp_path / "fr.pdf")
    return ar, fr


def test_arabic_poster_language_and_text(posters, arabic_content, open_pdf):
    ar, _ = posters
    pdf = open_pdf(ar)
    assert pdf.lang == "ar"
    assert pdf.title.startswith(QUESTION_AR)
    text = letters(pdf.text())
    kb = kit.load_content(arabic_content)
    translation = kb.question(QUESTION).translations["ar"]
    # The wall poster prints the question, the hook and the sentences written for the wall.
    assert translation.wall
    for field in ("question", "hook", "wall"):
        assert letters(getattr(translation, field)) in text, field
    assert letters(kb.shared.labels["ar"].scan) in text
    assert pdf.qr_codes() == [translation.qr_link.url]


def printed_lines(pdf) -> list[str]:
    """Each printed line as it reads on paper, left to right (pdfplumber keeps glyphs in visual order)."""
    return ["".join(line["text"].split()) for line in pdf.lines()]


def test_url_reads_left_to_right_on_the_french_poster(posters, open_pdf):
    _, fr = posters
    url = kit.load_content().question(QUESTION).translations["fr"].qr_link.url
    assert url.removeprefix("https://") in printed_lines(open_pdf(fr))


def test_url_reads_left_to_right_on_the_arabic_poster(posters, arabic_content, open_pdf):
    ar, _ = posters
    url = (
        kit.load_content(arabic_content)
        .question(QUESTION)
        .translations["ar"]
        .qr_link.url.removeprefix("https://")
    )
    lines = printed_lines(open_pdf(ar))
    assert url in lines, [line for line in lines if "cnil" in line]


def test_arabic_glyphs_come_from_the_shipped_noto_font(posters, open_pdf):
    ar, fr = posters
    arabic_fonts = [
        (name, embedded)
        for name, embedded in open_pdf(ar).fonts()
        if "notosansarabic" in name.replace("-", "").lower()
    ]
    assert arabic_fonts and all(embedded for _, embedded in arabic_fonts), open_pdf(ar).fonts()
    heading, _ = title_row(ar)
    assert heading and all("notosansarabic" in w["fontname"].replace("-", "").lower() for w in heading)
    # The French poster needs no Arabic font; the Arabic one credits Noto.
    assert not any("arabic" in name.lower() for name, _ in open_pdf(fr).fonts())
    assert "Noto Sans Arabic" in open_pdf(ar).flat_text()


def title_row(pdf_path: Path) -> tuple[list[dict], list[dict]]:
    """The question's words (the largest type) and the pictogram's shapes beside them (a vector picture)."""
    import pdfplumber

    with pdfplumber.open(str(pdf_path)) as pdf:
        page = pdf.pages[0]
        chars = [c for c in page.chars if c["text"].strip()]
        biggest = max(c["size"] for c in chars)
        heading = [
            w for w in page.extract_words(extra_attrs=["size", "fontname"]) if abs(w["size"] - biggest) < 0.1
        ]
        top, bottom = min(w["top"] for w in heading), max(w["bottom"] for w in heading)
        shapes = [
            s for s in (*page.images, *page.curves) if s["bottom"] > top - 10 and s["top"] < bottom + 10
        ]
    return heading, shapes


def test_arabic_poster_is_right_to_left(posters):
    ar, fr = posters
    heading, picto = title_row(fr)
    assert picto, "no pictogram beside the French question"
    assert max(s["x1"] for s in picto) < min(w["x0"] for w in heading)  # French: pictogram on the left

    heading, picto = title_row(ar)
    assert picto, "no pictogram beside the Arabic question"
    assert min(s["x0"] for s in picto) > max(w["x1"] for w in heading)  # Arabic: on the right
    # The page mirrors: the Arabic question ends at the right margin where the French one starts at the left.
    import pdfplumber

    with pdfplumber.open(str(ar)) as pdf:
        width = float(pdf.pages[0].width)
    assert width - max(s["x1"] for s in picto) < width / 4
