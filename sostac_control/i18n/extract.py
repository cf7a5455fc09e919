"""Extract every message from the code and bring the catalogues up to date (`make messages`).

The messages are the arguments of `_()`, `gettext()`, `ngettext()` and `N_()` in the package,
the pages and app.py, and `{{ _("…") }}` / `{% trans %}` in the report templates. New messages
land in each `.po` with an empty translation (tests/i18n fails until someone writes it);
messages the code no longer has are dropped.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.pofile import read_po, write_po

from sostac_control.i18n.messages import catalogue_path

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
PYTHON = [("**.py", "python")]
TEMPLATES = [("**.py", "python"), ("**.j2", "jinja2")]
TRANSLATED = ("nl",)
STAMP = datetime(2026, 12, 1, tzinfo=UTC)
HEADER = """\
# Dutch messages of sostac-control: the English of the code on the msgid lines, the Dutch
# that Dutch social media managers read on the msgstr lines. `make messages` adds new ones.
#"""


def extract_messages(root: Path = ROOT) -> Catalog:
    """The template catalogue: every message of the package, the pages and app.py."""
    # A fixed date: the header stays the same from one `make messages` to the next (no
    # merge conflicts over a timestamp).
    template = Catalog(project="sostac-control", charset="utf-8", creation_date=STAMP)

    def add(found: object, base: str) -> None:
        for filename, lineno, message, comments, context in found:  # type: ignore[attr-defined]
            template.add(
                message,
                None,
                [(f"{base}/{filename}" if base else filename, lineno)],
                auto_comments=comments,
                context=context,
            )

    options = {"**.j2": {"extensions": "jinja2.ext.i18n"}}
    add(extract_from_dir(root / "sostac_control", TEMPLATES, options, KEYWORDS), "sostac_control")
    add(extract_from_dir(root / "app_pages", PYTHON, keywords=KEYWORDS), "app_pages")
    for lineno, message, comments, context in extract_from_file(
        "python", str(root / "app.py"), keywords=KEYWORDS
    ):
        template.add(message, None, [("app.py", lineno)], auto_comments=comments, context=context)
    return template


def read_catalogue(language: str) -> Catalog:
    """The `.po` catalogue of `language` (an empty one when there is none yet)."""
    path = catalogue_path(language)
    if not path.exists():
        return Catalog(locale=language, project="sostac-control", charset="utf-8")
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def update_catalogue(language: str, template: Catalog) -> tuple[int, int]:
    """Add the template's new messages to `language`'s catalogue and drop the ones the code
    no longer has; returns (added, dropped)."""
    catalogue = read_catalogue(language)
    before = {m.id for m in catalogue if m.id}
    catalogue.update(template, no_fuzzy_matching=True, update_header_comment=False)
    catalogue.header_comment = HEADER
    catalogue.fuzzy = False
    catalogue.revision_date = STAMP
    catalogue.last_translator = "sostac-control"
    catalogue.language_team = "Nederlands"
    catalogue.version = "1"
    after = {m.id for m in catalogue if m.id}
    path = catalogue_path(language)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(
            handle,
            catalogue,
            width=100,
            omit_header=False,
            ignore_obsolete=True,
            include_lineno=False,
            sort_by_file=True,
        )
    return len(after - before), len(before - after)


def main() -> int:
    """`python -m sostac_control.i18n.extract`: update every translated catalogue."""
    template = extract_messages()
    print(f"{len([m for m in template if m.id])} messages in the code")
    for language in TRANSLATED:
        added, dropped = update_catalogue(language, template)
        untranslated = [m for m in read_catalogue(language) if m.id and not m.string]
        print(
            f"{language}: {added} new, {dropped} dropped, {len(untranslated)} without a "
            f"translation ({catalogue_path(language).relative_to(ROOT)})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
