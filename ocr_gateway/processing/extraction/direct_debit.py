"""A date in a direct-debit sentence is when the money is due: the invoice's due date.

Utility, telecom and insurance bills paid by direct debit print no "Due date" label; they
say in a sentence when the amount will be taken: "We'll collect £60.00 by Direct Debit on
or after 26 March 2024", "Der Betrag wird am 01.02.2024 von Ihrem Konto abgebucht", "sera
prélevé le 05/03/2024". A date on such a line scores ``DEBIT_SCORE`` as the due date
(``scoring.date_scores``), below a labelled due date.
"""

from __future__ import annotations

import re
import unicodedata

DEBIT_SCORE = 0.7
_PHRASES = (
    r"direct debit|will be collected|we will collect|we'll collect|will be debited|"
    r"debited from your account|collected from your account|"
    r"abgebucht|eingezogen|lastschrift|abbuchung|"
    r"preleve|prelevee|prelevement|"
    r"afgeschreven|automatische incasso|geincasseerd|"
    r"domiciliado|se cargara|cargo en cuenta|"
    r"addebitato|addebito|"
    r"debito direto|debitado"
)
_DEBIT = re.compile(rf"(?<![^\W\d_])(?:{_PHRASES})(?![^\W\d_])")


def on_debit_line(text: str) -> bool:
    """Whether ``text`` (one line) says the amount is taken by direct debit."""
    plain = unicodedata.normalize("NFKD", text.casefold().replace("’", "'"))  # noqa: RUF001
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return _DEBIT.search(plain) is not None
