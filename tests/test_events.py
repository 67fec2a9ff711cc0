"""Reading event spreadsheets as people really save them: encodings, separators, headers, every row error."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

import kit
from kit.events import FIELD_LIMITS, Event, RowProblem, SpreadsheetError, read_events, safe_id

HEADER = (
    "id,venue_type,venue_name,address,postcode,city,date,start_time,end_time,contact,languages,falc,copies"
)


def write(tmp_path, text: str, encoding: str = "utf-8", name: str = "events.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def csv_rows(*rows: str, header: str = HEADER) -> str:
    return "\r\n".join([header, *rows]) + "\r\n"


def by_row(sheet):
    return {event.row: event for event in sheet.events}


def problems(sheet):
    return [(p.row, p.column) for p in sheet.problems]


# --- Encodings, separators, headers -------------------------------------------------------------


def test_semicolon_with_bom(tmp_path):
    text = (
        "identifiant;type_de_lieu;nom_du_lieu;code_postal;ville;date;langues;falc;copies\r\n"
        "lille-1;La Poste;Bureau de poste de Lille Centre;59000;Lille;12/03/2026;fr,en;non;40\r\n"
        ";France Services;Maison France Services;01000;Bourg-en-Bresse;2026-04-02;;;\r\n"
    )
    path = write(tmp_path, text, "utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    sheet = read_events(path)
    assert (sheet.delimiter, sheet.encoding) == (";", "utf-8-sig")
    assert sheet.problems == [] and sheet.warnings == []
    first, second = sheet.events
    assert first.id == "lille-1" and first.row == 2
    assert first.venue_type == "la-poste"
    assert first.venue_name == "Bureau de poste de Lille Centre"
    assert first.date == dt.date(2026, 3, 12)
    assert first.languages == ("fr", "en") and first.falc is False and first.copies == 40
    assert second.row == 3 and second.venue_type == "france-services"
    assert second.id == "2026-04-02-maison-france-services"
    assert second.postcode == "01000" and second.languages == ("fr",) and second.falc is True
    assert second.copies is None and second.start_time is None and second.contact is None


def test_windows_1252_with_accents(tmp_path):
    text = (
        "Type de lieu;Nom du lieu;Ville;Date;Heure début;Heure fin\r\n"
        "Café IA;Médiathèque L’Œuvre;Besançon;05/05/2026;14h;16h30\r\n"
    )
    path = write(tmp_path, text, "cp1252")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    sheet = read_events(path)
    assert sheet.encoding == "cp1252" and sheet.delimiter == ";"
    assert sheet.problems == []
    (event,) = sheet.events
    assert event.venue_type == "cafe-ia"
    assert event.venue_name == "Médiathèque L’Œuvre" and event.city == "Besançon"
    assert (event.start_time, event.end_time) == (dt.time(14, 0), dt.time(16, 30))
    assert event.id == "2026-05-05-mediatheque-l-oeuvre"


def test_utf8_without_bom_comma(tmp_path):
    path = write(tmp_path, csv_rows(",cafe ia,Café du Port,,,,2026-06-01,9:30,11h,,FR en,oui,"))
    sheet = read_events(path)
    assert (sheet.encoding, sheet.delimiter) == ("utf-8", ",")
    (event,) = sheet.events
    assert event.venue_type == "cafe-ia" and event.venue_name == "Café du Port"
    assert event.languages == ("fr", "en")
    assert event.start_time == dt.time(9, 30)


def test_tab_separated(tmp_path):
    path = write(tmp_path, "venue_type\tvenue_name\tdate\nla-poste\tPoste, Gare\t2026-03-12\n")
    sheet = read_events(path)
    assert sheet.delimiter == "\t"
    assert sheet.events[0].venue_name == "Poste, Gare"


@pytest.mark.parametrize("written", ["Bureau de poste", "La Poste", "LA POSTE", "la-poste", "la_poste"])
def test_venue_type_spellings_la_poste(tmp_path, written):
    path = write(tmp_path, csv_rows(f",{written},Poste,,,,2026-03-12,,,,,,"))
    assert read_events(path).events[0].venue_type == "la-poste"


@pytest.mark.parametrize("written", ["France Services", "france-services", "FRANCE SERVICES"])
def test_venue_type_spellings_france_services(tmp_path, written):
    path = write(tmp_path, csv_rows(f",{written},Maison,,,,2026-03-12,,,,,,"))
    assert read_events(path).events[0].venue_type == "france-services"


@pytest.mark.parametrize("written", ["Café IA", "cafe ia", "CAFÉ-IA", "cafe-ia", "Cafe Ia"])
def test_venue_type_spellings_cafe_ia(tmp_path, written):
    path = write(tmp_path, csv_rows(f",{written},Salle,,,,2026-03-12,14:00,16:00,,,,"))
    assert read_events(path).events[0].venue_type == "cafe-ia"


def test_french_headers_with_odd_spacing_case_and_accents(tmp_path):
    header = " Identifiant ;  Type de lieu;NOM DU LIEU;Adresse;Code_Postal;VILLE;Date ;Heure-Début;heure_de_fin;Contact;LANGUES;Falc;Exemplaires"
    text = csv_rows(
        "  ;  France Services ;  Espace  ; 3 rue Haute ; 75 001 ; Paris ; 2026-03-12 ; 14 h 30 ; 16H;"
        "01 23 45 67 89;fr;Oui;12",
        header=header,
    )
    sheet = read_events(write(tmp_path, text))
    assert sheet.problems == [] and sheet.warnings == []
    assert sheet.columns["venue_type"] == "Type de lieu"
    assert sheet.columns["postcode"] == "Code_Postal"
    assert sheet.columns["start_time"] == "Heure-Début"
    (event,) = sheet.events
    assert event.venue_name == "Espace" and event.address == "3 rue Haute"
    assert event.postcode == "75001" and event.city == "Paris"
    assert (event.start_time, event.end_time) == (dt.time(14, 30), dt.time(16, 0))
    assert event.contact == "01 23 45 67 89" and event.copies == 12
    assert event.fields["venue_type"] == "France Services"


def test_quoted_fields_blank_lines_and_trailing_columns(tmp_path):
    text = (
        "venue_type,venue_name,address,date,,,\r\n"
        "\r\n"
        'la-poste,"Poste ""Centrale"", Lille","12, rue Nationale\r\nBâtiment B",2026-03-12,,,\r\n'
        ",,,,,,\r\n"
        'la-poste,Poste Sud,"un ""quai""\nsur deux lignes",31/02/2026,,,\r\n'
        "\r\n"
        "la-poste,Poste Nord,,2026-03-13\r\n"
    )
    sheet = read_events(write(tmp_path, text))
    assert sheet.warnings == []
    rows = by_row(sheet)
    assert sorted(rows) == [3, 7]
    assert rows[3].venue_name == 'Poste "Centrale", Lille'
    assert rows[3].address == "12, rue Nationale\nBâtiment B"
    # Row 5 starts after a record with a line break and a blank line: still row 5 as a spreadsheet shows it.
    assert problems(sheet) == [(5, "date")]
    assert rows[7].venue_name == "Poste Nord"


def test_title_row_above_header_and_excel_sep_line(tmp_path):
    text = "sep=;\r\nÉvénements 2026;;\r\ntype de lieu;nom du lieu;date\r\nla poste;Poste;2026-13-01\r\n"
    sheet = read_events(write(tmp_path, text))
    assert sheet.header_row == 2
    assert problems(sheet) == [(3, "date")]


def test_xlsx_with_date_cells_and_integer_postcode(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Événements"
    sheet.append(
        [
            "Identifiant",
            "Type de lieu",
            "Nom du lieu",
            "Code postal",
            "Date",
            "Heure début",
            "Heure fin",
            "Copies",
            "FALC",
            "Notes",
        ]
    )
    sheet.append(
        [
            None,
            "Café IA",
            "Salle des fêtes",
            1000,
            dt.datetime(2026, 3, 12),
            dt.time(14, 0),
            dt.time(16, 0),
            50,
            False,
            "à confirmer",
        ]
    )
    sheet.append([])
    sheet.append(
        ["p-1", "la poste", "Poste", "01000", dt.datetime(2026, 3, 31, 0, 0), None, None, 2.0, "oui", None]
    )
    sheet.append(["p-2", "la poste", "Poste bis", 750011, "31/02/2026", None, None, 2.5, None, None])
    workbook.create_sheet("Autre").append(["rien"])
    path = tmp_path / "events.xlsx"
    workbook.save(path)

    result = read_events(path)
    assert result.encoding is None and result.delimiter is None
    rows = by_row(result)
    assert sorted(rows) == [2, 4]
    cafe, poste = rows[2], rows[4]
    assert cafe.venue_type == "cafe-ia" and cafe.postcode == "01000" and cafe.date == dt.date(2026, 3, 12)
    assert cafe.id == "2026-03-12-salle-des-fetes"
    assert (cafe.start_time, cafe.end_time) == (dt.time(14), dt.time(16))
    assert cafe.copies == 50 and cafe.falc is False
    assert cafe.fields["date"] == "2026-03-12" and cafe.fields["postcode"] == "1000"
    assert poste.date == dt.date(2026, 3, 31) and poste.copies == 2 and poste.postcode == "01000"
    assert sorted(problems(result)) == [(5, "Code postal"), (5, "Copies"), (5, "Date")]
    assert [(w.row, w.column) for w in result.warnings] == [(1, "Notes")]


def test_unknown_columns_and_unnamed_columns_are_warnings(tmp_path):
    text = csv_rows(
        "la-poste,Poste,2026-03-12,à voir,,perdu", header="venue_type,venue_name,date,Remarques,,"
    )
    sheet = read_events(write(tmp_path, text))
    assert len(sheet.events) == 1 and sheet.problems == []
    assert [(w.row, w.column) for w in sheet.warnings] == [(1, "Remarques"), (2, "column F")]
    assert "ignored" in str(sheet.warnings[0])


# --- Row errors ---------------------------------------------------------------------------------

ROW_ERRORS = [
    # (cells by column, column reported, words in the message)
    ({"venue_type": "Mairie"}, "venue_type", '"Mairie" is not a type of place'),
    ({"venue_type": ""}, "venue_type", "type of place is empty"),
    ({"venue_name": ""}, "venue_name", "name of the place is empty"),
    ({"venue_name": "N" * 61}, "venue_name", "61 characters long; at most 60"),
    ({"address": "A" * 121}, "address", "at most 120"),
    ({"city": "C" * 61}, "city", "at most 60"),
    ({"postcode": "7500A"}, "postcode", '"7500A" is not a French postcode'),
    ({"postcode": "750011"}, "postcode", "not a French postcode"),
    ({"date": ""}, "date", "date is empty"),
    ({"date": "31/02/2026"}, "date", '"31/02/2026" is not a date'),
    ({"date": "demain"}, "date", "is not a date"),
    ({"start_time": "25h"}, "start_time", '"25h" is not a time'),
    ({"start_time": "14:00", "end_time": "midi"}, "end_time", '"midi" is not a time'),
    (
        {"start_time": "15:00", "end_time": "14:00"},
        "end_time",
        "end time 14:00 is not after the start time 15:00",
    ),
    ({"start_time": "15:00", "end_time": "15h"}, "end_time", "is not after"),
    ({"end_time": "15:00"}, "start_time", "no start time"),
    ({"venue_type": "cafe-ia", "end_time": ""}, "end_time", "needs an end time"),
    ({"contact": "0123"}, "contact", "neither a phone number nor an e-mail"),
    ({"contact": "bob@"}, "contact", "neither a phone number nor an e-mail"),
    ({"contact": "a" * 71 + "@mairie.fr"}, "contact", "81 characters long; at most 80"),
    ({"languages": "fra"}, "languages", '"fra" is not a two-letter language code'),
    ({"languages": "fr, 1x"}, "languages", '"1x"'),
    ({"falc": "peut-être"}, "falc", "is not yes or no"),
    ({"copies": "0"}, "copies", "not a number of copies"),
    ({"copies": "1001"}, "copies", "more than kit prints for one event (at most 1000)"),
    ({"copies": "-3"}, "copies", "not a number of copies"),
    ({"copies": "2.5"}, "copies", "not a number of copies"),
    ({"copies": "beaucoup"}, "copies", "not a number of copies"),
    ({"id": "!!!"}, "id", "no letters or digits"),
]

GOOD = {
    "id": "",
    "venue_type": "la-poste",
    "venue_name": "Poste",
    "address": "",
    "postcode": "",
    "city": "",
    "date": "2026-03-12",
    "start_time": "",
    "end_time": "",
    "contact": "",
    "languages": "",
    "falc": "",
    "copies": "",
}


def row_text(**cells) -> str:
    values = {**GOOD, **cells}
    return ",".join('"' + values[name].replace('"', '""') + '"' for name in HEADER.split(","))


@pytest.mark.parametrize(
    ("cells", "column", "words"), ROW_ERRORS, ids=[str(i) for i in range(len(ROW_ERRORS))]
)
def test_each_row_error_has_row_and_column(tmp_path, cells, column, words):
    good = row_text(id="fine")
    if cells.get("venue_type") == "cafe-ia":
        cells = {"start_time": "14:00", **cells}
    path = write(tmp_path, csv_rows(good, "", row_text(**cells), good.replace("fine", "fine-2")))
    sheet = read_events(path)
    assert [(p.row, p.column) for p in sheet.problems] == [(4, column)], [str(p) for p in sheet.problems]
    (problem,) = sheet.problems
    assert words in problem.message
    assert problem.hint, "every problem says how to fix it"
    assert sorted(by_row(sheet)) == [2, 5], "the valid rows are still read"


def test_every_problem_of_a_row_is_reported(tmp_path):
    header = "Type de lieu;Nom du lieu;Date;Heure début;Heure fin;Langues;Copies"
    path = write(tmp_path, csv_rows("Café IA;;31/02/2026;16h;;xyz;0", header=header))
    sheet = read_events(path)
    assert sheet.events == []
    assert [(p.row, p.column) for p in sheet.problems] == [
        (2, "Nom du lieu"),
        (2, "Date"),
        (2, "Heure fin"),
        (2, "Langues"),
        (2, "Copies"),
    ]
    assert sheet.failed_rows == [2]


def test_cafe_ia_without_time_columns_names_the_missing_columns(tmp_path):
    path = write(tmp_path, "venue_type,venue_name,date\ncafe-ia,Salle,2026-03-12\n")
    sheet = read_events(path)
    assert problems(sheet) == [(2, "start_time"), (2, "end_time")]


def test_row_problem_text(tmp_path):
    path = write(tmp_path, csv_rows(row_text(), row_text(), row_text(date="31/02/2026")))
    sheet = read_events(path)
    date_problem = next(p for p in sheet.problems if p.column == "date")
    assert str(date_problem) == (
        'row 4, column "date": "31/02/2026" is not a date. Write it as 2026-03-12 or 12/03/2026.'
    )
    problem = date_problem.as_problem("events.csv")
    assert isinstance(problem, kit.Problem) and problem.line == 4 and problem.field == "date"
    assert str(RowProblem(3, "x", "wrong.")) == 'row 3, column "x": wrong.'


def test_html_in_a_field_is_kept_as_typed(tmp_path):
    name = "<b>Poste</b> <style>body{display:none}</style>"
    path = write(tmp_path, csv_rows(row_text(venue_name=name, address="<script>alert(1)</script> & co")))
    (event,) = read_events(path).events
    assert event.venue_name == name
    assert event.address == "<script>alert(1)</script> & co"


def test_long_field_is_reported_not_cut(tmp_path):
    assert FIELD_LIMITS == {"venue_name": 60, "address": 120, "city": 60, "contact": 80}
    fits = "N" * 60
    path = write(
        tmp_path, csv_rows(row_text(id="a", venue_name=fits), row_text(id="b", venue_name=fits + "!"))
    )
    sheet = read_events(path)
    assert [e.venue_name for e in sheet.events] == [fits]
    assert problems(sheet) == [(3, "venue_name")]


def test_postcode_leading_zero_and_values_normalised(tmp_path):
    path = write(
        tmp_path,
        csv_rows(
            row_text(
                postcode="1000", languages="EN;fr en", falc="N", contact="accueil@mairie.fr", copies="1000"
            )
        ),
    )
    (event,) = read_events(path).events
    assert event.postcode == "01000"
    assert event.languages == ("en", "fr")
    assert event.falc is False and event.copies == 1000


@pytest.mark.parametrize(
    "contact",
    [
        "01 23 45 67 89",
        "01.23.45.67.89",
        "+33 1 23 45 67 89",
        "+33 (0)6 12 34 56 78",
        "3631",
        "accueil@mairie-lille.fr",
        "01 23 45 67 89 / a.b@c.fr",
    ],
)
def test_contact_accepted(tmp_path, contact):
    (event,) = read_events(write(tmp_path, csv_rows(row_text(contact=contact)))).events
    assert event.contact == contact


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("oui", True),
        ("NON", False),
        ("yes", True),
        ("no", False),
        ("o", True),
        ("n", False),
        ("Y", True),
        ("true", True),
        ("False", False),
        ("1", True),
        ("0", False),
        ("", True),
    ],
)
def test_falc_values(tmp_path, written, value):
    (event,) = read_events(write(tmp_path, csv_rows(row_text(falc=written)))).events
    assert event.falc is value


# --- Ids ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "cleaned"),
    [
        ("../etc", "etc"),
        ("a/b", "a-b"),
        ("a\\b", "a-b"),
        ("con\x00trol", "con-trol"),
        ("Été à Lille", "ete-a-lille"),
        ("  .hidden.  ", "hidden"),
        ("Cœur", "coeur"),
        ("x" * 70, "x" * 60),
    ],
)
def test_unsafe_ids_are_cleaned_with_a_warning(tmp_path, written, cleaned):
    path = write(tmp_path, csv_rows(row_text(id=written)))
    sheet = read_events(path)
    assert sheet.problems == []
    (event,) = sheet.events
    assert event.id == cleaned
    (warning,) = sheet.warnings
    assert (warning.row, warning.column) == (2, "id")
    assert f'was changed to "{cleaned}"' in warning.message
    assert "\x00" not in str(warning)


@pytest.mark.parametrize("written", ["!!!", ".", "..", "../..", "/", "—", "con", "NUL", "com1"])
def test_ids_that_cannot_name_a_folder_are_errors(tmp_path, written):
    path = write(tmp_path, csv_rows(row_text(id=written)))
    sheet = read_events(path)
    assert sheet.events == []
    assert problems(sheet) == [(2, "id")]


def test_safe_id_rules():
    for text in ["../etc", "a/b", "x\ty", "é" * 100, "..", "-a-", "C:\\x"]:
        result = safe_id(text)
        assert result not in (".", "..")
        assert len(result) <= 60
        assert all(c.isascii() and (c.isalnum() or c in "-_") for c in result), result
        assert (
            result == result.lower() and not result.startswith(("-", ".")) and not result.endswith(("-", "."))
        )


def test_duplicate_ids_report_both_rows(tmp_path):
    path = write(tmp_path, csv_rows(row_text(id="lille"), row_text(id="autre"), row_text(id="Lille ")))
    sheet = read_events(path)
    assert [e.id for e in sheet.events] == ["autre"]
    assert problems(sheet) == [(2, "id"), (4, "id")]
    assert "also used on row 4" in sheet.problems[0].message
    assert "also used on row 2" in sheet.problems[1].message


def test_duplicate_generated_ids_report_both_rows(tmp_path):
    path = write(
        tmp_path, "venue_type;venue_name;date\nla-poste;Poste;2026-03-12\nla-poste;POSTE;12/03/2026\n"
    )
    sheet = read_events(path)
    assert sheet.events == []
    assert problems(sheet) == [(2, "id"), (3, "id")]
    assert "id column" in sheet.problems[0].hint


# --- Unusable files -----------------------------------------------------------------------------


def test_missing_file(tmp_path):
    with pytest.raises(SpreadsheetError) as info:
        read_events(tmp_path / "absent.csv")
    assert "does not exist" in str(info.value)
    assert isinstance(info.value, kit.KitError)


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("empty.csv", b"", "is empty"),
        ("blank.csv", b"\r\n\r\n", "is empty"),
        ("noheader.csv", b"foo;bar;baz\n1;2;3\n", "no header row"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old Excel format"),
        ("broken.xlsx", b"PK\x03\x04 not really a zip", "not a readable .xlsx"),
    ],
)
def test_unusable_files(tmp_path, name, content, words):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SpreadsheetError) as info:
        read_events(path)
    assert words in str(info.value)


def test_quote_never_closed_is_unusable(tmp_path):
    path = write(
        tmp_path,
        'venue_type,venue_name,date\nla-poste,A,2026-03-12\nla-poste,"Poste,2026-03-12\n'
        "la-poste,B,2026-03-13\n",
    )
    with pytest.raises(SpreadsheetError, match=r"opened on row 3 and never closed"):
        read_events(path)


def test_quote_inside_a_word_is_kept(tmp_path):
    path = write(tmp_path, 'venue_type,venue_name,date\nla-poste,Poste "Nord",2026-03-12\n')
    assert read_events(path).events[0].venue_name == 'Poste "Nord"'


def test_utf16_from_excel_unicode_text(tmp_path):
    path = write(tmp_path, "venue_type\tvenue_name\tdate\r\nla-poste\tPoste é\t2026-03-12\r\n", "utf-16")
    sheet = read_events(path)
    assert (sheet.encoding, sheet.delimiter) == ("utf-16", "\t")
    assert sheet.events[0].venue_name == "Poste é"


def test_control_character_in_text_is_reported(tmp_path):
    path = write(tmp_path, csv_rows(row_text(venue_name="Po\x00ste", city="Li\x07lle")))
    sheet = read_events(path)
    assert problems(sheet) == [(2, "venue_name"), (2, "city")]
    assert "invisible control character" in sheet.problems[0].message


def test_folder_instead_of_file(tmp_path):
    with pytest.raises(SpreadsheetError, match="is a folder"):
        read_events(tmp_path)


def test_missing_required_column_names_it_and_the_headers_found(tmp_path):
    path = write(tmp_path, "Type de lieu;Ville;Heure début\nla-poste;Lille;14h\n")
    with pytest.raises(SpreadsheetError) as info:
        read_events(path)
    error = info.value
    assert error.missing == ["venue_name", "date"]
    assert error.found == ["Type de lieu", "Ville", "Heure début"]
    assert (
        "venue_name" in str(error)
        and "date" in str(error)
        and "Type de lieu, Ville, Heure début" in str(error)
    )


def test_two_columns_for_one_field_is_unusable(tmp_path):
    path = write(tmp_path, "venue_type,venue_name,nom du lieu,date\nla-poste,A,B,2026-03-12\n")
    with pytest.raises(SpreadsheetError, match="two columns for venue_name"):
        read_events(path)


# --- Event model, fingerprint --------------------------------------------------------------------


def test_event_is_frozen_and_strict(tmp_path):
    (event,) = read_events(write(tmp_path, csv_rows(row_text(id="x")))).events
    with pytest.raises(ValidationError):
        event.venue_name = "other"
    with pytest.raises(ValidationError):
        Event(**{**event.model_dump(), "unknown": 1})
    with pytest.raises(ValidationError):
        Event(
            **{**event.model_dump(), "venue_type": "Mairie de Lyon"}
        )  # an id: the reader checks it is known
    assert hash(event) == hash(event.model_copy())


def test_fingerprint_stable_and_sensitive(tmp_path):
    rows = [row_text(id="a"), row_text(id="b", city="Lille")]
    path = write(tmp_path, csv_rows(*rows))
    first = {e.id: e.fingerprint() for e in read_events(path).events}
    again = {e.id: e.fingerprint() for e in read_events(path).events}
    assert first == again
    assert all(len(value) == 64 for value in first.values())

    # Same event written differently (date format, separator, a blank line above): same fingerprint.
    other = write(
        tmp_path,
        "id;venue_type;venue_name;city;date\n\nb;La Poste;Poste;Lille;12/03/2026\n",
        name="other.csv",
    )
    assert read_events(other).events[0].fingerprint() == first["b"]

    rows[1] = row_text(id="b", city="Lille-Sud")
    write(tmp_path, csv_rows(*rows))
    changed = {e.id: e.fingerprint() for e in read_events(path).events}
    assert changed["a"] == first["a"]
    assert changed["b"] != first["b"]


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("venue_type", "france-services"),
        ("venue_name", "Poste 2"),
        ("address", "1 rue"),
        ("postcode", "59000"),
        ("city", "Lille"),
        ("date", "2026-03-13"),
        ("start_time", "10h"),
        ("end_time", "12h"),
        ("contact", "a@b.fr"),
        ("languages", "fr,en"),
        ("falc", "non"),
        ("copies", "3"),
    ],
)
def test_fingerprint_changes_with_each_value(tmp_path, column, value):
    base = {"id": "e", "start_time": "09:00", "end_time": "18:00"}
    before = read_events(write(tmp_path, csv_rows(row_text(**base)), name="a.csv")).events[0]
    after = read_events(write(tmp_path, csv_rows(row_text(**{**base, column: value})), name="b.csv")).events[
        0
    ]
    assert after.fingerprint() != before.fingerprint()


# --- One row at a time (the web form and the API share it), from bytes ---------------------------


def test_one_row_from_a_request_gives_an_event():
    """The web form and the API give one row as JSON: canonical names, numbers, yes/no, a list of languages."""
    from kit.events import validate_row

    result = validate_row(
        {
            "id": "lyon-1",
            "venue_type": "France Services",
            "venue_name": "France Services Lyon 8e",
            "postcode": 1000,
            "date": dt.date(2026, 3, 17),
            "start_time": "9h",
            "end_time": "17:00",
            "languages": ["fr", "en"],
            "falc": False,
            "copies": 12,
        },
        languages=["fr", "en"],
    )
    assert result.ok and result.problems == [] and result.id == "lyon-1"
    event = result.event
    assert (event.venue_type, event.postcode, event.date) == (
        "france-services",
        "01000",
        dt.date(2026, 3, 17),
    )
    assert (event.languages, event.falc, event.copies, event.row) == (("fr", "en"), False, 12, 0)


def test_every_problem_of_a_row_at_once_with_stable_codes_and_the_sheets_words():
    """A row with four problems (one of them a language the content lacks) gets all four in one report; each
    names the column as the sheet's header writes it (`langues`), or by its canonical name for the API."""
    from kit.events import PROBLEM_CODES, validate_row

    cells = {
        "id": "lille-1",
        "venue_type": "La Poste",
        "venue_name": "Bureau de poste",
        "postcode": "59OOO",
        "date": "2026-02-30",
        "languages": "fr,de",
        "copies": "beaucoup",
        "brochure": "A5",
    }
    headers = {"languages": "langues", "postcode": "code postal", "date": "Date", "copies": "exemplaires"}
    sheet_row = validate_row(cells, languages=["fr", "en", "ar"], row=7, headers=headers)
    found = {(p.field, p.code, p.column) for p in sheet_row.problems}
    assert found == {
        ("postcode", "invalid-postcode", "code postal"),
        ("date", "invalid-date", "Date"),
        ("languages", "unknown-language", "langues"),
        ("copies", "invalid-copies", "exemplaires"),
        ("brochure", "unknown-field", "brochure"),
    }
    assert sheet_row.event is None and sheet_row.id == "lille-1"
    assert all(p.code in PROBLEM_CODES and p.row == 7 for p in sheet_row.problems)
    language = next(p for p in sheet_row.problems if p.field == "languages")
    assert str(language).startswith(
        'row 7, column "langues": de is not a language of the content (fr, en, ar).'
    )
    api = validate_row(cells, languages=["fr", "en", "ar"])
    assert {p.column for p in api.problems} == {"postcode", "date", "languages", "copies", "brochure"}
    assert str(next(p for p in api.problems if p.field == "date")).startswith(
        '"date": "2026-02-30" is not a date.'
    )
    assert next(p for p in api.problems if p.field == "date").as_dict() == {
        "row": 0,
        "field": "date",
        "column": "date",
        "code": "invalid-date",
        "message": '"2026-02-30" is not a date.',
        "hint": "Write it as 2026-03-12 or 12/03/2026.",
    }


