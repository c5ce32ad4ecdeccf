"""Query, mutation and subscription resolvers, and the per-request DataLoaders."""
