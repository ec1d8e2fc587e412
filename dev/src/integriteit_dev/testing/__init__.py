"""Test support: a real broker process, a real database, the real ASGI app over httpx.

Loaded as a pytest plugin (`-p integriteit_dev.testing.plugin`, set in pyproject).
"""
