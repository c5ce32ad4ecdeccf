"""Templates: what to read off a page. Built-in templates belong to the code (read-only)."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import or_
from sqlalchemy.ext.asyncio import AsyncSession

from ocr_gateway.db import writes
from ocr_gateway.db.models import Job, JobGroup, Template
from ocr_gateway.errors import Conflict
from ocr_gateway.services.common import apply, flush, get_or_404
from ocr_gateway.services.validation import Checks

# easyocr's language codes (easyocr 1.7); kept here so the API never imports easyocr.
LANGUAGES = frozenset(
    [
        "abq",
        "ady",
        "af",
        "ang",
        "ar",
        "as",
        "ava",
        "az",
        "be",
        "bg",
        "bh",
        "bho",
        "bn",
        "bs",
        "ch_sim",
        "ch_tra",
        "che",
        "cs",
        "cy",
        "da",
        "dar",
        "de",
        "en",
        "es",
        "et",
        "fa",
        "fr",
        "ga",
        "gom",
        "hi",
        "hr",
        "hu",
        "id",
        "inh",
        "is",
        "it",
        "ja",
        "kbd",
        "kn",
        "ko",
        "ku",
        "la",
        "lbe",
        "lez",
        "lt",
        "lv",
        "mah",
        "mai",
        "mi",
        "mn",
        "mr",
        "ms",
        "mt",
        "ne",
        "new",
        "nl",
        "no",
        "oc",
        "pi",
        "pl",
        "pt",
        "ro",
        "ru",
        "rs_cyrillic",
        "rs_latin",
        "sck",
        "sk",
        "sl",
        "sq",
        "sv",
        "sw",
        "ta",
        "tab",
        "te",
        "th",
        "tjk",
        "tl",
        "tr",
        "ug",
        "uk",
        "ur",
        "uz",
        "vi",
    ]
)
FIELD_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")
CURRENCY = re.compile(r"^[A-Z]{3}$")
COLUMNS = {
    "name": "name",
    "description": "description",
    "languages": "languages",
    "fields": "fields",
    "options": "options",
    "active": "active",
}


NOT_NULL = ("name", "languages", "fields", "options", "active")


def _check(checks: Checks, data: dict[str, Any], *, creating: bool) -> None:
    checks.not_null(data, NOT_NULL)
    if creating or "name" in data:
        checks.text("name", data.get("name"), max_length=255, required=True)
    if data.get("description") is not None:
        checks.text("description", data["description"], max_length=10_000)
    if data.get("languages") is not None:
        _check_languages(checks, data["languages"])
    if data.get("fields") is not None:
        _check_fields(checks, data["fields"])
    if data.get("options") is not None:
        _check_options(checks, data["options"])


def _check_languages(checks: Checks, languages: Any) -> None:
    if not isinstance(languages, list) or not languages:
        checks.fail("languages", "must list at least one language code")
        return
    unknown = [code for code in languages if code not in LANGUAGES]
    if unknown:
        checks.fail(
            "languages", f"unknown easyocr language code(s): {', '.join(map(str, unknown))}"
        )


def _check_fields(checks: Checks, fields: list[dict[str, Any]]) -> None:
    if len(fields) > 100:
        checks.fail("fields", "must have at most 100 fields")
    seen: set[str] = set()
    for i, spec in enumerate(fields):
        where = f"fields[{i}]"
        name = spec.get("name", "")
        if not FIELD_NAME.match(name):
            checks.fail(f"{where}.name", "must start with a letter and use letters, digits, _")
        elif name in seen:
            checks.fail(f"{where}.name", f"duplicate field name {name!r}")
        seen.add(name)
        if spec.get("regex"):
            try:
                re.compile(spec["regex"])
            except re.error as exc:
                checks.fail(f"{where}.regex", f"is not a valid regular expression: {exc}")
        if not spec.get("regex") and not spec.get("labels"):
            checks.fail(where, "needs a regex or label keywords")
        region = spec.get("region")
        if region is not None:
            _check_region(checks, f"{where}.region", region)


def _check_region(checks: Checks, where: str, region: dict[str, float]) -> None:
    x, y, w, h = (region[k] for k in ("x", "y", "width", "height"))
    if not (0 <= x < 1 and 0 <= y < 1 and 0 < w <= 1 and 0 < h <= 1):
        checks.fail(where, "x and y must be in [0, 1), width and height in (0, 1]")
    elif x + w > 1.0001 or y + h > 1.0001:
        checks.fail(where, "must lie inside the page (x + width <= 1, y + height <= 1)")


def _check_options(checks: Checks, options: dict[str, Any]) -> None:
    if options.get("decimalSeparator") not in (None, ".", ","):
        checks.fail("options.decimalSeparator", "must be '.' or ','")
    currency = options.get("defaultCurrency")
    if currency is not None and not CURRENCY.match(currency):
        checks.fail("options.defaultCurrency", "must be an ISO 4217 code such as USD")
    formats = options.get("dateFormats") or []
    if len(formats) > 20:
        checks.fail("options.dateFormats", "must have at most 20 formats")


async def _check_name_free(
    session: AsyncSession, name: str | None, except_id: str | None = None
) -> None:
    if name and await writes.template_name_taken(session, name, except_id):
        raise Conflict(f"a template named {name!r} already exists", field="name")


async def create_template(session: AsyncSession, data: dict[str, Any]) -> Template:
    checks = Checks()
    _check(checks, data, creating=True)
    checks.raise_if_any()
    await _check_name_free(session, data["name"])
    template = Template(languages=["en"], fields=[], options={}, active=True, builtin=False)
    apply(template, data, COLUMNS)
    session.add(template)
    await flush(session, "a template with this name already exists")
    return template


async def update_template(session: AsyncSession, id: str, data: dict[str, Any]) -> Template:
    template = await get_or_404(session, Template, "Template", id)
    if template.builtin:
        raise Conflict("built-in templates are read-only; create a template to customise it")
    checks = Checks()
    _check(checks, data, creating=False)
    checks.raise_if_any()
    await _check_name_free(session, data.get("name"), except_id=id)
    apply(template, data, COLUMNS)
    await flush(session, "a template with this name already exists")
    return template


async def delete_template(session: AsyncSession, id: str) -> Template:
    template = await get_or_404(session, Template, "Template", id)
    if template.builtin:
        raise Conflict("built-in templates cannot be deleted")
    used = await writes.count_where(session, JobGroup, JobGroup.template_id == id)
    used += await writes.count_where(session, Job, or_(Job.template_id == id))
    if used:
        raise Conflict(
            f"template is used by {used} job group(s) or job(s); move them to another "
            "template or deactivate this one (active: false)",
            usages=used,
        )
    await session.delete(template)
    await session.flush()
    return template
