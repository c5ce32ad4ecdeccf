"""Documents an attacker sends: fragments that double at every level."""

from __future__ import annotations


def fragment_bomb(levels: int, *, leaf: str = "__typename", on: str = "Query") -> str:
    """``{ ...F<levels> }`` where each fragment spreads the previous one twice: 2**levels
    selections once expanded, from a document of ~40 bytes per level."""
    fragments = [f"fragment F0 on {on} {{ {leaf} }}"]
    fragments += [
        f"fragment F{i} on {on} {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, levels + 1)
    ]
    return f"{{ ...F{levels} }}\n" + "\n".join(fragments)
