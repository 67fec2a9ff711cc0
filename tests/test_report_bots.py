"""The vendored bot list: as published (its sha256), every example it gives is found, people's browsers are not,
and the compiled matcher answers exactly as the patterns would one by one."""

from __future__ import annotations

import hashlib
import re
from importlib.resources import files

from kit.report.bots import LIST_FILE, BotFilter, bot_list, bot_list_source, compile_patterns

PEOPLE = [  # phones and in-app browsers that open a scanned code: never bots
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 "
    "Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 13; SAMSUNG SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 "
    "Chrome/115.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) GSA/291.0.584965690 "
    "Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 12; SM-G991B Build/SP1A.210812.016; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Version/4.0 Chrome/119.0.6045.163 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/442.0.0.33.113;]",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 "
    "Instagram 307.0.0.34.111 (iPhone14,5; iOS 17_1; fr_FR; fr; scale=3.00; 1170x2532; 532277150)",
    "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 "
    "Edg/120.0.0.0",
    "Mozilla/5.0 (Linux; U; Android 12; fr-fr; Redmi Note 10 Build/SKQ1.210908.001) AppleWebKit/537.36 (KHTML, like "
    "Gecko) Version/4.0 Chrome/100.0.4896.127 Mobile Safari/537.36 XiaoMi/MiuiBrowser/13.28.0-gn",
    "Mozilla/5.0 (Linux; Android 10; HarmonyOS; ELS-NX9; HMSCore 6.11.0.302) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/99.0.4844.88 HuaweiBrowser/14.0.0.322 Mobile Safari/537.36",
]
PREVIEWS = [  # link previews and monitors a shared address meets
    "WhatsApp/2.23.20.0 A",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "TelegramBot (like TwitterBot)",
    "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
    "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)",
    "Mozilla/5.0 (compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)",
    "curl/8.5.0",
    "python-requests/2.31.0",
    "",
    "-",
]


def test_the_list_is_the_published_one_with_its_licence():
    source = bot_list_source()
    data = files("kit.report").joinpath("data").joinpath(LIST_FILE).read_bytes()
    assert hashlib.sha256(data).hexdigest() == source["sha256"] and source["licence"] == "MIT"
    assert len(bot_list()) == source["patterns"] > 1000
    licence = files("kit.report").joinpath("data").joinpath("crawler-user-agents.LICENSE").read_text()
    assert "MIT" in licence and "Monperrus" in licence


def test_every_example_of_the_list_is_a_bot_and_people_are_not():
    bots = BotFilter()
    examples = [example for entry in bot_list() for example in entry.get("instances", [])]
    assert len(examples) > 2000
    assert [e for e in examples if not bots.is_bot(e.encode("latin-1", "replace"))] == []
    assert [ua for ua in PEOPLE if bots.is_bot(ua.encode())] == []
    assert [ua for ua in PREVIEWS if not bots.is_bot(ua.encode())] == []


def test_the_compiled_matcher_answers_as_the_patterns_do():
    patterns = [entry["pattern"] for entry in bot_list()]
    one_by_one = [re.compile(p) for p in patterns]
    matches = compile_patterns(patterns)
    samples = PEOPLE + PREVIEWS + [e for entry in bot_list()[::7] for e in entry.get("instances", [])[:1]]
    samples += ["Mozilla/5.0 (compatible; Seekbot/1.0)", "a Seekbot", "wget", "Wget/1.21", "SSL Labs"]
    for agent in samples:
        assert matches(agent) == any(p.search(agent) for p in one_by_one), agent
