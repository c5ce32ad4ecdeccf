"""The REST ``filter`` parameter: MongoDB-style JSON, translated into the GraphQL filter input.

The translation produces the variables of a ``PageFilter`` / ``JobGroupFilter`` … input, so the
fields a client may filter on, the operators each field takes and the type of every operand
are the GraphQL schema's (read off the input types, never listed twice). The result is run
by ``ocr_gateway.db.query`` with bound parameters; nothing is spliced into SQL.

    Mongo                              GraphQL filter input
    {"f": v} / {"f": {"$eq": v}}       {f: {eq: v}}       (v null: {f: {exists: false}})
    {"f": {"$ne": v}}                  {f: {ne: v}}       (v null: {f: {exists: true}})
    $gt $gte $lt $lte $in $nin         gt gte lt lte in nin
    {"f": {"$exists": b}}              {f: {exists: b}}
    {"f": {"$gte": 1, "$lte": 5}}      {f: {gte: 1, lte: 5}}  (operators on a field are ANDed)
    {"$and": [...]} / {"$or": [...]}   {and: [...]} / {or: [...]}
    {"metadata.a.b": v}                {metadata: [{path: "a.b", eq: v}]}  (and every operator)
    {"tags": "t"} / {"$eq": "t"}       {tags: {has: "t"}}  (an array holding t, as in Mongo)
    {"tags": {"$in"|"$nin"|"$all": l}} {tags: {hasAny|hasNone|hasAll: l}}
    {"tags": []} / {"$ne": []}         {tags: {isEmpty: true|false}}
    {"tags": {"$ne": "t"}}             {tags: {hasNone: ["t"]}}

Keys at one level are ANDed. ``_id`` is accepted for ``id``. Anything else (an unknown field
or operator, a malformed operand) is a 400 naming the problem.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from graphql import GraphQLInputObjectType, GraphQLSchema, get_named_type

from ocr_gateway.rest.envelope import RestError
from ocr_gateway.rest.payload import loads

MAX_FILTER_CHARS = 8_000
MAX_NESTING = 8
INT64 = 2**63
COMPARISONS = {"$gt": "gt", "$gte": "gte", "$lt": "lt", "$lte": "lte"}
OPERATORS = ("$eq", "$ne", *COMPARISONS, "$in", "$nin", "$exists")
ALIASES = {"_id": "id"}
RELATED = ("RelationFilter", "TemplateFilter", "JobGroupFilter", "JobFilter", "PageFilter")
Kind = Literal["plain", "tags", "json"]


@dataclass(frozen=True)
class FieldRule:
    kind: Kind
    operators: frozenset[str]  # the GraphQL operator names the field's filter input has


@dataclass(frozen=True)
class Vocabulary:
    """What one resource's filter accepts, read off its GraphQL filter input type."""

    fields: Mapping[str, FieldRule]

    @classmethod
    def of(cls, schema: GraphQLSchema, input_type: str) -> Vocabulary:
        filter_type = schema.get_type(input_type)
        assert isinstance(filter_type, GraphQLInputObjectType), input_type
        rules: dict[str, FieldRule] = {}
        for name, spec in filter_type.fields.items():
            named = get_named_type(spec.type)
            if name in ("and", "or", "not") or named.name.endswith(RELATED):
                continue  # conditions on related rows are GraphQL's only
            assert isinstance(named, GraphQLInputObjectType), name
            operators = frozenset(named.fields)
            kind: Kind = (
                "json" if "path" in operators else "tags" if "hasAny" in operators else "plain"
            )
            rules[name] = FieldRule(kind, operators)
        return cls(rules)

    def describe(self) -> str:
        names = [f"{n}.<key>" if r.kind == "json" else n for n, r in self.fields.items()]
        return ", ".join(names)


def translate(raw: str | None, vocabulary: Vocabulary) -> dict[str, Any] | None:
    """The GraphQL filter variables for a ``filter`` query parameter (None when absent)."""
    if raw is None or not raw.strip():
        return None
    if len(raw) > MAX_FILTER_CHARS:
        raise _bad("filter", f"must be at most {MAX_FILTER_CHARS} characters")
    document = loads(raw, where="filter", status=400)
    if not isinstance(document, dict):
        raise _bad("filter", 'must be a JSON object, e.g. {"status": "processed"}')
    return _Translator(vocabulary).document(document, "filter", 0) or None


def _bad(where: str, message: str) -> RestError:
    return RestError.bad_input(400, where, message)


@dataclass
class _Conditions:
    """GraphQL filter terms of one level, ANDed; a repeated operator goes into ``and``."""

    out: dict[str, Any] = field(default_factory=dict)

    def add(self, name: str, operator: str, value: Any) -> None:
        operators = self.out.setdefault(name, {})
        if operator in operators:
            self.out.setdefault("and", []).append({name: {operator: value}})
        else:
            operators[operator] = value

    def add_json(self, path: str, operator: str, value: Any) -> None:
        self.out.setdefault("metadata", []).append({"path": path, operator: value})

    def add_logical(self, name: str, parts: list[dict[str, Any]]) -> None:
        self.out.setdefault(name, []).extend(parts)


