"""GraphQL selection -> plan: what each response key is made of, in SQL terms.

A plan is made once per document and operation (and values of the variables its
``@skip``/``@include`` use) and holds no argument values: those are read per request by
``render`` from the field nodes kept in the plan. ``plan_root`` answers ``None`` for a root
field with anything the compiler does not cover; that root field goes to the executor.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from graphql import (
    FieldNode,
    GraphQLField,
    GraphQLObjectType,
    GraphQLSchema,
    OperationDefinitionNode,
    get_named_type,
)
from graphql.execution.collect_fields import (
    FieldDetailsList,
    FragmentDetails,
    collect_subfields,
)

from ocr_gateway.resources import BY_TYPE, RESOURCES, Resource
from ocr_gateway.resources.base import Kind, ToMany, ToOne

PAGE_STATUSES = ("pending", "queued", "processing", "processed", "failed")
JOB_STATUSES = {
    "pending": "pending",
    "queued": "queued",
    "processing": "processing",
    "completed": "completed",
    "partiallyFailed": "partially_failed",
    "failed": "failed",
}


class NotCompiled(Exception):
    """The selection has something only the executor resolves."""


@dataclass(frozen=True)
class Leaf:
    column: str
    kind: Kind


@dataclass(frozen=True)
class Typename:
    name: str


@dataclass(frozen=True)
class One:
    relation: ToOne
    target: ObjectPlan
    # Table aliases, made on first use (``render``) and kept with the cached plan.
    memo: dict[str, Any] = dataclass_field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Many:
    relation: ToMany
    target: ListPlan


@dataclass(frozen=True)
class Derived:
    builder: str  # a name in ``derived.BUILDERS``
    selection: tuple[tuple[str, str, Any], ...]  # (response key, field name, sub-selection)
    memo: dict[str, Any] = dataclass_field(default_factory=dict, compare=False, repr=False)


Entry = Leaf | Typename | One | Many | Derived


@dataclass(frozen=True)
class ObjectPlan:
    resource: Resource
    entries: tuple[tuple[str, Entry], ...]
    memo: dict[str, Any] = dataclass_field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class ListPlan:
    """``{items, totalCount}`` of a resource; the field node carries the arguments."""

    resource: Resource
    field: GraphQLField
    node: FieldNode
    items: ObjectPlan | None
    # (response key, "items" | "totalCount" | a type name (__typename) | an AggregatePlan)
    entries: tuple[tuple[str, Any], ...]
    memo: dict[str, Any] = dataclass_field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class AggregatePlan:
    """``aggregate { count countByStatus {..} sum {..} avg {..} min {..} max {..} }``:
    (response key, field, sub-selection: ((key, field), ...) or a type name)."""

    type_name: str
    selection: tuple[tuple[str, str, Any], ...]


@dataclass(frozen=True)
class ConnectionPlan:
    """``{edges {cursor node}, pageInfo {...}, totalCount}`` of a resource (root only)."""

    resource: Resource
    field: GraphQLField
    node: FieldNode
    nodes: ObjectPlan | None  # the ``node`` selection of ``edges``
    # (key, "totalCount" | a type name | ("edges", edge selection) | ("pageInfo", selection))
    entries: tuple[tuple[str, Any], ...]
    memo: dict[str, Any] = dataclass_field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class RootPlan:
    kind: str  # "list" | "one" | "connection" | "typename"
    field: GraphQLField | None
    node: FieldNode
    target: ListPlan | ObjectPlan | ConnectionPlan | None


@dataclass(frozen=True)
class Planner:
    schema: GraphQLSchema
    fragments: dict[str, FragmentDetails]
    variable_values: Any
    operation: OperationDefinitionNode

    def plan_root(self, root: GraphQLObjectType, details: FieldDetailsList) -> RootPlan | None:
        node = details[0].node
        if node.name.value == "__typename":
            return RootPlan("typename", None, node, None)
        field = root.fields.get(node.name.value)
        if field is None:
            return None
        named = get_named_type(field.type)
        try:
            if named.name in BY_TYPE:
                target: ListPlan | ObjectPlan = self._object(BY_TYPE[named.name], named, details)
                return RootPlan("one", field, node, target)
            resource = _listed(named.name)
            if resource is not None:
                return RootPlan("list", field, node, self._list(resource, field, details))
            resource = _connected(named.name)
            if resource is not None:
                plan = self._connection(resource, field, details)
                return RootPlan("connection", field, node, plan)
        except NotCompiled:
            return None
        return None

    def _subfields(self, parent: Any, details: FieldDetailsList) -> Mapping[str, FieldDetailsList]:
        if not isinstance(parent, GraphQLObjectType):
            raise NotCompiled(parent)
        collected = collect_subfields(
            self.schema, self.fragments, self.variable_values, self.operation, parent, details
        )
        return collected[0]

    def _object(
        self, resource: Resource, graphql_type: Any, details: FieldDetailsList
    ) -> ObjectPlan:
        entries: list[tuple[str, Entry]] = []
        for key, sub in self._subfields(graphql_type, details).items():
            name = sub[0].node.name.value
            entries.append((key, self._entry(resource, graphql_type, name, sub)))
        return ObjectPlan(resource, tuple(entries))

    def _entry(
        self, resource: Resource, graphql_type: Any, name: str, sub: FieldDetailsList
    ) -> Entry:
        if name == "__typename":
            return Typename(graphql_type.name)
        if name in resource.columns:
            column = resource.columns[name]
            return Leaf(column.name, column.kind)
        relation = resource.relations.get(name)
        field = graphql_type.fields[name]
        named = get_named_type(field.type)
        if isinstance(relation, ToOne):
            target = RESOURCES[relation.target]
            return One(relation, self._object(target, named, sub))
        if isinstance(relation, ToMany):
            return Many(relation, self._list(RESOURCES[relation.target], field, sub))
        computed = resource.computed.get(name)
        if computed is None:
            raise NotCompiled(f"{graphql_type.name}.{name}")
        return Derived(computed.builder, self._derived(named, sub))

    def _list(self, resource: Resource, field: GraphQLField, details: FieldDetailsList) -> ListPlan:
        list_type = get_named_type(field.type)
        items: ObjectPlan | None = None
        entries: list[tuple[str, Any]] = []
        for key, sub in self._subfields(list_type, details).items():
            name = sub[0].node.name.value
            if name == "items":
                assert isinstance(list_type, GraphQLObjectType)
                item_type = get_named_type(list_type.fields["items"].type)
                items = _merge(items, self._object(resource, item_type, sub))
                entries.append((key, "items"))
            elif name == "totalCount":
                entries.append((key, "totalCount"))
            elif name == "__typename":
                entries.append((key, list_type.name))
            elif name == "aggregate":
                assert isinstance(list_type, GraphQLObjectType)
                aggregate_type = get_named_type(list_type.fields["aggregate"].type)
                entries.append((key, self._aggregate(aggregate_type, sub)))
            else:
                raise NotCompiled(f"{list_type.name}.{name}")
        return ListPlan(resource, field, details[0].node, items, tuple(entries))

    def _connection(
        self, resource: Resource, field: GraphQLField, details: FieldDetailsList
    ) -> ConnectionPlan:
        connection_type = get_named_type(field.type)
        assert isinstance(connection_type, GraphQLObjectType)
        nodes: ObjectPlan | None = None
        entries: list[tuple[str, Any]] = []
        for key, sub in self._subfields(connection_type, details).items():
            name = sub[0].node.name.value
            if name in ("totalCount", "__typename"):
                entries.append((key, connection_type.name if name == "__typename" else name))
                continue
            part_type = get_named_type(connection_type.fields[name].type)
            selection = []
            for inner_key, inner in self._subfields(part_type, sub).items():
                inner_name = inner[0].node.name.value
                if inner_name == "node":
                    node_type = get_named_type(part_type.fields["node"].type)
                    if nodes is not None:
                        raise NotCompiled("node selected under two response keys")
                    nodes = self._object(resource, node_type, inner)
                selection.append((inner_key, inner_name, part_type.name))
            entries.append((key, (name, tuple(selection))))
        return ConnectionPlan(resource, field, details[0].node, nodes, tuple(entries))

    def _aggregate(self, graphql_type: Any, details: FieldDetailsList) -> AggregatePlan:
        selection: list[tuple[str, str, Any]] = []
        for key, sub in self._subfields(graphql_type, details).items():
            name = sub[0].node.name.value
            inner: Any = graphql_type.name
            if name not in ("count", "__typename"):
                part_type = get_named_type(graphql_type.fields[name].type)
                fields = self._subfields(part_type, sub).items()
                inner = (part_type.name, tuple((k, s[0].node.name.value) for k, s in fields))
            selection.append((key, name, inner))
        return AggregatePlan(graphql_type.name, tuple(selection))

    def _derived(
        self, graphql_type: Any, details: FieldDetailsList
    ) -> tuple[tuple[str, str, Any], ...]:
        """Progress / counts: (key, field, sub-selection of PageCounts / JobCounts)."""
        if not isinstance(graphql_type, GraphQLObjectType):
            return ()  # a scalar (pageCount, notifications)
        out: list[tuple[str, str, Any]] = []
        for key, sub in self._subfields(graphql_type, details).items():
            name = sub[0].node.name.value
            inner: Any = None
            if name in ("pages", "jobs"):
                counts_type = get_named_type(graphql_type.fields[name].type)
                inner = tuple(
                    (k, s[0].node.name.value) for k, s in self._subfields(counts_type, sub).items()
                )
                inner = (counts_type.name, inner)
            elif name == "__typename":
                inner = graphql_type.name
            out.append((key, name, inner))
        return tuple(out)


def _merge(first: ObjectPlan | None, second: ObjectPlan) -> ObjectPlan:
    # Two ``items`` keys (aliases) of one list share the list's rows: one plan for both
    # would need one subquery per key; the renderer builds each, so keep the last.
    if first is None:
        return second
    raise NotCompiled("items selected under two response keys")


def _connected(type_name: str) -> Resource | None:
    if type_name.endswith("Connection"):
        return BY_TYPE.get(type_name[: -len("Connection")])
    return None


def _listed(type_name: str) -> Resource | None:
    if type_name.endswith("List"):
        return BY_TYPE.get(type_name[: -len("List")])
    return None
