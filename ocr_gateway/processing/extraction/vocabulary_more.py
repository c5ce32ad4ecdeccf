"""Labels in Czech, Polish, Swedish, Norwegian, Danish, Finnish and Malay, merged into ``vocabulary``.

Written as ``vocabulary._RAW`` is (phrase, optional ``:weight``, phrases joined by "|") and
matched the same way: OCR-tolerantly and accent-insensitively, so "Daňový doklad" also
matches "Danovy doklad" and "Förfallodatum" "Forfallodatum" (``labels.py``). Kept apart
so that the seven original languages stay readable in ``vocabulary.py``.

Choices worth knowing: the Czech "DUZP" (date of the taxable supply) is a date that is not
the issue date, as the German "Leistungsdatum" is; "IČ"/"IČO", "DIČ", "NIP", "Org.nr" and
"CVR" are registration numbers, never the invoice's; the Czech "Dodavatel", Polish
"Sprzedawca" and Nordic "Leverantör"/"Leverandør" head the seller's block, "Odběratel",
"Nabywca" and "Kund"/"Kunde" the buyer's. The Finnish "Y-tunnus" (business id) and
"Viitenumero" (the payment reference) are no invoice numbers; "Veroton" (before tax) makes a
net, "Yhteensä" alone is the total.
"""

from __future__ import annotations

import re

LANGUAGES = ("cs", "pl", "sv", "no", "da", "fi", "ms")

