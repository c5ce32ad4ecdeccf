"""Duplicate invoices: a job whose invoice matches an earlier job's is flagged
``possibleDuplicateOf`` with that job's id. A hint for the person reviewing, never a block.

Two jobs match when, on their effective invoice data (corrections winning), either

    vendor + invoice number are equal                       (the number key), unless
        both invoices have a date and a total and both differ, or
    vendor + invoice date + total are equal, and so is the  (the amount key)
    currency when both jobs have one;

and a job without a vendor matches on invoice number + invoice date + total (its number
key, currencies compared as above). Invoice numbers are unique per issuer only: "1001" or
"2024-001" is printed by many vendors, so a number alone (or a number and a total, which
sequential numbers and round monthly fees share across vendors) would flag strangers;
number, day and amount together almost never coincide between issuers, and a document
uploaded twice whose vendor was not read still matches itself. The same vendor and number
on invoices of another day *and* another amount is another document: on real receipts the
"number" read is then mostly a company registration or terminal number printed on every
receipt of the shop (``bench/duplicates.py``), and a resent invoice keeps its date or its
amount (a changed amount on the same date, a new date on the same amount: still flagged).

Normalised before comparing (``keys_of``):

    invoice number  case, spaces and punctuation ignored (``INV-2024/001``, ``inv 2024 001``
                    and ``#INV2024001`` are one number); digits, leading zeros included,
                    are kept; a "number" with no digit in it is not one
    vendor          accents, case, spaces and punctuation folded, trailing legal forms
                    dropped (``Müller GmbH & Co. KG`` = ``MULLER``; ``Acme Sdn. Bhd.`` =
                    ``ACME``): ``LEGAL_FORMS``
    date            as a calendar date (the ISO date extraction and corrections store)
    total           as a decimal (``105.5`` = ``105.50``); a zero total proves nothing
    currency        ISO 4217 code

The earlier job is the earliest by (created_at, id) before this one that matches: the jobs
sharing a key are read with one indexed query, ``matches`` judges them. ``refresh`` recomputes it whenever a job's invoice data is written (``job_invoice``):
for the job, and for the later jobs that matched its old keys or match its new ones; a
deleted job's followers are re-pointed by ``recheck`` (``services.job`` / ``job_group``),
and the foreign key's ``ON DELETE SET NULL`` guarantees no flag ever points at a deleted
job whatever deletes it.

Races (PostgreSQL; SQLite runs one writer at a time, ``BEGIN IMMEDIATE``): two matching
jobs assembled at the same time in two transactions could each look for the other before
the other commits, and both miss. ``refresh`` first takes a transaction-level advisory lock
on each key it reads or writes (old and new, in sorted order), so transactions touching a
key run one after the other; the second one's statements (READ COMMITTED) see the first's
committed keys: if the earlier job commits first, the later job finds it; if the later job
commits first, the earlier job's refresh finds the later one among "later jobs with my
keys" and points it at itself. Either order ends with the flag set. What this does not
cover: a later job re-pointed because of one key is judged on its other key without that
key's lock; a concurrent change of that other key can leave its flag stale until the job
is next assembled or corrected (a hint that is late, not a lost invoice).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ocr_gateway.db import duplicates as stored
from ocr_gateway.db.models import Job
from ocr_gateway.events import StatusEvent, emit

MAX_VENDOR = 120  # characters of the folded vendor kept in a key (keys fit String(255))
MAX_NUMBER = 64
CURRENCY = re.compile(r"^[A-Z]{3}$")
# A dot or apostrophe inside a word joins its letters: S.A.R.L. -> SARL, e.K. -> eK.
INNER_MARK = re.compile("(?<=\\w)[.'\u2019](?=\\w)")
WORD = re.compile(r"\w+")


def _forms(text: str) -> frozenset[tuple[str, ...]]:
    return frozenset(tuple(form.split()) for form in text.strip().splitlines() if form.strip())


# Legal-form suffixes (after folding: lower case, no accents, no punctuation), by region.
LEGAL_FORMS = _forms("""
    gmbh
    mbh
    ag
    kg
    kgaa
    ohg
    ug
    gbr
    ek
    ev
    eg
    se
    co
    und co
    and co
    sarl
    sas
    sasu
    sa
    eurl
    sci
    snc
    scop
    ltd
    limited
    plc
    llp
    llc
    lp
    pllc
    inc
    incorporated
    corp
    corporation
    company
    bv
    nv
    vof
    cv
    sdn bhd
    bhd
    berhad
    pte ltd
    pty ltd
    pvt ltd
    private limited
    pte
    pty
    pvt
    srl
    spa
    sl
    slu
    sa de cv
    lda
    ltda
    ab
    as
    asa
    oy
    oyj
    aps
    sp z oo
    spzoo
    sro
    kft
    zrt
    doo
    ooo
