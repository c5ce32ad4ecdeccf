"""Query, mutation and subscription resolvers (the list arguments and the per-request
DataLoaders they use live in ``schema.arguments`` and ``schema.loaders``)."""