RAW: dict[str, dict[str, str]] = {
    "invoiceNumber": {
        "cs": "číslo faktury|faktura číslo|faktura č|číslo dokladu:0.7|evidenční číslo:0.7",
        "pl": "nr faktury|numer faktury|faktura nr|faktura vat nr|faktura vat numer|nr:0.3",
        "sv": "fakturanummer|fakturanr|faktura nr",
        "no": "fakturanummer|fakturanr|faktura nr",
        "da": "fakturanummer|fakturanr|faktura nr",
        "fi": "laskun numero|laskun nro|laskunumero|lasku nro|lasku numero",
    },
    "invoiceDate": {
        "cs": "datum vystavení|vystaveno|datum vydání|datum:0.6",
        "pl": "data wystawienia|data faktury|wystawiono:0.8|data:0.6",
        "sv": "fakturadatum|datum:0.6",
        "no": "fakturadato|dato:0.6",
        "da": "fakturadato|dato:0.6",
        "fi": "laskun päivämäärä|laskun pvm|laskupäivä|päivämäärä:0.6|pvm:0.6",
    },
    "dueDate": {
        "cs": "datum splatnosti|splatnost|splatné do|splatno do",
        "pl": "termin płatności|termin zapłaty|płatne do|zapłata do",
        "sv": "förfallodatum|förfallodag|förfaller|betala senast|sista betalningsdag",
        "no": "forfallsdato|forfall|betalingsfrist:0.8|betales innen",
        "da": "forfaldsdato|forfald|betalingsfrist:0.8|sidste rettidige betalingsdag|betales senest",
        "fi": "eräpäivä|eräpäivämäärä|maksettava viimeistään|maksupäivä:0.6",
    },
    "total": {
        "cs": "celkem k úhradě|k úhradě:0.9|celkem s dph|celkem vč dph|celková částka|"
        "celkem:0.7|částka:0.35",
        "pl": "do zapłaty:0.9|razem do zapłaty|wartość brutto|kwota brutto|brutto:0.8|"
        "razem:0.6|suma:0.5|ogółem:0.6",
        "sv": "att betala:0.9|summa att betala|total inkl moms|totalt inkl moms|totalt:0.7|"
        "summa:0.5|belopp att betala|belopp:0.35",
        "no": "å betale:0.9|beløp å betale|total inkl mva|totalt inkl mva|sum inkl mva|"
        "totalt:0.7|sum:0.5|beløp:0.35",
        "da": "at betale:0.9|beløb at betale|total inkl moms|i alt inkl moms|i alt:0.7|"
        "total:0.7|beløb:0.35",
        "fi": "yhteensä:0.7|maksettava:0.9|maksettava yhteensä|loppusumma|verollinen yhteensä|"
        "yhteensä sis alv|summa:0.5",
    },
    "subtotal": {
        "cs": "celkem bez dph|základ daně:0.8|základ:0.6|mezisoučet",
        "pl": "wartość netto|kwota netto|razem netto|netto:0.7",
        "sv": "netto:0.6|summa exkl moms|totalt exkl moms|belopp exkl moms|delsumma",
        "no": "sum eks mva|totalt eks mva|beløp eks mva|netto:0.6|delsum",
        "da": "subtotal|i alt ekskl moms|total ekskl moms|beløb ekskl moms|netto:0.6",
        "fi": "veroton yhteensä|veroton summa|yhteensä ilman alv|veroton:0.7|välisumma",
    },
    "tax": {
        "cs": "dph|výše dph|částka dph|dph celkem|daň:0.7",
        "pl": "vat|kwota vat|podatek vat|wartość vat|razem vat",
        "sv": "moms|momsbelopp|summa moms|moms totalt",
        "no": "mva|merverdiavgift|mva beløp|sum mva",
        "da": "moms|momsbeløb|moms i alt",
        "fi": "alv|arvonlisävero|alv yhteensä|alv määrä|vero:0.7",
    },
    "taxBase": {
        "cs": "základ daně|základ",
        "pl": "podstawa opodatkowania",
        "sv": "momspliktigt belopp|underlag för moms",
        "no": "grunnlag mva|mva grunnlag|grunnlag",
        "da": "momsgrundlag|momspligtigt beløb",
        "fi": "veron peruste|veropohja",
    },
    "currency": {
        "cs": "měna",
        "pl": "waluta",
        "sv": "valuta",
        "no": "valuta",
        "da": "valuta",
        "fi": "valuutta",
    },
    "vendorName": {
        "cs": "dodavatel|prodávající",
        "pl": "sprzedawca|wystawca|sprzedający",
        "sv": "leverantör|säljare",
        "no": "leverandør|selger",
        "da": "leverandør|sælger",
        "fi": "myyjä|laskuttaja",
    },
    "buyer": {
        "cs": "odběratel|kupující|příjemce|fakturační adresa|dodací adresa",
        "pl": "nabywca|odbiorca|kupujący|płatnik",
        "sv": "kund|köpare|fakturaadress|leveransadress",
        "no": "kunde|kjøper|fakturaadresse|leveringsadresse",
        "da": "kunde|køber|faktureringsadresse|leveringsadresse",
        "fi": "asiakas|ostaja|laskutusosoite|toimitusosoite|vastaanottaja",
    },
    "otherId": {
        "cs": "ič|ičo|dič|variabilní symbol|konstantní symbol|objednávka|číslo účtu|"
        "bankovní účet|iban",
        "pl": "nip|regon|krs|nr zamówienia|numer zamówienia|nr konta|numer konta|bdo",
        "sv": "org nr|orgnr|organisationsnummer|momsreg nr|vat nr|kundnummer|bankgiro|"
        "plusgiro|ocr|er referens|vår referens|ordernummer",
        "no": "org nr|orgnr|organisasjonsnummer|foretaksregisteret|kundenummer|kontonummer|"
        "kid|deres ref|vår ref|ordrenummer",
        "da": "cvr|cvr nr|se nr|kundenummer|kontonummer|reg nr|ordrenummer|jeres ref|vores ref",
        "fi": "y-tunnus|ytunnus|alv-numero|alv nro|viitenumero|viite|asiakasnumero|tilausnumero|"
        "tilinumero",
    },
    "otherDate": {
        "cs": "duzp|datum uskutečnění zdanitelného plnění|datum zdanitelného plnění|"
        "datum plnění|datum dodání",
        "pl": "data sprzedaży|data dostawy|data wykonania usługi",
        "sv": "leveransdatum|orderdatum",
        "no": "leveringsdato|ordredato",
        "da": "leveringsdato|ordredato",
        "fi": "toimituspäivä|tilauspäivä",
    },
    "otherAmount": {
        "cs": "zaplaceno|záloha|sleva|množství|cena za mj|jednotková cena|zaokrouhlení",
        "pl": "zapłacono|zaliczka|rabat|ilość|cena jedn|cena jednostkowa",
        "sv": "rabatt|antal|à pris|styckpris|öresavrundning|avrundning|betalt",
        "no": "rabatt|antall|enhetspris|avrunding|betalt",
        "da": "rabat|antal|enhedspris|afrunding|betalt",
        "fi": "alennus|määrä|kpl|yksikköhinta|à-hinta|pyöristys|maksettu",
    },
    "heading": {
        "cs": "faktura|daňový doklad|faktura daňový doklad|dobropis|zálohová faktura",
        "pl": "faktura|faktura vat|faktura korygująca|rachunek",
        "sv": "faktura|kreditfaktura",
        "no": "faktura|kreditnota",
        "da": "faktura|kreditnota",
        "fi": "lasku|hyvityslasku",
    },
    "legal": {
        "cs": "zapsaná v obchodním rejstříku|obchodní rejstřík|spisová značka|jednatel",
        "pl": "kapitał zakładowy|sąd rejonowy|krs",
        "sv": "styrelsens säte|säte|godkänd för f-skatt|f-skatt",
        "no": "foretaksregisteret|daglig leder",
        "da": "direktør",
        "fi": "kotipaikka",
    },
}

