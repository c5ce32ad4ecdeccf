"""What the rest of the page says about its amounts, beyond the labels beside them.

``amounts.choose_amounts`` asks these questions of the page:

- **balance after a prepayment**: an amount labelled as what is still to pay ("Zahlbetrag",
  "Amount due", "Net à payer", "Te betalen") printed below a prepayment ("Erhaltene
  Anzahlungen -500,00", "Deposit", "Acompte", "Anticipo") is the balance, not the gross
  total (EN 16931 keeps them apart: BT-112 against BT-115). It stays a total candidate at
  ``BALANCE_FACTOR`` of its score, so a page that prints only the balance gives way to the
  page with the gross total;
- **zero tax**: a page that says no tax is charged (a reverse charge or an exemption:
  "reverse charge", "autoliquidation", "btw verlegd", "steuerfrei"; or a tax rate of 0 %)
  and prints a net total equal to its gross total: a tax of 0.00 is offered (method
  ``arithmetic``) and the arithmetic decides. Equal totals alone say nothing: a page that
  prints no tax gets no tax field;
- **withholding and surcharges** (``total_adjustments``): an amount labelled as a tax
  withheld at source ("Ritenuta d'acconto 20% -200,00", "Retención IRPF 15%", "Retenção na
  fonte", "withholding tax"), which a professional's invoice in Italy, Spain or Portugal
  deducts from what the buyer pays, or as a tip or service charge ("Tip", "Gratuity",
  "Service Charge 10%", "Trinkgeld", "Pourboire", "Propina"), which a receipt adds: a total
  printed below it may be net + tax less the one or plus the other, and the arithmetic then
  holds. "Ritenuta d'acconto" is no prepayment ("acconto"), whatever its last word says;
- **credit notes**: a document titled as a credit note ("Credit note", "Avoir",
  "Gutschrift", "Nota de crédito", "Nota di credito", "Creditnota", "Nota de crédito")
  states its amounts as positive numbers, as EN 16931 does for type 381 (the title says
  which way the money goes), even when the page prints them with a minus. A corrective
  invoice ("Rechnungskorrektur", "Storno", "factura rectificativa") is an invoice with
  negative amounts and keeps its signs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ocr_gateway.processing.extraction.candidates import Candidate
from ocr_gateway.processing.extraction.evidence import EvidenceFinder
from ocr_gateway.processing.extraction.labels import LabelHit, fold_phrase

BALANCE_FACTOR = 0.25
ZERO_TAX_FACTOR = 0.8  # of the weaker of the net and the total it is derived from


def _phrases(raw: str) -> frozenset[str]:
    return frozenset(fold_phrase(p) for p in raw.split("|"))


# Total labels that name what is left to pay, not the invoice's gross amount.
BALANCE_LABELS = _phrases(
    "amount due|balance due|total due|amount payable|due payable|amount to pay|"
    "amount to be paid|to be paid|balance|zahlbetrag|zu zahlen|zu zahlender betrag|"
    "restbetrag|net a payer|montant a payer|reste a payer|solde a payer|total a payer|"
    "te betalen|totaal te betalen|saldo adeudado|importe adeudado|total a pagar|"
    "netto a pagare|totale da pagare|valor a pagar"
)
# Amount labels of a prepayment already received.
PREPAYMENT_LABELS = _phrases(
    "prepaid|prepayment|already paid|deposit|advance payment|payment received|"
    "anzahlung|anzahlungen|erhaltene anzahlung|erhaltene anzahlungen|bereits gezahlt|"
    "bereits bezahlt|vorauszahlung|acompte|deja paye|aanbetaling|"
    "reeds betaald|vooruitbetaling|anticipo|ya pagado|acconto|gia pagato|adiantamento|"
    "ja pago"
)
# Amount labels of a tax withheld at source, deducted from what the buyer pays.
WITHHOLDING_LABELS = _phrases(
    "withholding tax|withholding|tax withheld|amount withheld|quellensteuer|einbehalt|"
    "retenue à la source|inhouding|bronheffing|retención|retención irpf|retenciones|"
    "ret. irpf|irpf|ritenuta d'acconto|ritenuta di acconto|ritenuta|ritenuta irpef|"
    "ritenuta fiscale|rit. acconto|retenção na fonte|retenção|retenção irs|irs retido"
)
# Amount labels of a tip or service charge, added to the net and tax.
SURCHARGE_LABELS = _phrases(
    "tip|gratuity|service charge|svc charge|svc chg|serv charge|service chg|trinkgeld|"
    "bedienungszuschlag|pourboire|frais de service|fooi|servicekosten|propina|"
    "cargo por servicio|mancia|gorjeta|taxa de serviço"
)
WITHHELD, SURCHARGE = "withheld", "surcharge"
_ADJUSTMENT_KINDS = dict.fromkeys(WITHHOLDING_LABELS, WITHHELD) | dict.fromkeys(
    SURCHARGE_LABELS, SURCHARGE
)


@dataclass(frozen=True, slots=True)
class Adjustment:
    """An amount between net + tax and the total: ``kind`` ``withheld`` (the total is less)
    or ``surcharge`` (the total is more), ``value`` positive, on line ``line``."""

    kind: str
    value: Decimal
    line: int

    @property
    def gap(self) -> Decimal:
        """What it makes total - net - tax."""
        return self.value if self.kind == SURCHARGE else -self.value


# Document titles of a credit note, by folded phrase.
CREDIT_NOTE_TITLES = _phrases(
    "credit note|credit memo|avoir|note de credit|facture d'avoir|gutschrift|"
    "creditnota|creditfactuur|nota de credito|nota di credito|nota credito|abono"
)
_ZERO_RATE = re.compile(r"(?<![\d.,])0(?:[.,]0+)?\s?%")


def is_balance(candidate: Candidate, finder: EvidenceFinder) -> bool:
    """Whether ``candidate`` is labelled as the balance due and printed below a prepayment."""
    evidence = finder.evidence(candidate)
    if not evidence or _key(evidence[0].hit) not in BALANCE_LABELS:
        return False
    return any(
        h.role == "otherAmount" and _key(h) in PREPAYMENT_LABELS
        for line in finder.hits[: candidate.line]
        for h in line
    )


def total_adjustments(amounts: Sequence[Candidate], finder: EvidenceFinder) -> list[Adjustment]:
    """The page's taxes withheld at source and its tips and service charges: the amounts
    whose nearest label is one ("Ritenuta d'acconto 20% -200,00", "Tip $3.00")."""
    out = []
    for amount in amounts:
        evidence = finder.evidence(amount)
        kind = _ADJUSTMENT_KINDS.get(_key(evidence[0].hit)) if evidence else None
        value = magnitude(Decimal(amount.normalized))
        if kind is not None and value > 0:
            out.append(Adjustment(kind, value, amount.line))
    return out


def says_no_tax(finder: EvidenceFinder) -> bool:
    """Whether the page says its tax is zero: an exemption or a reverse charge ("Tax to be
    paid on reverse charge basis", "btw verlegd"), or a tax rate of 0 % beside a tax label
    somewhere on the page ("Tax ... 0%", "MwSt. 0,00 %")."""
    if any(h.role == "taxExempt" for line in finder.hits for h in line):
        return True
    taxed = any(h.role == "tax" for line in finder.hits for h in line)
    return taxed and any(_ZERO_RATE.search(line.text) for line in finder.page.lines)


def is_credit_note(hits: Sequence[Sequence[LabelHit]]) -> bool:
    """Whether the page's first document title is a credit note's ("Avoir AV-2017-0005")."""
    title = next((h for line in hits for h in line if h.role == "heading"), None)
    return title is not None and _key(title) in CREDIT_NOTE_TITLES


def magnitude(value: Decimal) -> Decimal:
    return -value if value < 0 else value


def _key(hit: LabelHit) -> str:
    return fold_phrase(hit.label.phrase)
