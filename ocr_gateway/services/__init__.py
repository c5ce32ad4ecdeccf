"""The rules of the resource model. Services validate, write and flush; the request
boundary (``schema.extensions.UnitOfWork``) commits or rolls back the whole request."""
