"""The size of a document with its fragments expanded, measured in linear time."""

from __future__ import annotations

import time

from graphql import get_introspection_query, parse

from ocr_gateway.schema.admission import expanded_selections
from tests.support.abuse import fragment_bomb


def test_counts_fields_nested_fields_and_inline_fragments() -> None:
    document = parse("{ a { b c ... on X { d } } e }")
    assert expanded_selections(document, 100) == 5


def test_counts_a_fragment_once_per_spread() -> None:
    document = parse("{ ...F x { ...F } } fragment F on Q { a b }")
    # the query: F (2) + x (1) + F (2); the fragment definition itself: 2
    assert expanded_selections(document, 100) == 7


def test_a_fragment_bomb_is_measured_in_linear_time_and_capped() -> None:
    document = parse(fragment_bomb(60))
    began = time.perf_counter()
    size = expanded_selections(document, 2_000)
    assert time.perf_counter() - began < 0.05
    assert size == 2_001  # 2**60 expanded; counting stops past the cap


def test_fragment_cycles_and_unknown_fragments_count_nothing() -> None:
    document = parse("{ ...A ...Missing } fragment A on Q { a ...B } fragment B on Q { b ...A }")
    assert expanded_selections(document, 100) < 100


def test_long_fragment_chains_do_not_recurse() -> None:
    length = 3_000  # the parser bounds nesting, not how many fragments spread one another
    chain = [f"fragment F{i} on Q {{ a{i} ...F{i + 1} }}" for i in range(length)]
    document = parse("{ ...F0 }" + " ".join(chain) + f" fragment F{length} on Q {{ z }}")
    # the query expands all of them; the fragment definitions, each its own tail
    expected = (length + 1) + sum(length - i + 1 for i in range(length + 1))
    assert expanded_selections(document, 10**9) == expected


def test_graphiql_introspection_fits_well_within_the_default_bound() -> None:
    assert expanded_selections(parse(get_introspection_query()), 2_000) < 1_000
