"""The streamed log check's tree head equals RFC 6962's at every size (workflow.verify_log)."""

from __future__ import annotations

import hashlib

from workflow import merkle
from workflow.verify_log import Frontier


def test_the_frontier_gives_the_tree_head_of_every_prefix() -> None:
    leaves = [merkle.leaf_hash(hashlib.sha256(bytes([i])).digest()) for i in range(70)]
    frontier = Frontier()
    assert frontier.head() == merkle.tree_head([])
    for n, leaf in enumerate(leaves, 1):
        frontier.add(leaf)
        assert frontier.size == n
        assert frontier.head() == merkle.tree_head(leaves[:n]), n
