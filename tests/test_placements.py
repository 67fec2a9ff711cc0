"""The placement registry: one code per placement across the campaign (reruns, other folders, other processes),
never one code for two placements, placements.csv's columns, and clear errors for a file that is not kit's."""

from __future__ import annotations

import csv
import sqlite3
import subprocess
import sys
import textwrap

import pytest

import kit
from kit.pack import build_packs
from kit.placements import (
    PLACEMENT_COLUMNS,
    Place,
    Placement,
    RegistryError,
    code_in,
    departement,
    open_registry,
    placement_code,
    read_placements_csv,
    read_registry,
    request_code_pattern,
    write_placements_csv,
)

HEADER = "id;type_de_lieu;nom_du_lieu;adresse;code_postal;ville;date;heure_debut;heure_fin;langues;falc;exemplaires"
SITE = "https://sante.exemple.org/"


def tracked_project(folder):
    folder.mkdir(parents=True, exist_ok=True)
    toml = folder / "kit.toml"
    toml.write_text(f'[site]\nbase_url = "{SITE}"\n', encoding="utf-8")
    return kit.load_project(kit.Settings(config=toml, track=True))


def sheet(path, row):
    path.write_text(f"{HEADER}\n{row}\n", encoding="utf-8")
    return path


def csv_codes(path) -> dict[str, tuple[str, str, str]]:
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert tuple(rows[0]) == PLACEMENT_COLUMNS
    return {row["code"]: (row["venue_name"], row["document"], row["departement"]) for row in rows}


def test_the_same_event_id_at_another_place_gets_other_codes_and_a_rerun_the_same(tmp_path):
    """Two relays type the same event id for two places (two runs, two folders, one project): the second
    place's codes are none of the first's. The first place asked again (a fresh folder) gets its own codes
    back, so its packs are the same bytes."""
    project = tracked_project(tmp_path / "project")
    first_row = (
        "cafe-1;Café IA;Médiathèque Garibaldi;20 rue Garibaldi;69007;Lyon;2026-03-26;18:30;20:00;fr;non;5"
    )
    other_row = (
        "cafe-1;Café IA;Médiathèque de Bastia;1 rue Napoléon;20200;Bastia;2026-03-26;18:30;20:00;fr;non;5"
    )
    first = build_packs(project, sheet(tmp_path / "a.csv", first_row), tmp_path / "a", jobs=1)
    other = build_packs(project, sheet(tmp_path / "b.csv", other_row), tmp_path / "b", jobs=1)
    assert [e.status for e in first.events + other.events] == ["built", "built"]
    codes_a, codes_b = csv_codes(first.placements), csv_codes(other.placements)
    assert codes_a and len(codes_a) == len(codes_b)
    assert not set(codes_a) & set(codes_b)
    # The second place's first choices were the first place's codes: each was hashed again.
    assert {placement_code("cafe-1", doc.split("/", 1)[1]) for _, doc, _ in codes_b.values()} == set(codes_a)
    assert {d for _, _, d in codes_a.values()} == {"69"} and {d for _, _, d in codes_b.values()} == {"2B"}
    # Both are in the project's registry, beside kit.toml, with the page each code leads to.
    with open_registry(tmp_path / "project" / "placements.sqlite") as registry:
        known = {p.code: p for p in registry.placements()}
    printed = {code for code, p in known.items() if p.address}
    assert printed == set(codes_a) | set(codes_b)
    assert all(known[code].address.startswith("sante.exemple.org/") for code in printed)

    again = build_packs(project, sheet(tmp_path / "c.csv", first_row), tmp_path / "c", jobs=1)
    assert again.placements.read_bytes() == first.placements.read_bytes()
    sums = {d["path"]: d["sha256"] for e in first.events for d in e.documents}
    assert sums == {d["path"]: d["sha256"] for e in again.events for d in e.documents}


def test_registry_codes_are_stable_and_unique():
    registry = open_registry(None)
    here, there = Place("ev", "la-poste", "Bureau A", postcode="01000"), Place("ev", "la-poste", "Bureau B")
    documents = [("fr/a.pdf", "fr"), ("en/a.pdf", "en")]
    codes = registry.codes(here, documents)
    assert registry.codes(here, documents) == codes
    assert codes == [placement_code("ev", "fr/a.pdf"), placement_code("ev", "en/a.pdf")]
    others = registry.codes(there, documents)
    assert not set(others) & set(codes) and others == [
        placement_code("ev", "fr/a.pdf", 1),
        placement_code("ev", "en/a.pdf", 1),
    ]
    found = registry.find(codes[0])
    assert found == Placement(
        codes[0], "ev", "la-poste", "Bureau A", "", "ev/fr/a.pdf", "fr", "", "01000", "01"
    )
    # A pack kept as it is keeps its codes; a code the registry gave another placement is refused.
    assert registry.adopt(Place("old", "la-poste", "C"), {"fr/x.pdf": ("k3F9ab", "fr")})
    assert registry.find("k3F9ab").event_id == "old"
    assert not registry.adopt(Place("older", "la-poste", "D"), {"fr/x.pdf": ("k3F9ab", "fr")})
    assert not registry.adopt(here, {"fr/a.pdf": ("zzzzzz", "fr")})  # here already has its code