""")
LONGEST_FORM = max(len(form) for form in LEGAL_FORMS)


@dataclass(frozen=True, slots=True)
class DuplicateKeys:
    """A job's normalised match keys; None where its invoice data lacks what a key needs."""

    number: str | None = None
    amount: str | None = None
    currency: str | None = None

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(key for key in (self.number, self.amount) if key is not None)

    @property
    def number_needs_currency(self) -> bool:
        """The number key holds a total (a job without a vendor): currencies must agree."""
        return self.number is not None and not self.number.startswith("v:")


def keys_of(invoice_data: Mapping[str, Any]) -> DuplicateKeys:
    """The match keys of a job's effective invoice data (``Job.invoice_data``)."""
    vendor = normalize_vendor(_value(invoice_data, "vendorName"))
    number = normalize_number(_value(invoice_data, "invoiceNumber"))
    day = normalize_date(_value(invoice_data, "invoiceDate"))
    total = normalize_total(_value(invoice_data, "total"))
    currency = normalize_currency(_value(invoice_data, "currency"))
    if vendor is not None:
        number_key = f"v:{vendor}|n:{number}" if number else None
        amount_key = f"v:{vendor}|d:{day}|t:{total}" if day and total else None
    else:
        number_key = f"n:{number}|d:{day}|t:{total}" if number and day and total else None
        amount_key = None
    return DuplicateKeys(number_key, amount_key, currency)


def matches(first: DuplicateKeys, second: DuplicateKeys) -> bool:
    """Whether two jobs' invoices are possibly one (module docstring): the amount key, or
    the number key in the same currency when it holds a total; a vendor's number shared by
    invoices of another date and another total is not (a registration or customer number
    read as the invoice number, or a number the vendor reused: another invoice)."""
    currencies_agree = None in (first.currency, second.currency) or (
        first.currency == second.currency
    )
    if first.amount is not None and first.amount == second.amount and currencies_agree:
        return True
    if first.number is None or first.number != second.number:
        return False
    if first.number_needs_currency:
        return currencies_agree
    return not _other_date_and_total(first.amount, second.amount)


def _other_date_and_total(first: str | None, second: str | None) -> bool:
    """Both amount keys (``v:<vendor>|d:<date>|t:<total>``) known, date and total differ."""
    if first is None or second is None:
        return False
    _, first_date, first_total = first.rsplit("|", 2)
    _, second_date, second_total = second.rsplit("|", 2)
    return first_date != second_date and first_total != second_total


def normalize_number(value: str | None) -> str | None:
    """An invoice number without case, spaces or punctuation; None without a digit."""
    if value is None:
        return None
    folded = "".join(c for c in unicodedata.normalize("NFKC", value).casefold() if c.isalnum())
    if not any(c.isdigit() for c in folded):
        return None
    return folded[:MAX_NUMBER]


def normalize_vendor(value: str | None) -> str | None:
    """A vendor name folded (accents, case, spaces, punctuation) without its legal form."""
    if value is None:
        return None
    decomposed = unicodedata.normalize("NFKD", value)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    words = WORD.findall(INNER_MARK.sub("", plain.replace("ß", "ss")))
    words = [w.replace("_", "") for w in words if w.replace("_", "")]
    words = _without_legal_forms(words)
    folded = "".join(words)
    return folded[:MAX_VENDOR] or None


def _without_legal_forms(words: list[str]) -> list[str]:
    """Drop legal forms from the end ("Acme Holdings GmbH & Co. KG" -> acme holdings), never
    the whole name ("SA" alone stays)."""
    stripped = True
    while stripped:
        stripped = False
        for size in range(min(LONGEST_FORM, len(words) - 1), 0, -1):
            if tuple(words[-size:]) in LEGAL_FORMS:
                words = words[:-size]
                stripped = True
                break
    return words


