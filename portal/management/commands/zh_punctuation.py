"""Full-width punctuation in the Chinese catalogue: "院校, 企业" → "院校，企业".

Only ``msgstr`` text changes, and only a comma, colon or semicolon next to Chinese
text; a ``yesno`` argument ("是,否") keeps its ASCII comma, which the filter splits on.
Run it after ``makemessages`` (``make messages`` does), then ``compilemessages``.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

HALF_TO_FULL = {",": "，", ":": "：", ";": "；"}
HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# A half-width mark after Chinese text, or before it (with the space around it).
AFTER_HAN = re.compile(rf"(?<=[{HAN}])[ \t]*([,:;])[ \t]*")
BEFORE_HAN = re.compile(rf"[ \t]*([,:;])[ \t]*(?=[{HAN}])")
# Arguments of the ``yesno`` filter ("Yes,No", "yes,no,maybe"): a list, not a sentence.
YESNO = re.compile(r"^[^\s,]+(,[^\s,]+){1,2}$")


def full_width(text: str) -> str:
    """The text with its half-width , : ; next to Chinese made full-width."""

    def replace(match: re.Match) -> str:
        return HALF_TO_FULL[match.group(1)]

    return BEFORE_HAN.sub(replace, AFTER_HAN.sub(replace, text))


def _quoted(line: str) -> str:
    """The string of a ``msgid "…"`` / ``"…"`` line, escapes left as they are."""
    return line[line.index('"') + 1 : line.rindex('"')]


def fix_catalogue(source: str) -> tuple[str, int]:
    """The .po text with its msgstrs fixed, and how many lines changed."""
    lines = source.split("\n")
    msgid: list[str] = []
    part = ""  # "msgid", "msgstr" or "" (between entries)
    changed = 0
    for number, line in enumerate(lines):
        if line.startswith("msgid "):
            part, msgid = "msgid", [_quoted(line)]
        elif line.startswith("msgid_plural"):
            part = "msgid_plural"
        elif line.startswith("msgstr"):
            part = "msgstr"
        elif line.startswith('"'):
            if part == "msgid":
                msgid.append(_quoted(line))
        else:  # a comment, an obsolete entry or the blank line between entries
            part = ""
        if part != "msgstr" or line.count('"') < 2 or YESNO.match("".join(msgid)):
            continue
        start, end = line.index('"') + 1, line.rindex('"')
        fixed = line[:start] + full_width(line[start:end]) + line[end:]
        if fixed != line:
            lines[number] = fixed
            changed += 1
    return "\n".join(lines), changed


class Command(BaseCommand):
    help = "Make half-width , : ; next to Chinese full-width in the zh_Hans catalogue."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Change nothing; fail if a line needs it."
        )

    def handle(self, *args, check=False, **options):
        path = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
        source = path.read_text(encoding="utf-8")
        fixed, changed = fix_catalogue(source)
        if check:
            if changed:
                raise CommandError(f"{changed} line(s) of {path.name} need full-width punctuation.")
            self.stdout.write("The Chinese catalogue uses full-width punctuation.")
            return
        if changed:
            path.write_text(fixed, encoding="utf-8")
        self.stdout.write(f"{changed} line(s) changed; run compilemessages next.")
