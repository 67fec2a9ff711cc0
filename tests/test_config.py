"""kit.toml: branding (name, contact, logo, colours, QR targets, build defaults) and every kind of bad file.

Each case builds single posters (about 0.1 s each) from a kit.toml written in a temporary folder.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

import kit
from kit.config import load_config
from kit.theme import DEFAULT_THEME

ORG = "Maison Santé Nord"
PHONE = "03 20 11 22 33"
EMAIL = "accueil@maison-sante-nord.fr"
TARGET = "https://www.maison-sante-nord.fr/donnees-recherche"
QUESTION = "wrong-hands"


def png_logo(path: Path, colour=(200, 30, 30)) -> Path:
    from PIL import Image

    Image.new("RGB", (120, 60), colour).save(path)
    return path


def write_toml(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "kit.toml"
    path.write_text(text, encoding="utf-8")
    return path


def branded_toml(folder: Path, extra: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    png_logo(folder / "logo.png")
    return write_toml(
        folder,
        f"""\
[organisation]
name = "{ORG}"
logo = "logo.png"

[contact]
phone = "{PHONE}"
email = "{EMAIL}"
{extra}""",
    )


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def image_xobjects(pdf_path: Path) -> int:
    """Distinct image XObjects of the document (also inside form XObjects; pages may share resources)."""
    from pypdf import PdfReader

    found: set = set()

    def walk(obj, depth=0) -> None:
        resources = obj.get("/Resources")
        if resources is None or depth > 10:
            return
        for ref in resources.get_object().get("/XObject", {}).values():
            xobject = ref.get_object()
            if xobject.get("/Subtype") == "/Image":
                found.add(getattr(ref, "idnum", id(xobject)))
            elif xobject.get("/Subtype") == "/Form":
                walk(xobject, depth + 1)

    for page in PdfReader(str(pdf_path)).pages:
        walk(page)
    return len(found)


def rgb(hex_colour: str) -> tuple[float, ...]:
    return tuple(int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))


def words_of(pdf_path: Path, text: str) -> list[dict]:
    """The printed words (with their colour) that spell ``text``, found by their sequence on the page."""
    import pdfplumber

    wanted = text.replace("\u202f", " ").replace("\xa0", " ").split()
    with pdfplumber.open(str(pdf_path)) as pdf:
        words = pdf.pages[0].extract_words(extra_attrs=["non_stroking_color"])
    texts = [w["text"] for w in words]
    for i in range(len(words) - len(wanted) + 1):
        if texts[i : i + len(wanted)] == wanted:
            return words[i : i + len(wanted)]
    raise AssertionError(f"{text!r} is not printed in {pdf_path}")


def assert_colour(words: list[dict], hex_colour: str) -> None:
    assert words
    for word in words:
        colour = tuple(word["non_stroking_color"])
        assert len(colour) == 3 and all(abs(a - b) < 0.01 for a, b in zip(colour, rgb(hex_colour))), (
            word["text"],
            colour,
        )


# --- a branded build ---------------------------------------------------------------------------------


@pytest.fixture
def plain_poster(tmp_path):
    path, _ = kit.build_poster(kit.load_project(), QUESTION, lang="fr", out_file=tmp_path / "plain.pdf")
    return path


def test_branded_poster_shows_name_contact_and_logo(tmp_path, open_pdf, plain_poster):
    config = load_config(cwd=branded_toml(tmp_path / "org").parent)
    assert config.data.organisation.name == ORG
    path, built = kit.build_poster(
        kit.load_project(config=config), QUESTION, lang="fr", out_file=tmp_path / "branded.pdf"
    )
    text = open_pdf(path).flat_text()
    assert ORG in text and PHONE in text and EMAIL in text
    assert open_pdf(path).reader.metadata.get("/Author") == ORG
    plain = open_pdf(plain_poster).flat_text()
    assert ORG not in plain and PHONE not in plain
    # The PNG logo is the one raster picture of the poster (pictograms and QR codes are vectors).
    assert image_xobjects(path) == image_xobjects(plain_poster) + 1


@pytest.mark.parametrize("kind, logo_slot", [("leaflet", True), ("falc-poster", True), ("summary", True)])
def test_branding_reaches_other_layouts(tmp_path, open_pdf, kind, logo_slot):
    config = load_config(cwd=branded_toml(tmp_path / "org").parent)

    def build(name, **kw):
        if kind == "leaflet":
            return kit.build_leaflet(kit.load_project(**kw), "fr", out_file=tmp_path / name)[0]
        if kind == "summary":
            return kit.build_poster(kit.load_project(**kw), "summary", lang="fr", out_file=tmp_path / name)[0]
        return kit.build_poster(
            kit.load_project(**kw), QUESTION, lang="fr", out_file=tmp_path / name, level="falc"
        )[0]

    branded, plain = build("branded.pdf", config=config), build("plain.pdf")
    pdf = open_pdf(branded)
    text = " ".join(pdf.flat_text(i) for i in range(pdf.pages))
    assert ORG in text and PHONE in text
    assert EMAIL in "".join(text.split())  # a narrow panel may wrap the address after a hyphen
    plain_pdf = open_pdf(plain)
    assert ORG not in " ".join(plain_pdf.flat_text(i) for i in range(plain_pdf.pages))
    assert image_xobjects(branded) == image_xobjects(plain) + (1 if logo_slot else 0)


def test_colours_change_the_pdf(tmp_path, plain_poster):
    primary, ink = "#7a1f3d", "#222222"
    folder = tmp_path / "org"
    write_toml(folder, f'[colours]\nprimary = "{primary}"\ntext = "{ink}"\n')
    path, _ = kit.build_poster(
        kit.load_project(config=load_config(cwd=folder)),
        QUESTION,
        lang="fr",
        out_file=tmp_path / "coloured.pdf",
    )
    assert sha256(path) != sha256(plain_poster)
    # The question is printed in white on a block of the primary colour, the hook in the primary colour, the
    # answer (the wall text when the question has one, else the short answer) in the text colour.
    fr = kit.load_content().question(QUESTION).translations["fr"]
    answer = " ".join((fr.wall or fr.short).split()[:6])
    assert_colour(words_of(path, fr.hook), primary)
    assert_colour(words_of(plain_poster, fr.hook), DEFAULT_THEME.primary)
    assert_colour(words_of(path, answer), ink)
    assert_colour(words_of(plain_poster, answer), DEFAULT_THEME.ink)
    assert_colour(words_of(path, fr.question), DEFAULT_THEME.on_primary)


def test_qr_target_for_one_question(tmp_path, open_pdf, printed):
    folder = tmp_path / "org"
    write_toml(folder, f'[qr.targets]\n{QUESTION} = "{TARGET}"\n')
    config = load_config(cwd=folder)
    path, built = kit.build_poster(
        kit.load_project(config=config), QUESTION, lang="fr", out_file=tmp_path / "target.pdf"
    )
    pdf = open_pdf(path)
    assert pdf.qr_codes() == [TARGET]
    assert printed(TARGET) in pdf.flat_text().replace(" ", "")
    assert built.qr == [{"page": 1, "url": TARGET, "address": TARGET}]
    # Another question keeps its own address.
    other = "why-use-data"
    own = kit.load_content().question(other).translations["fr"].qr_link.url
    path, built = kit.build_poster(
        kit.load_project(config=config), other, lang="fr", out_file=tmp_path / "other.pdf"
    )
    assert open_pdf(path).qr_codes() == [own]


def test_qr_base_url_for_every_question_a_target_wins(tmp_path, open_pdf):
    base = "https://www.maison-sante-nord.fr/tout"
    folder = tmp_path / "org"
    write_toml(folder, f'[qr]\nbase_url = "{base}"\n[qr.targets]\n{QUESTION} = "{TARGET}"\n')
    config = load_config(cwd=folder)
    path, _ = kit.build_poster(
        kit.load_project(config=config), "summary", lang="fr", out_file=tmp_path / "summary.pdf"
    )
    assert open_pdf(path).qr_codes() == [base]
    path, _ = kit.build_poster(
        kit.load_project(config=config), "why-use-data", lang="en", out_file=tmp_path / "why.pdf"
    )
    assert open_pdf(path).qr_codes() == [base]
    path, _ = kit.build_poster(
        kit.load_project(config=config), QUESTION, lang="en", out_file=tmp_path / "wrong.pdf"
    )
    assert open_pdf(path).qr_codes() == [TARGET]


# --- where kit.toml comes from ----------------------------------------------------------------------


def test_config_option_points_elsewhere(tmp_path, run_kit, open_pdf):
    """--config FILE from another folder: its paths (the logo) are relative to the file, not to the cwd."""
    toml = branded_toml(tmp_path / "settings" / "org")
    work = tmp_path / "work"
    work.mkdir()
    result = run_kit("--config", toml, "poster", QUESTION, "--lang", "fr", "--out", "p.pdf", cwd=work)
    assert result.returncode == 0, result.stderr
    text = open_pdf(work / "p.pdf").flat_text()
    assert ORG in text and PHONE in text
    assert image_xobjects(work / "p.pdf") == 1
    # Without --config the same folder has no kit.toml: unbranded.
    result = run_kit("poster", QUESTION, "--lang", "fr", "--out", "q.pdf", cwd=work)
    assert result.returncode == 0, result.stderr
    assert ORG not in open_pdf(work / "q.pdf").flat_text()


def test_config_option_missing_file(tmp_path, run_kit):
    result = run_kit("--config", tmp_path / "nope.toml", "poster", QUESTION, "--out", "p.pdf", cwd=tmp_path)
    assert result.returncode == 2
    assert "nope.toml" in result.stderr and "does not exist" in result.stderr
    assert not (tmp_path / "p.pdf").exists()


def test_kit_toml_in_current_folder_is_found(tmp_path, run_kit, open_pdf):
    branded_toml(tmp_path)
    result = run_kit("poster", QUESTION, "--lang", "fr", "--out", "p.pdf", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert ORG in open_pdf(tmp_path / "p.pdf").flat_text()


def test_no_kit_toml_means_unbranded_defaults(tmp_path, run_kit, open_pdf, plain_poster):
    empty = tmp_path / "empty"
    empty.mkdir()
    config = load_config(cwd=empty)
    assert config.path is None and config.logo is None and config.content_dir is None
    assert config.theme() == DEFAULT_THEME
    result = run_kit("poster", QUESTION, "--lang", "fr", "--out", "p.pdf", cwd=empty)
    assert result.returncode == 0, result.stderr
    # Exactly the poster the library builds without any configuration.
    assert sha256(empty / "p.pdf") == sha256(plain_poster)
    # Unbranded, the document is signed by the campaign in its language, never by the tool.
    campaign = kit.load_content().shared.labels["fr"].campaign
    assert open_pdf(empty / "p.pdf").reader.metadata.get("/Author") == campaign


def test_build_defaults_from_kit_toml(tmp_path, run_kit):
    """[build] languages, formats and venue are the defaults of `kit build`."""
    write_toml(tmp_path, '[build]\nlanguages = ["en"]\nformats = ["A3"]\nvenue = "la-poste"\n')
    result = run_kit("build", "--out", "out", "--level", "standard", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    documents = json.loads((tmp_path / "out" / "manifest.json").read_text())["documents"]
    assert documents
    for doc in documents:
        assert doc["lang"] == "en", doc["path"]
        if doc["layout"] != "leaflet":
            assert doc["format"] == "A3", doc["path"]
        assert doc["path"].endswith("-la-poste.pdf"), doc["path"]


# --- bad kit.toml: message, key and line, exit code 2 -----------------------------------------------

BAD = {
    "unknown-key": ('[organisation]\nname = "A"\nnmae = "B"\n', "organisation.nmae", 3, ["unknown key"]),
    "bad-colour": (
        '[colours]\naccent = "#e9f0f9"\nprimary = "blue"\n',
        "colours.primary",
        3,
        ["'blue'", "not a colour"],
    ),
    "low-contrast": (
        '# low contrast\n[colours]\ntext = "#bbbbbb"\n',
        "colours.text",
        3,
        ["colours.text #bbbbbb", "white paper #ffffff", "1.92:1", "4.5:1"],
    ),
    "missing-logo": (
        '[organisation]\nname = "A"\nlogo = "images/logo.png"\n',
        "organisation.logo",
        3,
        ["images/logo.png", "does not exist"],
    ),
    "wrong-type": ('[build]\nformats = ["A4"]\nlanguages = "fr"\n', "build.languages", 3, ["list"]),
    "toml-syntax": ('[organisation]\nname = "A"\n\n[contact]\nphone = 01 23\n', None, 5, ["not valid TOML"]),
    "missing-content-folder": (
        '[build]\nlanguages = ["fr"]\ncontent = "my-content"\n',
        "build.content",
        3,
        ["my-content", "does not exist"],
    ),
    "bad-venue": ('[build]\nvenue = "mairie"\n', "build.venue", 2, ["mairie", "france-services"]),
    "http-target": (
        f'[qr.targets]\n{QUESTION} = "http://example.org/x"\n',
        f"qr.targets.{QUESTION}",
        2,
        ["http://example.org/x", "https://"],
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_kit_toml(tmp_path, run_kit, case):
    text, field, line, words = BAD[case]
    path = write_toml(tmp_path, text)
    with pytest.raises(kit.ConfigError) as info:  # kit.toml alone, or what it names in the content
        kit.load_project(kit.Settings(config=path, check=False))
    error = info.value
    problem = next((p for p in error.problems if p.field == field), None)
    assert problem is not None, error.problems
    assert problem.line == line
    assert Path(problem.file).resolve() == path.resolve()
    for word in words:
        assert word in str(error), (word, str(error))
    # Through the command line: exit code 2, the same words, the line; no PDF.
    result = run_kit("poster", QUESTION, "--lang", "fr", "--out", "p.pdf", cwd=tmp_path)
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr, (word, result.stderr)
    assert f"line {line}" in result.stderr
    if field:
        assert field in result.stderr
    assert not (tmp_path / "p.pdf").exists()


def test_logo_that_is_not_a_png(tmp_path, run_kit):
    (tmp_path / "logo.png").write_text("not a picture", encoding="utf-8")
    write_toml(tmp_path, '[organisation]\nname = "A"\nlogo = "logo.png"\n')
    with pytest.raises(kit.ConfigError) as info:
        load_config(cwd=tmp_path)
    (problem,) = info.value.problems
    assert (problem.field, problem.line) == ("organisation.logo", 3)
    assert str((tmp_path / "logo.png").resolve()) in problem.message and "not a PNG" in problem.message
    result = run_kit("poster", QUESTION, "--out", "p.pdf", cwd=tmp_path)
    assert result.returncode == 2 and "not a PNG" in result.stderr


def test_low_contrast_names_every_pair(tmp_path):
    write_toml(tmp_path, '[colours]\ntext = "#bbbbbb"\n')
    with pytest.raises(kit.ConfigError) as info:
        load_config(cwd=tmp_path)
    messages = [p.message for p in info.value.problems]
    # #bbbbbb on white (1.92:1) and on the default accent #e9f0f9 (1.67:1): both named with their ratio.
    assert any("#bbbbbb" in m and "#ffffff" in m and "1.92:1" in m for m in messages), messages
    assert any("#bbbbbb" in m and "#e9f0f9" in m and "1.67:1" in m for m in messages), messages


def test_contrast_just_enough_is_accepted(tmp_path):
    # #767676 on white is 4.54:1 (the lightest grey allowed for text); on the accent it is checked too.
    write_toml(tmp_path, '[colours]\ntext = "#767676"\naccent = "#ffffff"\n')
    assert load_config(cwd=tmp_path).theme().ink == "#767676"


def test_every_problem_is_reported_at_once(tmp_path):
    write_toml(
        tmp_path, '[organisation]\nnmae = "A"\n[colours]\nprimary = "blue"\n[build]\nlanguages = "fr"\n'
    )
    with pytest.raises(kit.ConfigError) as info:
        load_config(cwd=tmp_path)
    assert {(p.field, p.line) for p in info.value.problems} == {
        ("organisation.nmae", 2),
        ("colours.primary", 4),
        ("build.languages", 6),
    }


def test_unknown_question_in_qr_targets(tmp_path, run_kit):
    write_toml(
        tmp_path,
        '[qr.targets]\nwhy-use-data = "https://example.org/a"\nno-such-question = "https://example.org/b"\n',
    )
    config = load_config(cwd=tmp_path)  # only the content knows which questions exist
    with pytest.raises(kit.ConfigError) as info:
        kit.build_poster(kit.load_project(config=config), QUESTION, lang="fr", out_file=tmp_path / "p.pdf")
    assert "no-such-question" in str(info.value)
    assert "why-use-data" in str(info.value)  # the known questions are listed
    result = run_kit("poster", QUESTION, "--lang", "fr", "--out", "p.pdf", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "no-such-question" in result.stderr
    assert not (tmp_path / "p.pdf").exists()


def test_unknown_question_in_qr_targets_names_key_and_line(tmp_path):
    path = write_toml(
        tmp_path,
        '[qr.targets]\nwhy-use-data = "https://example.org/a"\nno-such-question = "https://example.org/b"\n',
    )
    with pytest.raises(kit.ConfigError) as info:
        kit.build_poster(
            kit.load_project(config=load_config(cwd=tmp_path)),
            QUESTION,
            lang="fr",
            out_file=tmp_path / "p.pdf",
        )
    (problem,) = info.value.problems
    assert problem.field == "qr.targets.no-such-question"
    assert problem.line == 3
    assert problem.file == str(path)
    assert "line 3" in str(info.value)


def test_free_texts_by_language(tmp_path, open_pdf):
    """kit.toml may give the footer, credits and hours per language: an English document prints the English
    ones, a French one the French ones; a language the table leaves out gets its first text."""
    folder = tmp_path / "org"
    write_toml(
        folder,
        f"""\
