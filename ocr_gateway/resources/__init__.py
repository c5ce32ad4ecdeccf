"""Every resource, declared once (see ``base``): look a resource up by its name here."""

from __future__ import annotations

from ocr_gateway.resources.base import Resource
from ocr_gateway.resources.job import JOB
from ocr_gateway.resources.job_group import JOB_GROUP
from ocr_gateway.resources.page import PAGE
from ocr_gateway.resources.template import TEMPLATE

RESOURCES: dict[str, Resource] = {r.name: r for r in (TEMPLATE, JOB_GROUP, JOB, PAGE)}
BY_TYPE: dict[str, Resource] = {r.type_name: r for r in RESOURCES.values()}
BY_TABLE: dict[str, Resource] = {r.table.name: r for r in RESOURCES.values()}

__all__ = ["BY_TABLE", "BY_TYPE", "JOB", "JOB_GROUP", "PAGE", "RESOURCES", "TEMPLATE", "Resource"]