def test_a_sheet_names_failed_rows_by_their_id_in_its_own_words(tmp_path):
    header = "identifiant;type de lieu;nom du lieu;date;langues"
    path = write(
        tmp_path,
        csv_rows("a-1;La Poste;Bureau;2026-03-12;fr,de", "b-2;Mairie;Salle;demain;fr", header=header),
    )
    sheet = read_events(path, languages=["fr", "en"])
    assert sheet.events == [] and sheet.name_of(2) == "a-1" and sheet.name_of(3) == "b-2"
    assert [str(p).split(":")[0] for p in sheet.problems] == [
        'row 2, column "langues"',
        'row 3, column "type de lieu"',
        'row 3, column "date"',
    ]
    assert sheet.name_of(9) == "row-9"


@pytest.mark.parametrize("name", ["events.csv", "events.xlsx"])
def test_a_sheet_read_from_bytes_is_the_same_as_from_its_file(tmp_path, name):
    """The web app reads an upload from memory: the same events, problems and messages as from the file."""
    rows = [
        ["id", "type_de_lieu", "nom_du_lieu", "date", "langues"],
        ["a-1", "La Poste", "Bureau", "12/03/2026", "fr"],
    ]
    rows.append(["b-2", "Mairie", "Salle", "2026-03-12", "fr"])
    if name.endswith(".csv"):
        path = write(
            tmp_path, csv_rows(*(";".join(r) for r in rows[1:]), header=";".join(rows[0])), name=name
        )
    else:
        openpyxl = pytest.importorskip("openpyxl")
        book = openpyxl.Workbook()
        for row in rows:
            book.active.append(row)
        path = tmp_path / name
        book.save(path)
    from_file = read_events(path)
    from_bytes = read_events(path.read_bytes(), name=name)
    assert from_bytes.events == from_file.events and len(from_file.events) == 1
    assert [str(p) for p in from_bytes.problems] == [str(p) for p in from_file.problems]
    assert from_bytes.path.name == name
    with pytest.raises(SpreadsheetError, match="The event file upload.csv is empty"):
        read_events(b"  \n", name="upload.csv")
