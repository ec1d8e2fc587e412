"""HTTP plumbing: app factory, problem+json, middleware, pagination, ADR OpenAPI."""
