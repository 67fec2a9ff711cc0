"""For kit's maintainers: record that kit's built-in translations are made from the current French texts.

Run after changing French texts of kit/knowledge/ together with their translations (a translation left behind is
what kit check's `translation-stale` rule is for: do not stamp it). It rewrites kit/knowledge/translations/<lang>.yaml
for the languages given (default: every language but French), keeping each text's state, reviewer and date:

    .venv/bin/python tools/stamp_translations.py [ar tr ...]

Users never run this: `kit translate import` writes their records, in their own content folder.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kit.content import SOURCE_LANG, load_content, records_of, units_of  # noqa: E402
from kit.translate.yamledit import Flow, dump  # noqa: E402

HEADER = """\
# The record of kit's {name} texts (kit translate): for each text, a digest of the French it was made from, and its
# review state when someone reviewed it. When a French text changes, its translation no longer matches its digest:
# `kit check` lists it (rule translation-stale) and the documents in this language say that the translation is not
# yet checked until it is reviewed again (kit translate export, then import). Written by tools/stamp_translations.py.
"""


def main(langs: list[str]) -> None:
    folder = ROOT / "kit" / "knowledge"
    kb = load_content(folder)  # kit's own content (the folder given is kit's: nothing merged over it)
    for lang in langs or [code for code in kb.all_languages if code != SOURCE_LANG]:
        old = records_of(kb, lang)
        texts = {}
        for unit in units_of(kb, lang):
            if unit.target is None:
                continue
            record = old.get(unit.id)
            kept = record.model_dump(exclude_none=True, exclude={"source"}) if record else {}
            texts[unit.id] = Flow(source=unit.digest, **kept)
        path = folder / "translations" / f"{lang}.yaml"
        path.parent.mkdir(exist_ok=True)
        path.write_text(
            HEADER.format(name=kb.locale(lang).name) + dump({"id": lang, "texts": texts}), encoding="utf-8"
        )
        print(f"{path}: {len(texts)} texts")


if __name__ == "__main__":
    main(sys.argv[1:])
