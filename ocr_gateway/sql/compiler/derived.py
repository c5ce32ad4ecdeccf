"""Fields derived in SQL: page counts, progress, the public notifications object, a
job's corrections.

They match ``schema.types`` (``Progress``, ``PageCounts``, ``JobCounts``, ``Job.page_count``)
and ``notifications.webhook.public_notifications`` value for value, key order included:
counts by status, ``percentDone`` rounded as Python rounds, the webhook secret replaced
by ``secretSet`` (appended last, as the executor does).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    FromClause,
    Text,
    case,
    cast,
    false,
    func,
    literal_column,
    null,
    select,
)
from sqlalchemy.dialects.postgresql import JSONB

from ocr_gateway.db.models import FieldCorrection, Job, Page
from ocr_gateway.sql.compiler.json_sql import JsonSql
from ocr_gateway.sql.compiler.plan import JOB_STATUSES, PAGE_STATUSES

Selection = tuple[tuple[str, str, Any], ...]
Memo = dict[str, Any]  # the plan entry's table aliases, made once
Builder = Callable[[JsonSql, FromClause, Selection, Memo], ColumnElement[Any]]
PAGE_STATS = "page_stats"
JOB_STATS = "job_stats"


def _by_status(status: Any, statuses: Any, total: str) -> list[Any]:
    counts = [func.count(case((status == value, 1))).label(value) for value in statuses]
    return [*counts, func.count().label(total)]


def _page_stats(json: JsonSql, pages: Any, parent: Any, where: Any, join: Any = None) -> Any:
    columns = _by_status(pages.c.status, PAGE_STATUSES, "total")
    stmt = select(*columns).select_from(pages if join is None else pages.join(*join))
    # A subquery in FROM: tied to the parent row explicitly.
    return stmt.where(where).correlate(parent).subquery(PAGE_STATS)


def _counts(json: JsonSql, stats: Any, selection: Any) -> ColumnElement[Any]:
    type_name, fields = selection
    pairs = []
    for key, name in fields:
        if name == "__typename":
            pairs.append((key, json.string(type_name)))
        else:
            pairs.append((key, stats.c[JOB_STATUSES.get(name, name)]))
    return json.object(pairs)


def _job_counts(
    json: JsonSql, group: FromClause, selection: Selection, total_only: bool, memo: Memo
) -> Any:
    jobs = _alias(memo, "counted_jobs", Job)
    columns = _by_status(jobs.c.status, JOB_STATUSES.values(), "total")
    query = select(*columns).where(jobs.c.group_id == group.c.id).correlate(group)
    stats = query.subquery(JOB_STATS)
    body = stats.c.total if total_only else _counts(json, stats, selection)
    return select(body).select_from(stats).scalar_subquery()


def _progress(
    json: JsonSql, table: FromClause, selection: Selection, stats: Any, memo: Memo
) -> ColumnElement[Any]:
    group = bool(memo["group"])  # a group's progress also counts its jobs
    pairs: list[tuple[str, ColumnElement[Any]]] = []
    done = f"({PAGE_STATS}.processed + {PAGE_STATS}.failed)"
    for key, name, inner in selection:
        if name == "pages":
            pairs.append((key, _counts(json, stats, inner)))
        elif name == "totalPages":
            pairs.append((key, stats.c.total))
        elif name == "percentDone":
            pairs.append((key, json.percent(done, f"{PAGE_STATS}.total")))
        elif name == "__typename":
            pairs.append((key, json.string(inner)))
        elif not group:  # a job's progress has no jobs
            pairs.append((key, null()))
        elif name == "jobs":
            pairs.append((key, json.nested(_job_counts(json, table, inner, False, memo))))
        else:  # totalJobs
            pairs.append((key, _job_counts(json, table, inner, True, memo)))
    return json.nested(select(json.object(pairs)).select_from(stats).scalar_subquery())


def job_progress(
    json: JsonSql, job: FromClause, selection: Selection, memo: Memo
) -> ColumnElement[Any]:
    pages = _alias(memo, "pages", Page)
    stats = _page_stats(json, pages, job, pages.c.job_id == job.c.id)
    memo["group"] = False
    return _progress(json, job, selection, stats, memo)


def group_progress(
    json: JsonSql, group: FromClause, selection: Selection, memo: Memo
) -> ColumnElement[Any]:
    pages, jobs = _alias(memo, "pages", Page), _alias(memo, "jobs", Job)
    join = (jobs, pages.c.job_id == jobs.c.id)
    stats = _page_stats(json, pages, group, jobs.c.group_id == group.c.id, join)
    memo["group"] = True
    return _progress(json, group, selection, stats, memo)


def page_count(
    json: JsonSql, job: FromClause, selection: Selection, memo: Memo
) -> ColumnElement[Any]:
    del json, selection
    pages = _alias(memo, "pages", Page)
    return select(func.count()).where(pages.c.job_id == job.c.id).scalar_subquery()


def public_notifications(
    json: JsonSql, group: FromClause, selection: Selection, memo: Memo
) -> ColumnElement[Any]:
    del selection, memo
    column = group.c.notifications
    if json.name == "postgresql":
        return _postgres_notifications(column)
    return _sqlite_notifications(json, column)


def _alias(memo: Memo, role: str, model: Any) -> Any:
    table = memo.get(role)
    if table is None:
        table = memo[role] = model.__table__.alias()
    return table


def _sql(text: str, type_: Any = None) -> Any:
    return literal_column(text, type_)


def _postgres_notifications(n: Any) -> ColumnElement[Any]:
    typeof = func.jsonb_typeof
    webhook = n.op("->", return_type=JSONB)(_sql("'webhook'"))
    secret = webhook.op("->", return_type=JSONB)(_sql("'secret'"))
    truthy = case(
        (
            typeof(secret) == _sql("'string'"),
            secret.op("#>>", return_type=Text)(_sql("'{}'")) != _sql("''"),
        ),
        (typeof(secret) == _sql("'boolean'"), secret == _sql("'true'::jsonb")),
        (typeof(secret) == _sql("'number'"), secret != _sql("'0'::jsonb")),
        (typeof(secret) == _sql("'array'"), secret != _sql("'[]'::jsonb")),
        (typeof(secret) == _sql("'object'"), secret != _sql("'{}'::jsonb")),
        else_=false(),
    )
    public = (
        webhook.op("-", return_type=JSONB)(_sql("'secret'"))
        .op("-", return_type=JSONB)(_sql("'secretSet'"))
        .op("||", return_type=JSONB)(func.jsonb_build_object(_sql("'secretSet'"), truthy))
    )
    return case(
        (func.coalesce(typeof(n), "") != _sql("'object'"), _sql("'{}'::jsonb", JSONB)),
        (typeof(webhook) == _sql("'object'"), func.jsonb_set(n, _sql("'{webhook}'"), public)),
        else_=n,
    )


def _sqlite_notifications(json: JsonSql, n: Any) -> ColumnElement[Any]:
    kind = func.json_type(n, "$.webhook.secret")
    value = func.json_extract(n, "$.webhook.secret")
    truthy = case(
        (kind == "text", value != ""),
        (kind == "true", True),
        (kind.in_(["integer", "real"]), value != 0),
        (kind == "array", func.json_array_length(n, "$.webhook.secret") > 0),
        (kind == "object", value != "{}"),
        else_=False,
    )
    public = func.json_set(
        func.json_remove(n, "$.webhook.secret", "$.webhook.secretSet"),
        "$.webhook.secretSet",
        json.boolean(truthy),
    )
    return case(
        (func.coalesce(func.json_type(n), "") != "object", func.json("{}")),
        (func.json_type(n, "$.webhook") == "object", public),
        else_=func.json(n),
    )


def _ocr_texts(column: str) -> Builder:
    """``Page.lines`` / ``Page.words``: the stored array as ``[{text, confidence, box}]``
    (floats as the executor writes them), null when nothing was read."""

    def build(json: JsonSql, page: FromClause, selection: Selection, memo: Memo) -> Any:
        del memo
        if json.name == "postgresql":
            return _postgres_ocr_texts(json, page.c[column], selection)
        return _sqlite_ocr_texts(json, page.c[column], selection)

    return build


def _postgres_ocr_texts(json: JsonSql, stored: Any, fields: Selection) -> Any:
    element = func.jsonb_array_elements(stored).table_valued("value", with_ordinality="n")
    element = element.render_derived("ocr_text", with_types=False)
    item = element.c.value
    pairs: list[tuple[str, Any]] = []
    for key, name, inner in fields:
        if name == "__typename":
            pairs.append((key, json.string(inner)))
        elif name == "text":
            pairs.append((key, item.op("->", return_type=JSONB)(_sql("'text'"))))
        elif name == "confidence":
            pairs.append((key, json.scalar(_pg_float(item, "confidence"), "float")))
        else:  # box
            pairs.append((key, _postgres_box(json, item)))
    rows = select(json.array(json.object(pairs), element.c.n)).select_from(element)
    return case(
        (func.jsonb_typeof(stored) == _sql("'array'"), json.nested(rows.scalar_subquery())),
        else_=null(),
    )


def _pg_float(item: Any, key: str) -> Any:
    return cast(item.op("->>", return_type=Text)(_sql(f"'{key}'")), Float)


def _postgres_box(json: JsonSql, item: Any) -> Any:
    corners = func.jsonb_array_elements_text(item.op("->", return_type=JSONB)(_sql("'box'")))
    corner = corners.table_valued("value", with_ordinality="n").render_derived(
        "corner", with_types=False
    )
    value = json.scalar(cast(corner.c.value, Float), "float")
    return json.nested(select(json.array(value, corner.c.n)).select_from(corner).scalar_subquery())


def _sqlite_ocr_texts(json: JsonSql, stored: Any, fields: Selection) -> Any:
    element = func.json_each(stored).table_valued("value")
    item = element.c.value
    pairs: list[tuple[str, Any]] = []
    for key, name, inner in fields:
        if name == "__typename":
            pairs.append((key, json.string(inner)))
        elif name == "text":
            pairs.append((key, func.json_extract(item, "$.text")))
        elif name == "confidence":
            pairs.append((key, json.scalar(func.json_extract(item, "$.confidence"), "float")))
        else:  # box
            corner = func.json_each(item, "$.box").table_valued("value")
            value = json.scalar(corner.c.value, "float")
            box = select(json.array(value, None)).select_from(corner).scalar_subquery()
            pairs.append((key, json.nested(box)))
    rows = select(json.array(json.object(pairs), None)).select_from(element)
    return case((func.json_type(stored) == "array", rows.scalar_subquery()), else_=null())


# FieldCorrection's GraphQL fields: column and how it is shown.
CORRECTION_FIELDS: dict[str, tuple[str, Any]] = {
    "field": ("field", "string"),
    "value": ("value", "string"),
    "normalizedValue": ("normalized_value", "string"),
    "previous": ("previous", "json"),
    "correctedBy": ("corrected_by", "string"),
    "correctedByKeyId": ("corrected_by_key_id", "id"),
    "correctedAt": ("corrected_at", "datetime"),
}


def job_corrections(
    json: JsonSql, job: FromClause, selection: Selection, memo: Memo
) -> ColumnElement[Any]:
    """``Job.corrections``: the job's rows as a JSON array, oldest first (then by id)."""
    rows = _alias(memo, "corrections", FieldCorrection)
    pairs: list[tuple[str, Any]] = []
    for key, name, inner in selection:
        if name == "__typename":
            pairs.append((key, json.string(inner)))
        else:
            column, kind = CORRECTION_FIELDS[name]
            pairs.append((key, json.scalar(rows.c[column], kind)))
    ordered = (
        select(
            json.object(pairs).label("j"),
            rows.c.corrected_at.label("t"),
            rows.c.id.label("i"),
        )
        .where(rows.c.job_id == job.c.id)
        .correlate(job)
        .order_by(rows.c.corrected_at, rows.c.id)
        .subquery("job_corrections")
    )
    value = json.array(json.column(ordered.c.j), [ordered.c.t, ordered.c.i])
    return json.nested(select(value).select_from(ordered).scalar_subquery())


BUILDERS: dict[str, Builder] = {
    "ocr_lines": _ocr_texts("ocr_lines"),
    "ocr_words": _ocr_texts("ocr_words"),
    "group_progress": group_progress,
    "job_progress": job_progress,
    "page_count": page_count,
    "job_corrections": job_corrections,
    "public_notifications": public_notifications,
}