def test_two_processes_claim_at_the_same_time_and_never_share_a_code(tmp_path):
    """Two processes claim codes in one registry file at once: the same placements get the same codes in both,
    and the places they alone ask for (with event ids the other uses too) never get a code given to another."""
    path = tmp_path / "placements.sqlite"
    script = textwrap.dedent(
        """
        import json, sys
        from kit.placements import Place, open_registry
        who = sys.argv[2]
        found = {}
        with open_registry(__import__("pathlib").Path(sys.argv[1])) as registry:
            for i in range(150):
                for venue in ("shared", who):
                    place = Place(f"ev-{i}", "la-poste", venue)
                    codes = registry.codes(place, [("fr/a.pdf", "fr"), ("fr/b.pdf", "fr")])
                    found[f"{venue}/{i}"] = codes
        print(json.dumps(found))
        """
    )
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(path), who], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for who in ("north", "south")
    ]
    import json

    outputs = []
    for run in runs:
        out, err = run.communicate(timeout=240)
        assert run.returncode == 0, err.decode()
        outputs.append(json.loads(out))
    north, south = outputs
    assert {k: v for k, v in north.items() if k.startswith("shared/")} == {
        k: v for k, v in south.items() if k.startswith("shared/")
    }
    every = [code for found in (north, south) for key, codes in found.items() for code in codes]
    distinct = {code for found in (north, south) for codes in found.values() for code in codes}
    assert len(every) == 4 * 150 * 2 and len(distinct) == 3 * 150 * 2
    with open_registry(path) as registry:
        assert len(list(registry.placements())) == len(distinct)


def test_a_damaged_or_foreign_file_is_refused_clearly(tmp_path, run_kit):
    damaged = tmp_path / "damaged.sqlite"
    damaged.write_bytes(b"these are not the bytes of a database" * 200)
    with pytest.raises(RegistryError, match="damaged"):
        open_registry(damaged)
    foreign = tmp_path / "foreign.sqlite"
    with sqlite3.connect(foreign) as db:
        db.execute("CREATE TABLE notes (text TEXT)")
        db.execute("INSERT INTO notes VALUES ('mine')")
    with pytest.raises(RegistryError, match="another program"):
        open_registry(foreign)
    with sqlite3.connect(foreign) as db:  # left as it was
        assert db.execute("SELECT text FROM notes").fetchall() == [("mine",)]
    newer = tmp_path / "newer.sqlite"
    open_registry(newer).close()
    with sqlite3.connect(newer) as db:
        db.execute("PRAGMA user_version = 99")
    with pytest.raises(RegistryError, match="newer version of kit"):
        open_registry(newer)
    link = tmp_path / "link.sqlite"
    link.symlink_to(tmp_path / "elsewhere.sqlite")
    with pytest.raises(RegistryError, match="link"):
        open_registry(link)
    assert not (tmp_path / "elsewhere.sqlite").exists()

    # From the command line: exit 7, the file named, no traceback, nothing written.
    project = tmp_path / "project"
    project.mkdir()
    (project / "kit.toml").write_text(f'[site]\nbase_url = "{SITE}"\n', encoding="utf-8")
    (project / "placements.sqlite").write_bytes(damaged.read_bytes())
    events = sheet(
        tmp_path / "e.csv",
        "p-1;La Poste;Bureau de poste;3 place des Terreaux;69001;Lyon;2026-03-12;;;fr;oui;2",
    )
    result = run_kit("pack", events, "--out", tmp_path / "out", "--track", "--jobs", "1", cwd=project)
    assert result.returncode == 7, result.stdout + result.stderr
    assert "placements.sqlite" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "p-1").exists()


def test_without_kit_toml_the_registry_is_in_the_output_folder_and_kit_toml_may_name_it(tmp_path):
    toml = tmp_path / "kit.toml"
    toml.write_text('[build]\nplacements = "campagne/codes.sqlite"\n', encoding="utf-8")
    config = kit.load_project(kit.Settings(config=toml, check=False)).config
    assert config.placements_registry == (tmp_path / "campagne" / "codes.sqlite").absolute()
    toml.write_text('[build]\nplacements = "../codes.sqlite"\n', encoding="utf-8")
    with pytest.raises(kit.ConfigError, match="outside the project folder"):
        kit.load_project(kit.Settings(config=toml, check=False))
    assert kit.load_project(kit.Settings(check=False)).config.placements_registry is None


