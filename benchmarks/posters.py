"""Benchmark (figures, not timings): what the posters say and how large, measured on their PDFs as a passer-by
meets them. Prints the words above the fine print of each question poster (every question, French and English,
A4), then the smallest reading text of every poster (question posters A4, A3, A2; summary posters A4, A3, A2;
Easy-to-Read posters A4, A3) with the content as kit ships it and at the extremes of kit check's budgets.

Run with the installed kit:  .venv/bin/python benchmarks/posters.py [--lang fr,en]

Sizes are glyph sizes read with pdfplumber, in A4 terms (an A3 size divided by 1.41, an A2 size by 2), as
tests/test_posters.py measures them. "Fine print" is type under 20 pt (A4 terms): where the code leads, what to do
without a phone, the credits. "Smallest reading" is the smallest glyph above the credits line (the page's smallest
size); "16+" is the share of the glyphs outside that line set at 16 pt or more; "headline" the largest glyph.

The budget extremes are a user's content folder merged over kit's (as `kit init` makes one), for the question
wrong-hands, the summary and its Easy-to-Read sentences, in French and English: "longest" at every maximum kit check
lets through (question 14 words and 100 characters, hook 12 words and 120 characters with a 25-letter word, wall
sentences up to 50 words on the poster and 300 characters with the question and hook; summary title 10 words, hook
16, introduction 45, which only the leaflet prints; 7 Easy-to-Read sentences of 12 words), "shortest" at a few words each (3 Easy-to-Read
sentences). The script says if kit check finds an error in them (then their figures are not kit's).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

A4_TERMS = {"A4": 1.0, "A3": 2**0.5, "A2": 2.0}
FINE_PT = 20  # A4 terms: under this, the fine print (tests/test_posters.py FINE_PT)
QUESTION = "wrong-hands"

LONGEST = {
    "fr": {
        "question": "Et si nos données personnelles de santé tombaient un jour entre de mauvaises mains ?",
        "hook": "Anticonstitutionnellement protégées : vos informations médicales restent gardées par la loi française actuelle.",
        "wall": (
            "Vos données de soins sont couvertes par le secret professionnel et contrôlées par la CNIL. Des "
            "hébergeurs certifiés les gardent, avec des règles de sécurité strictes et des contrôles réguliers "
            "chaque année."
        ),
        "summary": {
            "title": "La seconde vie de vos données de santé, pour la recherche",
            "hook": "Vos données de santé peuvent aussi servir la recherche publique : voici vos questions et nos réponses claires.",
            "intro": (
                "Après vous avoir soigné, vos données de santé peuvent aider la recherche à mieux comprendre les "
                "maladies et à améliorer les soins de tous. Cet usage est encadré par la loi, contrôlé par la CNIL, "
                "et vous gardez vos droits. Voici 4 questions que l'on se pose souvent."
            ),
        },
        "falc": [
            "Vos informations de santé sont gardées dans des ordinateurs très bien protégés.",
            "Seules les personnes qui vous soignent peuvent lire votre dossier de santé.",
            "Les chercheurs reçoivent des données sans votre nom et sans votre adresse.",
            "La loi punit les personnes qui volent ou vendent vos données de santé.",
            "Un service de l'État vérifie que les règles de la loi sont bien suivies.",
            "Vous pouvez demander à voir vos données quand vous le voulez, à tout moment.",
            "Vous pouvez aussi dire que vous voulez garder vos données pour vous seul.",
        ],
    },
    "en": {
        "question": "What if our personal health data fell one day into the wrong hands of someone?",
        "hook": "Counterrevolutionaries aside: your medical information stays guarded by French law, every day.",
        "wall": (
            "Your care records are covered by professional secrecy and checked by the CNIL. Certified hosts keep "
            "them, with strict security rules and regular checks every single year, by law."
        ),
        "summary": {
            "title": "The second life of your health data, for research",
            "hook": "Your health data can also serve public research: here are your questions and our clear answers for you.",
            "intro": (
                "Once it has served your care, your health data can help research understand illnesses better and "
                "improve care for everyone. This use is governed by law, supervised by the CNIL, and you keep your "
                "rights. Here are 4 questions people often ask about it."
            ),
        },
        "falc": [
            "Your health information is kept in computers that are very well protected.",
            "Only the people who care for you can read your health file at all.",
            "Researchers receive data without your name and without your home address at all.",
            "The law punishes people who steal or sell your health data to others.",
            "A public service checks that the rules of the law are followed well.",
            "You can ask to see your data whenever you want, at any time.",
            "You can also say that you want to keep your data to yourself.",
        ],
    },
}
SHORTEST = {
    "fr": {
        "question": "Nos données, en danger ?",
        "hook": "La loi les protège.",
        "wall": "Le secret médical s'applique.",
        "summary": {
            "title": "Vos données de santé",
            "hook": "Vos questions.",
            "intro": "Quatre questions, quatre réponses.",
        },
        "falc": ["Vos données sont protégées.", "La loi vous protège.", "Vous gardez vos droits."],
    },
    "en": {
        "question": "Our data at risk?",
        "hook": "The law protects it.",
        "wall": "Medical secrecy applies.",
        "summary": {
            "title": "Your health data",
            "hook": "Your questions.",
            "intro": "Four questions, four answers.",
        },
        "falc": ["Your data is protected.", "The law protects you.", "You keep your rights."],
    },
}


def fit(text: str, lang: str, words: int, chars: int = 10_000, end: str = ".") -> str:
    """``text`` cut to ``words`` words of its language and ``chars`` characters, ending with ``end``."""
    from kit.check.languages import rules_for

    count = rules_for(lang).length
    parts = text.rstrip(" .?!").split()
    while parts and (count(" ".join(parts)) > words or len(" ".join(parts)) + len(end) + 1 > chars):
        parts.pop()
    while parts and not any(ch.isalnum() for ch in parts[-1]):  # no sentence ends on ':' or ','
        parts.pop()
    cut = " ".join(parts).rstrip(",;:")
    return cut + (f" {end}" if end == "?" and lang == "fr" else end)


def at_the_maxima(texts: dict) -> dict:
    """The longest texts cut to kit check's maxima (see the module's docstring), the wall to what the poster's 50
    words and 300 characters leave."""
    import kit
    from kit.check.budgets import (
        FALC_SENTENCE_WORDS,
        HOOK_MAX_CHARS,
        LENGTH_BUDGETS,
        POSTER_CHARS,
        POSTER_WORDS,
        QUESTION_MAX_CHARS,
        SUMMARY_BUDGETS,
    )
    from kit.check.languages import rules_for

    kb = kit.load_content()
    done = {}
    for lang, said in texts.items():
        count = rules_for(lang).length
        question = fit(said["question"], lang, LENGTH_BUDGETS["question"].max, QUESTION_MAX_CHARS, "?")
        hook = fit(said["hook"], lang, LENGTH_BUDGETS["hook"].max, HOOK_MAX_CHARS)
        scan = count(kb.shared.labels[lang].scan) + 1  # the call to scan and the address
        room = POSTER_WORDS - scan - count(question) - count(hook)
        chars = POSTER_CHARS - len(question) - len(hook) - 2
        wall = fit(said["wall"], lang, min(room, LENGTH_BUDGETS["wall"].max), chars)
        summary = {key: fit(value, lang, SUMMARY_BUDGETS[key].max) for key, value in said["summary"].items()}
        falc = [fit(sentence, lang, FALC_SENTENCE_WORDS) for sentence in said["falc"]]
        done[lang] = {"question": question, "hook": hook, "wall": wall, "summary": summary, "falc": falc}
    return done


def write_variant(folder: Path, texts: dict) -> Path:
    """A user's content folder over kit's: question wrong-hands, the summary and the Easy-to-Read sentences."""
    import yaml

    import kit

    kb = kit.load_content()
    question = {"id": QUESTION, "translations": {}}
    summary = {}
    for lang, said in texts.items():
        pictures = [item.picto for item in kb.question(QUESTION).translations[lang].falc]
        falc = [{"text": text, "picto": pictures[i % len(pictures)]} for i, text in enumerate(said["falc"])]
        question["translations"][lang] = {
            "question": said["question"],
            "hook": said["hook"],
            "wall": said["wall"],
            "falc": falc,
        }
        summary[lang] = said["summary"]
    (folder / "questions").mkdir(parents=True, exist_ok=True)
    dump = {"allow_unicode": True, "sort_keys": False, "width": 1000}
    (folder / "questions" / f"{QUESTION}.yaml").write_text(yaml.safe_dump(question, **dump), encoding="utf-8")
    (folder / "shared.yaml").write_text(yaml.safe_dump({"summary": summary}, **dump), encoding="utf-8")
    return folder


def measure(path: Path, fmt: str) -> dict:
    """A poster's type in A4 terms: headline, smallest reading text, share at 16 pt or more, words above the fine
    print."""
    import pdfplumber

    k = A4_TERMS[fmt]
    with pdfplumber.open(str(path)) as pdf:
        page = pdf.pages[0]
        sizes = sorted(c["size"] / k for c in page.chars if c["text"].strip())
        words = page.extract_words(extra_attrs=["size"])
    credits = sizes[0]
    reading = [s for s in sizes if s > credits + 0.01] or sizes
    return {
        "headline": sizes[-1],
        "smallest": min(reading),
        "credits": credits,
        "big": sum(s >= 16 - 0.05 for s in reading) / len(reading),
        "words": sum(
            1 for w in words if w["size"] / k >= FINE_PT - 0.01 and any(ch.isalnum() for ch in w["text"])
        ),
    }


def posters(project, langs: list[str], questions: list[str]) -> list[tuple[str, str, str, str, str]]:
    """(kind, question, lang, level, format) of every poster to measure."""
    found = []
    for lang in langs:
        for question in questions:
            found += [("question", question, lang, "standard", fmt) for fmt in ("A4", "A3", "A2")]
        found += [("summary", "summary", lang, "standard", fmt) for fmt in ("A4", "A3", "A2")]
        for question in questions:
            found += [("easy-to-read", question, lang, "falc", fmt) for fmt in ("A4", "A3")]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="fr,en")
    args = parser.parse_args()
    langs = args.lang.split(",")

    import kit
    from kit.check import check_content

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="kit-posters-") as tmp:
        folder = Path(tmp)
        variants = {"as shipped": None}
        for name, texts in (("longest", at_the_maxima(LONGEST)), ("shortest", SHORTEST)):
            variants[name] = write_variant(folder / name, {lang: texts[lang] for lang in langs})
        results: dict[str, list] = {}
        failed: list[str] = []
        for name, content in variants.items():
            if content is not None:
                errors = [f for f in check_content(content).findings if f.severity == "error"]
                for error in errors:
                    print(f"{name}: kit check finds an error: {error.field}: {error.message}")
                if errors:
                    continue
            project = kit.load_project(content=content, check=False)
            questions = project.kb.question_ids if content is None else [QUESTION]
            rows = []
            for kind, question, lang, level, fmt in posters(project, langs, questions):
                out = folder / "out" / name / f"{kind}-{question}-{lang}-{fmt}.pdf"
                try:
                    target, _ = kit.build_poster(
                        project, question, lang=lang, format=fmt, level=level, out_file=out
                    )
                except kit.KitError as exc:  # kit check let the texts through, the poster cannot hold them
                    failed.append(f"{name} {kind} {question} {lang} {fmt}: {exc}")
                    continue
                rows.append((kind, question, lang, fmt, measure(target, fmt)))
            results[name] = rows

    print("Words above the fine print, question posters, A4 (the issue: 50 or fewer)")
    for name in ("as shipped", "longest"):
        for kind, question, lang, fmt, m in results[name]:
            if kind == "question" and fmt == "A4":
                print(f"  {name:10s} {question:16s} {lang}  {m['words']:3d} words")
    print()
    print(
        "Smallest reading text (A4 terms, pt; the issue: 16 or more; the wall text 24 or more, the headline 40)"
    )
    print(
        f"  {'content':10s} {'poster':13s} {'question':16s} {'lang':4s} {'fmt':3s} {'smallest':>8s} "
        f"{'16+':>5s} {'headline':>8s} {'credits':>7s}"
    )
    for name, rows in results.items():
        for kind, question, lang, fmt, m in rows:
            print(
                f"  {name:10s} {kind:13s} {question:16s} {lang:4s} {fmt:3s} {m['smallest']:8.1f} "
                f"{m['big'] * 100:4.0f}% {m['headline']:8.1f} {m['credits']:7.1f}"
            )
    print()
    for name, rows in results.items():
        for kind in ("question", "summary", "easy-to-read"):
            chosen = [m for k, *_, m in rows if k == kind]
            if chosen:
                low = min(chosen, key=lambda m: m["smallest"])
                print(
                    f"{name:10s} {kind:13s} smallest reading text {low['smallest']:.1f} pt; headline at least "
                    f"{min(m['headline'] for m in chosen):.1f} pt ({len(chosen)} posters)"
                )
    if failed:
        print("\nNot built (kit check lets these texts through, the layout cannot hold them):")
        for line in failed:
            print(f"  {line}")
    print(f"\n({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
