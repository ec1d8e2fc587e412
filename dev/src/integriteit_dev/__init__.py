"""Development tools: the dev stack, the dev broker, the demo data, the pytest plugin.

In the root project's dev dependency group only; a production image (`uv sync --no-dev
--package SERVICE`) does not install it.
"""
