"""`kit email`: the newsletter opened as a mail program would (Python's email package), its HTML as a mail client
would read it, and the text messages counted as a phone sends them."""

from __future__ import annotations

import email
import email.policy
import json
from html.parser import HTMLParser
from urllib.parse import quote

import pytest

import kit
from kit.build import build_email
from kit.channels.mail import wrap
from kit.channels.sms import measure, plain

# GSM 03.38, written out here on its own (not imported from kit) so that the test can disagree with kit.
GSM = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿"
    "abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_DOUBLE = "^{}\\[~]|€\f"


def gsm_septets(text: str) -> int | None:
    if any(ch not in GSM and ch not in GSM_DOUBLE for ch in text):
        return None
    return sum(2 if ch in GSM_DOUBLE else 1 for ch in text)


class Html(HTMLParser):
    """What a mail client cares about: tags, links, pictures, styles and scripts."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def all(self, tag: str) -> list[dict]:
        return [attrs for name, attrs in self.tags if name == tag]


def parse(html: str) -> Html:
    parser = Html()
    parser.feed(html)
    return parser


@pytest.fixture(scope="module")
def mail(site_project, tmp_path_factory):
    folder, project = site_project
    out = tmp_path_factory.mktemp("email")
    build_email(project, out)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return out, project, manifest


def message(out, lang: str) -> email.message.EmailMessage:
    return email.message_from_bytes((out / lang / "newsletter.eml").read_bytes(), policy=email.policy.default)


def test_the_eml_is_multipart_alternative_plain_then_html(mail):
    out, project, _ = mail
    for lang in project.kb.languages:
        msg = message(out, lang)
        assert msg.get_content_type() == "multipart/alternative"
        parts = msg.get_payload()
        assert [p.get_content_type() for p in parts] == ["text/plain", "multipart/related"]
        assert parts[1].get_payload()[0].get_content_type() == "text/html"
        assert msg["Subject"] == project.kb.shared.channels[lang].newsletter_subject
        assert msg["From"].addresses[0].addr_spec == project.config.data.contact.email
        assert msg["Date"] and msg["Message-ID"] and msg["Content-Language"] == lang
        assert msg.defects == [] and all(not part.defects for part in msg.walk())


def test_plain_text_lines_are_78_characters_at_most(mail):
    out, project, _ = mail
    for lang in project.kb.languages:
        raw = (out / lang / "newsletter.eml").read_bytes()
        assert max(len(line) for line in raw.split(b"\r\n")) <= 78
        text = message(out, lang).get_body(("plain",)).get_content()
        assert max(len(line) for line in text.splitlines()) <= 78, text
        kb = project.kb
        for qid in kb.summary_ids:
            assert kb.question(qid).translations[lang].hook in " ".join(text.split())
        # sent as it is from a mail program: a working unsubscribe (an e-mail to the sender), never the
        # mailing tool's placeholder (which only the HTML for mailing tools carries)
        words = project.kb.shared.channels[lang].unsubscribe
        assert project.config.data.email.unsubscribe not in text
        assert f"mailto:{project.config.data.contact.email}?subject={quote(words)}" in text
        msg = message(out, lang)
        assert (
            str(msg["List-Unsubscribe"]).strip()
            == f"<mailto:{project.config.data.contact.email}?subject={quote(words)}>"
        )


def test_html_is_safe_for_mail_clients(mail):
    out, project, _ = mail
    for lang in project.kb.languages:
        msg = message(out, lang)
        html = msg.get_body(("html",)).get_content()
        page = parse(html)
        assert page.all("html")[0]["lang"] == lang
        assert not page.all("script") and not page.all("link") and "@import" not in html
        assert "<style" not in html  # every style inline
        assert page.all("table")  # the layout is tables
        related = {
            part["Content-ID"].strip("<>"): part
            for part in msg.walk()
            if part.get_content_maintype() == "image"
        }
        images = page.all("img")
        assert len(images) >= len(project.kb.summary_ids) + 1
        for image in images:
            assert image.get("alt"), image
            assert image["src"].startswith("cid:") and image["src"][4:] in related, image["src"]
        for part in related.values():
            assert part.get_content_type() == "image/png" and part.get_content().startswith(b"\x89PNG")


def test_every_link_is_a_page_of_the_site_but_unsubscribe(mail, resolves):
    out, project, manifest = mail
    placeholder = project.config.data.email.unsubscribe
    for lang in project.kb.languages:
        reply = f"mailto:{project.config.data.contact.email}?subject={quote(project.kb.shared.channels[lang].unsubscribe)}"
        for html, unsubscribe in (
            (message(out, lang).get_body(("html",)).get_content(), reply),
            ((out / lang / "newsletter.html").read_text(encoding="utf-8"), placeholder),
        ):
            hrefs = [a["href"] for a in parse(html).all("a")]
            assert unsubscribe in hrefs
            others = [h for h in hrefs if h != unsubscribe]
            assert len(others) >= len(project.kb.summary_ids) + 2
            assert all(resolves(h, project.kb) for h in others), others
            assert all(
                src.startswith(("cid:", "newsletter-images/"))
                for src in (img["src"] for img in parse(html).all("img"))
            )
    for doc in manifest["documents"]:
        assert doc["links"] and all(resolves(url, project.kb) for url in doc["links"]), doc


def test_the_html_alone_has_its_pictures_beside_it(mail):
    out, project, manifest = mail
    for doc in (d for d in manifest["documents"] if d["format"] == "html"):
        page = parse((out / doc["path"]).read_text(encoding="utf-8"))
        for image in page.all("img"):
            assert (out / doc["lang"] / image["src"]).read_bytes().startswith(b"\x89PNG")
        assert sorted(doc["files"]) == sorted(
            f"{doc['lang']}/{img['src']}" for img in page.all("img")
        ) or set(doc["files"]) == {f"{doc['lang']}/{img['src']}" for img in page.all("img")}


def test_the_newsletter_is_the_same_bytes_every_time(mail, site_project, tmp_path):
    out, project, _ = mail
    build_email(project, tmp_path, langs="fr")
    assert (tmp_path / "fr" / "newsletter.eml").read_bytes() == (out / "fr" / "newsletter.eml").read_bytes()


def test_text_messages_fit_one_sms(mail, resolves):
    out, project, manifest = mail
    sms = [d for d in manifest["documents"] if d["channel"] == "sms"]
    assert len(sms) == len(project.kb.languages) * len(project.kb.question_ids)
    for doc in sms:
        text = (out / doc["path"]).read_text(encoding="utf-8").rstrip("\n")
        assert text == doc["text"] and "\n" not in text
        septets = gsm_septets(text)
        if septets is not None:
            assert doc["encoding"] == "GSM-7" and doc["length"] == septets <= 160, doc
        else:
            assert doc["encoding"] == "UCS-2" and doc["length"] == len(text.encode("utf-16-le")) // 2 <= 70, (
                doc
            )
        assert resolves(doc["links"][0], project.kb)
        assert text.endswith(doc["links"][0].split("://", 1)[1])  # the short address, without https://
    assert all(
        d["encoding"] == "GSM-7" for d in sms
    )  # the built-in texts avoid the letters that need Unicode


def test_counting_gsm_7():
    assert measure("Réponse : à bientôt")["encoding"] == "UCS-2"  # ô is not in GSM 03.38
    assert measure("Réponse : à demain")["encoding"] == "GSM-7"  # é and à are
    assert measure("Prix : 5 €")["length"] == 11  # € counts two
    assert measure("ça")["encoding"] == "UCS-2" and measure("Ça")["encoding"] == "GSM-7"
    assert plain("« Oui » l’an\u00a0prochain…") == '" Oui " l\'an prochain...'
    assert measure("a" * 161)["length"] == 161


def test_a_message_that_needs_unicode_and_is_too_long_is_refused(content_copy, edit_file, tmp_path):
    edit_file(
        content_copy / "questions" / "wrong-hands.yaml",
        'sms: "Vos données de santé sont protégées par la loi et la technique. Qui peut les voir ?"',
        'sms: "Vos données de santé sont protégées : la loi, la technique. Qui peut les connaître ?"',
    )
    project = kit.load_project(content=content_copy)
    with pytest.raises(kit.BuildError) as info:
        build_email(project, tmp_path, langs="fr")
    problems = [str(p) for p in info.value.problems]
    assert (
        len(problems) == 1
        and "sms 'wrong-hands' (fr, txt)" in problems[0]
        and "UCS-2" in problems[0]
        and "î" in problems[0]
    ), problems


def test_wrap_keeps_words_and_list_items():
    text = wrap("- " + "mot " * 40 + "\n\nhttps://example.org/" + "a" * 90)
    lines = text.splitlines()
    assert all(len(line) <= 78 for line in lines[:-1])
    assert lines[1].startswith("  mot") and lines[-1].startswith("https://")  # an address is never cut


def test_built_in_content_without_a_site(tmp_path):
    project = kit.load_project()
    result = build_email(project, tmp_path)
    assert result.notes
    msg = email.message_from_bytes(
        (tmp_path / "fr" / "newsletter.eml").read_bytes(), policy=email.policy.default
    )
    assert msg["From"].addresses[0].domain == "example.invalid"  # no sender known: the mailing tool sets it
    text = msg.get_body(("plain",)).get_content()
    assert max(len(line) for line in text.splitlines()) <= 78
