"""Persistence: engine and sessions, models, Alembic migrations, query helpers.

All SQL of the service lives in this package.
"""
