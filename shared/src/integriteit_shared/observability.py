"""Prometheus metrics: route templates, status codes and durations only (no ids, no text)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


class Metrics:
    def __init__(self, service: str) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "http_requests_total",
            "HTTP requests by route template and status.",
            ["service", "method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "http_request_duration_seconds",
            "HTTP request duration by route template.",
            ["service", "method", "route"],
            registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
        )
        self.outbox_backlog = Gauge(
            "outbox_backlog", "Unpublished outbox rows.", ["service"], registry=self.registry
        )
        self.events_published = Counter(
            "events_published_total",
            "Events published from the outbox.",
            ["service", "topic"],
            registry=self.registry,
        )
        self.events_consumed = Counter(
            "events_consumed_total",
            "Events consumed, by outcome.",
            ["service", "topic", "outcome"],
            registry=self.registry,
        )
        self.service = service