def test_placements_csv_columns_and_codes_in_addresses(tmp_path):
    assert PLACEMENT_COLUMNS[:8] == (
        "code",
        "event_id",
        "venue_type",
        "venue_name",
        "city",
        "document",
        "lang",
        "address",
    )
    assert PLACEMENT_COLUMNS[8:] == ("postcode", "departement", "layout", "level")
    placement = Placement.of(
        Place("e", "cafe-ia", "Café", postcode="97110"), "k3F9ab", "fr/a.pdf", "fr", "a.fr/"
    )
    target = write_placements_csv(tmp_path / "placements.csv", [placement])
    assert read_placements_csv(target) == [placement] and placement.departement == "971"
    old = tmp_path / "old.csv"  # written by an earlier kit: the first eight columns only
    old.write_text(",".join(PLACEMENT_COLUMNS[:8]) + "\nk3F9ab,e,cafe-ia,Café,,e/fr/a.pdf,fr,a.fr/\n")
    assert read_placements_csv(old)[0].postcode == ""
    assert code_in("https://a.fr/fr/?p=k3F9ab") == "k3F9ab"
    assert code_in("https://a.fr/f?p=123&p=k3F9ab#top") == "k3F9ab"  # kit's code is the last
    assert code_in("https://a.fr/fr/") is None and code_in("https://a.fr/?p=not-a-code") is None
    assert [departement(p) for p in ("75001", "01000", "20090", "20200", "97400", None, "7500")] == [
        "75",
        "01",
        "2A",
        "2B",
        "974",
        "",
        "",
    ]


def test_the_registry_imports_nothing_that_renders():
    """`kit report` reads code -> placement on a log server without WeasyPrint."""
    code = (
        "import sys, kit.placements; "
        "bad = [m for m in sys.modules if m.startswith(('weasyprint', 'kit.pack', 'kit.channels', 'kit.render', "
        "'kit.build', 'kit.plan', 'pydyf'))]; print(bad)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.strip() == "[]", result.stdout + result.stderr


def test_layout_and_level_are_kept_and_an_older_registry_gains_them(tmp_path):
    path = tmp_path / "placements.sqlite"
    with sqlite3.connect(path) as db:  # a registry written by kit before layout and level (version 1)
        db.execute(
            "CREATE TABLE placements (code TEXT PRIMARY KEY, key TEXT NOT NULL UNIQUE, event_id TEXT NOT NULL, "
            "venue_type TEXT NOT NULL, venue_name TEXT NOT NULL, city TEXT NOT NULL, document TEXT NOT NULL, "
            "lang TEXT NOT NULL, address TEXT NOT NULL DEFAULT '', postcode TEXT NOT NULL DEFAULT '', "
            "departement TEXT NOT NULL DEFAULT '')"
        )
        db.execute(
            "INSERT INTO placements VALUES ('k3F9ab', 'x', 'e', 'cafe-ia', 'Café', '', 'e/fr/a.pdf', "
            "'fr', '', '', '')"
        )
        db.execute("PRAGMA application_id = 1802073200")
        db.execute("PRAGMA user_version = 1")
    before = path.read_bytes()
    path.chmod(0o444)  # read as it is, never written to (kit report, on a read-only copy)
    assert [(p.code, p.layout) for p in read_registry(path)] == [
        ("k3F9ab", "")
    ] and path.read_bytes() == before
    path.chmod(0o644)
    with open_registry(path) as registry:
        old = registry.find("k3F9ab")
        assert (old.layout, old.level) == ("", "")
        registry.record([Placement(*old.row()[:8], "", "", "poster", "falc")])
        assert (registry.find("k3F9ab").layout, registry.find("k3F9ab").level) == ("poster", "falc")
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 2


def test_the_log_pattern_reads_codes_as_code_in_does():
    pattern = request_code_pattern()
    for target in (
        "/fr/?p=k3F9ab",
        "/f?p=123&p=k3F9ab",
        "/f?x=1&p=k3F9ab&y=2",
        "/fr/",
        "/?p=not-a-code",
        "/?p=k3F9abc",
        "/?q=1&pp=k3F9ab",
        "/?p=k3F9ab&p=a1b2c3",
    ):
        found = pattern.match(target.encode())
        assert (found.group(1).decode() if found else None) == code_in("https://a.fr" + target), target
