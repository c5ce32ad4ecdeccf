"""Reads compiled to SQL: a validated query's data fields become one SQL statement per root
field that returns the finished JSON (PostgreSQL ``json_build_object``/``json_agg``, SQLite
``json_object``/``json_group_array``), built by the database.

    plan.py      GraphQL selection -> a plan of columns, relations, lists and derived values,
                 made once per document and operation (``schema.compiled`` caches it)
    render.py    plan + the request's argument values -> one SQLAlchemy statement; the same
                 filter, search, sort and paging rules as the executor (``db.query``)
    json_sql.py  the JSON building blocks of each dialect, each value shown exactly as the
                 GraphQL executor shows it (ISO 8601 timestamps, floats, enums, nulls)
    derived.py   progress, page counts and the public notifications object, in SQL

A field the plan does not know (``Template.fields``, ``Page.lines``, deliveries …) makes
its root field ``None``: that root field is run by the Strawberry executor instead.
"""