[organisation]
name = "{ORG}"
footer = {{ fr = "Permanence le mardi, sans rendez-vous.", en = "Drop-in hours on Tuesdays, no appointment." }}
credits = {{ fr = "Photos : Camille", en = "Photos: Camille" }}

[contact]
email = "{EMAIL}"
hours = {{ fr = "du lundi au vendredi, 9 h – 17 h", en = "Monday to Friday, 9 am – 5 pm" }}
""",
    )
    project = kit.load_project(config=load_config(cwd=folder))
    texts = {}
    for lang in ("fr", "en"):
        path, _ = kit.build_poster(project, QUESTION, lang=lang, out_file=tmp_path / f"{lang}.pdf")
        texts[lang] = " ".join(open_pdf(path).flat_text().split())
    assert (
        "Drop-in hours on Tuesdays, no appointment." in texts["en"]
        and "Monday to Friday, 9 am – 5 pm" in texts["en"]
    )
    assert "Photos: Camille" in texts["en"]
    assert "Permanence" not in texts["en"] and "lundi" not in texts["en"]
    assert "Permanence le mardi, sans rendez-vous." in texts["fr"] and "du lundi au vendredi" in texts["fr"]
    assert "Drop-in" not in texts["fr"]
    from kit.config import in_language

    assert in_language("Un texte", "en") == "Un texte"
    assert in_language((("fr", "Bonjour"), ("en", "Hello")), "ar") == "Bonjour"


def test_free_text_table_with_a_bad_language_code(tmp_path):
    folder = tmp_path / "org"
    write_toml(folder, '[organisation]\nfooter = { fr = "Bonjour", English = "Hello" }\n')
    with pytest.raises(kit.ConfigError) as info:
        load_config(cwd=folder)
    assert any("not a language code" in p.message and p.line == 2 for p in info.value.problems)


def test_contact_lines_never_break_at_a_hyphen_or_a_dot(tmp_path, open_pdf):
    """In the narrow panels of the Easy-to-Read leaflet and on the cover of the standard one, an e-mail address
    breaks only after its '@' and a hyphenated word never: no line ends with '-' or begins with '-' or '.'."""
    folder = tmp_path / "org"
    write_toml(
        folder,
        f"""\
[organisation]
name = "{ORG}"
footer = "Permanence le mardi, sans rendez-vous, pour les personnes éloignées du numérique."

[contact]
email = "accueil.permanence@maison-sante-nord-exemple.fr"
phone = "{PHONE}"
""",
    )
    project = kit.load_project(config=load_config(cwd=folder))
    for level, panel in (("falc", 1), ("standard", 2)):  # where the contact is: the back, the cover
        path, built = kit.build_leaflet(project, "fr", level=level, out_file=tmp_path / f"{level}.pdf")
        pdf = open_pdf(path)
        lines = [
            line["text"]
            for line in pdf.lines(0, (97, 197))
            if sum(line["words"][0]["x0"] * 25.4 / 72 > fold for fold in (97, 197)) == panel
        ]
        # The web address printed beside the QR code (its breaking is the url filter's) is left aside.
        lines = [line for line in lines if line.replace(" ", "") not in built.qr[0]["url"]]
        assert not [line for line in lines if line.endswith("-") or line.startswith(("-", "."))], level
        assert any(line.endswith("maison-sante-nord-exemple.fr") for line in lines), level
        if level == "standard":  # (the Easy-to-Read leaflet prints the name and two ways to reach it)
            assert any("rendez-vous" in line for line in lines), level
