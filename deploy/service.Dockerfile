# One image recipe for every service (they differ only in name), built from the repo root:
#   docker build -f deploy/service.Dockerfile --build-arg SERVICE=meldpunt -t integriteit/meldpunt .
FROM python:3.11-slim AS build
ARG SERVICE
COPY --from=ghcr.io/astral-sh/uv:0.9 /uv /usr/local/bin/uv
WORKDIR /app
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PROJECT_ENVIRONMENT=/app/.venv
COPY pyproject.toml uv.lock ./
# Not dev/ (integriteit-dev: dev stack, dev broker, demo data, test tools): only the
# root project's dev group installs it, and --no-dev leaves that out.
COPY shared shared
COPY services services
RUN test -n "$SERVICE" && uv sync --frozen --no-dev --package "$SERVICE"

FROM python:3.11-slim
ARG SERVICE
RUN useradd --system --uid 10001 app
WORKDIR /app
COPY --from=build /app /app
ENV PATH=/app/.venv/bin:$PATH SERVICE=${SERVICE}
USER app
EXPOSE 8000
# Migrations run as their own step before the service starts: `integriteit migrate $SERVICE`.
# Proxy headers only from the proxies named in TRUSTED_PROXIES (the services' limiters read
# the same variable); without it uvicorn believes no X-Forwarded-For at all.
CMD ["sh", "-c", "if [ -n \"$TRUSTED_PROXIES\" ]; then set -- --proxy-headers --forwarded-allow-ips \"$TRUSTED_PROXIES\"; else set -- --no-proxy-headers; fi; exec uvicorn \"$SERVICE.main:create\" --factory --host 0.0.0.0 --port 8000 --no-access-log \"$@\""]