def normalize_date(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        return None


def normalize_total(value: str | None) -> str | None:
    """A total as a canonical decimal (``105.50`` -> ``105.5``); None for zero or garbage."""
    if value is None:
        return None
    try:
        number = Decimal(value.strip().replace(",", ""))
    except InvalidOperation:
        return None
    if not number.is_finite() or number.is_zero():
        return None
    return f"{number.normalize():f}"


def normalize_currency(value: str | None) -> str | None:
    code = value.strip().upper() if value else None
    return code if code and CURRENCY.match(code) else None


def _value(invoice_data: Mapping[str, Any], name: str) -> str | None:
    """A field's normalised value (its printed value when it has none) as text."""
    entry = invoice_data.get(name)
    if not isinstance(entry, Mapping):
        return None
    found = entry.get("normalizedValue")
    if found is None:
        found = entry.get("value")
    if isinstance(found, bool) or not isinstance(found, str | int | float | Decimal):
        return None
    text = str(found).strip()
    return text or None


# ------------------------------------------------------------------ stored flags


async def refresh(session: AsyncSession, job: Job) -> None:
    """After ``job.invoice_data`` changed: its keys and flag, and the flags of the later
    jobs its old or new keys concern (module docstring: what runs, and the races)."""
    old = DuplicateKeys(job.duplicate_key_number, job.duplicate_key_amount, job.duplicate_currency)
    new = keys_of(job.invoice_data)
    await stored.lock_keys(session, [*old.keys, *new.keys])
    job.duplicate_key_number, job.duplicate_key_amount = new.number, new.amount
    job.duplicate_currency = new.currency
    job.possible_duplicate_of = await _earliest(session, job.id, job.created_at, new)
    await session.flush()
    if old == new:  # the later jobs were judged on these very keys
        return
    later = await stored.later_jobs(
        session, job.id, job.created_at, keys=[*old.keys, *new.keys], pointing_at=job.id
    )
    await _repoint(session, later)


async def pointing_at(session: AsyncSession, job_ids: Iterable[str]) -> list[str]:
    """Before jobs are deleted: the other jobs flagged as their duplicates."""
    return await stored.pointing_at(session, list(job_ids))


async def group_followers(session: AsyncSession, group_id: str) -> list[str]:
    """Before a group's jobs are deleted: the jobs outside it flagged as their duplicates."""
    return await stored.pointing_at_group(session, group_id)


async def recheck(session: AsyncSession, job_ids: Iterable[str]) -> None:
    """Re-point these jobs (the followers of deleted jobs): each to its earliest match."""
    rows = await stored.candidates(session, list(job_ids))
    await stored.lock_keys(session, [k for row in rows for k in _keys(row).keys])
    await _repoint(session, rows)


async def _repoint(session: AsyncSession, rows: Iterable[stored.KeyedJob]) -> None:
    for row in rows:
        earliest = await _earliest(session, row.id, row.created_at, _keys(row))
        if earliest != row.possible_duplicate_of:
            await stored.set_duplicate_of(session, row.id, earliest)
            # Its new flag to subscribers (a review page open on it), as for other changes.
            await emit(session, StatusEvent("job", row.id, row.status, row.id, row.group_id))


async def _earliest(
    session: AsyncSession, job_id: str, created_at: Any, keys: DuplicateKeys
) -> str | None:
    if not keys.keys:
        return None
    candidates = await stored.earlier_candidates(
        session, job_id, created_at, number=keys.number, amount=keys.amount
    )
    return next((row.id for row in candidates if matches(keys, _keys(row))), None)


def _keys(row: stored.KeyedJob) -> DuplicateKeys:
    return DuplicateKeys(row.duplicate_key_number, row.duplicate_key_amount, row.currency)


async def backfill(sessionmaker: Callable[[], AsyncSession], *, batch: int = 200) -> int:
    """Keys and flags for the done jobs that have none (assembled before revision 0006, whose
    migration cannot import these rules): oldest first, so each finds the earlier ones, a
    transaction per batch. ``ocr-gateway migrate`` runs it once, when it applies 0006.
    Returns how many jobs were keyed."""
    keyed, after = 0, None
    while True:
        async with sessionmaker() as session, session.begin():
            jobs = await stored.unkeyed_jobs(session, after, batch)
            for job in jobs:
                await refresh(session, job)
                keyed += bool(job.duplicate_key_number or job.duplicate_key_amount)
        if len(jobs) < batch:
            return keyed
        after = (jobs[-1].created_at, jobs[-1].id)