# Malay, as Malaysian receipts and tax invoices print it.
MALAY: dict[str, str] = {
    "invoiceNumber": "no invois|nombor invois|no resit|no bil:0.8",
    "invoiceDate": "tarikh:0.6|tarikh invois",
    "total": "jumlah:0.7|jumlah besar|jumlah keseluruhan|jumlah perlu dibayar|"
    "jumlah bayaran:0.8|jumlah termasuk cukai|jumlah bersih:0.8|jumlah (rm)|jumlah rm",
    "subtotal": "jumlah kecil|subjumlah|jumlah sebelum cukai|jumlah tanpa cukai",
    "tax": "cukai|jumlah cukai|cukai jualan|cukai perkhidmatan:0.7",
    "otherAmount": "tunai|baki|bayaran|wang diterima|pembundaran|pelarasan pembundaran|"
    "diskaun|potongan|kuantiti|harga|harga seunit|kad kredit|kad debit",
    "heading": "invois|invois cukai|resit|resit rasmi",
}

# Words that qualify an amount label in these languages ("Celkem bez DPH", "Sum eks. mva").
MODIFIERS: dict[str, tuple[str, ...]] = {
    "net": ("bez", "eks", "ekskl", "exkl", "uden", "utan", "ilman", "veroton"),
    "gross": ("vč", "včetně", "inkl", "medregnet", "sis", "verollinen"),
}

# Legal forms that end a company name ("Novák s.r.o.", "Kowalski sp. j.").
LEGAL_FORMS = ("s.r.o.", "spol. s r.o.", "v.o.s.", "sp. j.", "sp. k.")


# Phrases added to the original languages: a credit note's gross is its "Total credit", a
# bill's its "Current charges" (``carried_balance``: not its amount due); the
# payee of a cheque is the seller ("Make checks payable to Blue Harbor Marine Services LLC");
# Canada's sales taxes beside GST/HST/PST: Quebec's QST, and their French names (TPS = GST,
# TVQ = QST, TVH = HST); a utility bill heads its customer's block "Service for" or
# "Supply address", and its fixed fee "Base charge" (a line item: not the Spanish tax base
# "Base"); an Italian invoice says when to pay with "(bonifico) entro il"; a Spanish tax
# table heads the tax "Cuota" (beside "Base" and "% IVA").
ADDED: dict[str, dict[str, str]] = {
    "tax": {"en": "qst", "fr": "tps|tvq|tvh", "es": "cuota:0.6"},
    "buyer": {"en": "service for|service address|supply address"},
    "dueDate": {"it": "bonifico entro il|saldo entro il|entro il:0.5"},
    "otherAmount": {"en": "base charge|basic charge|base fee|standing charge"},
    "total": {
        "en": "total credit|credit total|total credited|total amount credited|"
        "current charges:0.6|total current charges:0.9|new charges:0.6|total new charges:0.9"
    },
    "vendorName": {
        "en": "make checks payable to|make cheques payable to|checks payable to|"
        "cheques payable to|please make checks payable to|please make cheques payable to"
    },
}


def merged(raw: dict[str, dict[str, str]]) -> None:
    """Add these languages' labels, and ``ADDED``, to ``raw`` (``vocabulary._RAW``) in place."""
    for role, by_language in RAW.items():
        raw.setdefault(role, {}).update(by_language)
    for role, phrases in MALAY.items():
        raw.setdefault(role, {})["ms"] = phrases
    for role, by_language in ADDED.items():
        for language, phrases in by_language.items():
            known = raw.setdefault(role, {}).get(language)
            raw[role][language] = f"{known}|{phrases}" if known else phrases


# Words only one of the three crown countries prints: "kr" is that country's crown.
_CROWN_WORDS = {
    "NOK": "mva|forfallsdato|å betale|a betale|beløp|eks|merverdiavgift|kid",
    "DKK": "forfaldsdato|at betale|i alt|beløb|ekskl|cvr|momsbeløb",
    "SEK": "förfallodatum|forfallodatum|att betala|momsbelopp|exkl|förfallodag|bankgiro|summa",
}
_CROWN_PATTERNS = {
    code: re.compile(rf"(?<![^\W\d_])(?:{words})(?![^\W\d_])")
    for code, words in _CROWN_WORDS.items()
}


def crown(text: str) -> str | None:
    """SEK, NOK or DKK: the crown whose country's words ``text`` prints most, else None."""
    folded = text.casefold()
    counts = {code: len(p.findall(folded)) for code, p in _CROWN_PATTERNS.items()}
    best = max(counts, key=lambda code: counts[code])
    tied = sum(1 for n in counts.values() if n == counts[best]) > 1
    return best if counts[best] and not tied else None
