"""The GraphQL schema's parts: types, inputs, enums, filters, list arguments, DataLoaders,
extensions (limits), admission and compiled execution. The resolvers build on them
(``resolvers/``); ``graphql_schema`` assembles the schema from both."""
