"""Sync between nodes: what crosses a node boundary, and how."""