@dataclass(frozen=True)
class _Translator:
    vocabulary: Vocabulary

    def document(self, doc: dict[str, Any], where: str, depth: int) -> dict[str, Any]:
        if depth > MAX_NESTING:
            raise _bad(where, f"$and/$or nest deeper than {MAX_NESTING} levels")
        conditions = _Conditions()
        for key, value in doc.items():
            at = f"{where}.{key}"
            if key in ("$and", "$or"):
                conditions.add_logical(key[1:], self._logical(value, at, depth))
            elif key.startswith("$"):
                raise _bad(at, "unknown top-level operator; use $and or $or")
            else:
                self._field(conditions, key, value, at)
        return conditions.out

    def _logical(self, value: Any, at: str, depth: int) -> list[dict[str, Any]]:
        if not isinstance(value, list) or not value:
            raise _bad(at, "must be a non-empty array of filter objects")
        parts = []
        for i, part in enumerate(value):
            if not isinstance(part, dict):
                raise _bad(f"{at}[{i}]", "must be a filter object")
            parts.append(self.document(part, f"{at}[{i}]", depth + 1))
        return parts

    def _field(self, conditions: _Conditions, key: str, value: Any, at: str) -> None:
        name, _, path = ALIASES.get(key, key).partition(".")
        rule = self.vocabulary.fields.get(name)
        if rule is None or (path and rule.kind != "json"):
            raise _bad(at, f"unknown filter field; filterable fields: {self.vocabulary.describe()}")
        if rule.kind == "json":
            if not path:
                raise _bad(at, f'name a key inside it with a dotted path, e.g. "{name}.customer"')
            for operator, operand in self._operators(value, at, literal_objects=True):
                conditions.add_json(path, *_json_term(operator, operand, f"{at}.{operator}"))
            return
        term = _tags_term if rule.kind == "tags" else _plain_term
        for operator, operand in self._operators(value, at, literal_objects=False):
            graphql_operator, graphql_value = term(operator, operand, f"{at}.{operator}")
            if graphql_operator not in rule.operators:
                never_null = graphql_operator == "exists" and operator != "$exists"
                problem = "cannot compare with null" if never_null else "operator not supported"
                raise _bad(f"{at}.{operator}", f"{problem} on this field")
            conditions.add(name, graphql_operator, graphql_value)

    @staticmethod
    def _operators(value: Any, at: str, *, literal_objects: bool) -> list[tuple[str, Any]]:
        """``{"$gte": 1, "$lt": 3}`` -> its pairs; any other value -> ``[("$eq", value)]``."""
        if not isinstance(value, dict) or not value:
            return [("$eq", value)]
        dollar = [k.startswith("$") for k in value]
        if not any(dollar) and literal_objects:
            return [("$eq", value)]  # a sub-document compared whole
        if not all(dollar):
            raise _bad(at, "use operators ($eq, $gt, $in, ...), not field names, here")
        unknown = [k for k in value if k not in OPERATORS and k != "$all"]
        if unknown:
            raise _bad(f"{at}.{unknown[0]}", f"unknown operator; use one of {', '.join(OPERATORS)}")
        return list(value.items())


def _plain_term(operator: str, value: Any, at: str) -> tuple[str, Any]:
    if operator in ("$eq", "$ne") and value is None:
        return "exists", operator == "$ne"
    if operator == "$all":
        raise _bad(at, "only array fields (tags) take $all")
    if isinstance(value, (dict, list)) and operator not in ("$in", "$nin"):
        raise _bad(at, "must be a single value")
    return _common_term(operator, value, at)


def _common_term(operator: str, value: Any, at: str) -> tuple[str, Any]:
    if operator in ("$in", "$nin"):
        if not isinstance(value, list):
            raise _bad(at, "must be an array")
        if any(v is None for v in value):
            raise _bad(at, "must not contain null")
        return operator[1:], value
    if operator == "$exists":
        if not isinstance(value, bool):
            raise _bad(at, "must be true or false")
        return "exists", value
    if value is None:
        raise _bad(at, "cannot compare with null")
    return COMPARISONS.get(operator, operator[1:]), value


def _json_term(operator: str, value: Any, at: str) -> tuple[str, Any]:
    if operator in ("$eq", "$ne") and value is None:
        return "exists", operator == "$ne"
    if operator == "$all":
        raise _bad(at, "only array fields (tags) take $all")
    for number in value if isinstance(value, list) else [value]:
        if isinstance(number, int) and not -INT64 <= number < INT64:
            raise _bad(at, "integers must fit in 64 bits")
    return _common_term(operator, value, at)


def _tags_term(operator: str, value: Any, at: str) -> tuple[str, Any]:
    if operator in ("$eq", "$ne") and value == []:
        return "isEmpty", operator == "$eq"
    if operator in ("$eq", "$ne"):
        if not isinstance(value, str):
            raise _bad(at, "compare tags with one tag (a string) or [] for no tags")
        return ("has", value) if operator == "$eq" else ("hasNone", [value])
    names = {"$in": "hasAny", "$nin": "hasNone", "$all": "hasAll"}
    if operator not in names:
        raise _bad(at, "tags take $eq, $ne, $in, $nin and $all")
    if not isinstance(value, list) or not value:
        raise _bad(at, "must be a non-empty array of tags")
    return names[operator], value
