"""The built-in label vocabulary: what invoices print beside each field, in seven languages.

``LABELS[role]`` lists ``(phrase, weight, language)``: weight 1.0 for a label that names the
field outright ("Rechnungsnummer"), less for a generic one ("Date", "Total", "Summe"). Roles
are the generic template's field names plus the roles a value must *not* be mistaken for:

- ``otherId``: numbers that are not the invoice's (customer, order, VAT, IBAN, phone ...);
- ``otherDate``: dates that are not the issue or due date (delivery, order, period, paid);
- ``otherAmount``: amounts that are not a total, net or tax (cash, change, discount, paid,
  quantity, unit price ...);
- ``taxBase``: the base a tax is computed on (usually the net total);
- ``buyer``: labels that introduce the customer's block (the vendor is not there);
- ``heading``: document titles ("Invoice", "Rechnung", "Facture"): an id right after or
  under one is the invoice number;
- ``legal``: footer words that stand beside the seller's legal name ("Geschäftsführer").

``MODIFIERS`` are the neighbouring words that turn a generic amount label into a net or a
gross one ("Summe netto", "Total TTC", "zzgl. MwSt."). Phrases are matched OCR-tolerantly
and accent-insensitively (``labels.py``); write them as printed.
"""

from __future__ import annotations

from collections.abc import Iterator

from ocr_gateway.processing.extraction import vocabulary_more

Entry = tuple[str, float, str]


def _split(raw: str, separator: str = "|") -> tuple[str, ...]:
    return tuple(raw.split(separator))


_RAW: dict[str, dict[str, str]] = {
    "invoiceNumber": {
        "en": "invoice number|invoice no|invoice #|invoice num|invoice nr|invoice id|inv no|"
        "inv #|inv. no|bill number|bill no|receipt no|receipt number|receipt #|"
        "tax invoice no|tax invoice number|cash bill no|bill #|document no:0.6|doc no:0.6|"
        "invoice serial no|credit note number|credit note no|invoice:0.5|number:0.3|no:0.3",
        "de": "rechnungsnummer|rechnungsnr|rechnung nr|rechnungs nr|re nr|rechnungs nummer|"
        "belegnummer:0.7|belegnr:0.7|gutschriftsnummer|gutschrift nr|nummer:0.3|nr:0.3",
        "fr": "numero de facture|n° de facture|facture n°|facture no|n° facture|no facture|"
        "no de facture|facture numero|numero facture|n° d'avoir|avoir n°|numero d'avoir|"
        "numero:0.4|n°:0.3",
        "nl": "factuurnummer|factuurnr|factuur nr|factuur nummer|creditnotanummer",
        "es": "numero de factura|n° de factura|nº factura|factura n°|factura nº|factura no|"
        "num factura|factura numero|nro factura|no de factura|numero:0.4",
        "it": "numero fattura|fattura n|fattura n°|n fattura|numero documento:0.7|"
        "fattura numero|nr fattura",
        "pt": "numero da fatura|nº da fatura|fatura nº|numero de fatura|fatura n|n.º fatura|n.º da fatura|"
        "fatura numero|nota fiscal nº",
    },
    "invoiceDate": {
        "en": "invoice date|date of issue|issue date|issued on|date issued|issued|billing date|"
        "invoice dated|bill date|date of invoice|receipt date|document date|tax point:0.8|date:0.6|"
        "dated:0.6",
        "de": "rechnungsdatum|ausstellungsdatum|belegdatum|rechnungs datum|datum der rechnung|"
        "liefer- und rechnungsdatum:0.9|datum:0.6|gutschriftsdatum|vom:0.45|von:0.45",
        "fr": "date de facture|date de facturation|date d'emission|date facture|emise le|"
        "date de l'avoir|date:0.6|fait le:0.6|du:0.35",
        "nl": "factuurdatum|factuur datum|datum:0.6",
        "es": "fecha de factura|fecha factura|fecha de emision|fecha de expedicion|fecha:0.6",
        "it": "data fattura|data documento|data di emissione|data:0.6",
        "pt": "data da fatura|data de emissao|data do documento|data da emissao|data:0.6",
    },
    "dueDate": {
        "en": "due date|payment due|date due|due by|pay by|payable by|due on|payment due date|"
        "please pay by|pay before|due:0.7|payment date:0.5|remit until|please remit until|"
        "pay until|payable until",
        "de": "fälligkeitsdatum|fällig am|fällig bis|fällig|zahlbar bis|zahlbar bis zum|"
        "zahlungsziel|fälligkeit|fälligkeitstag|zahlungsfrist|zahlungstermin|netto bis:0.8|"
        "zahlbar bis spätestens|überweisen sie bis zum|bitte überweisen sie bis zum|"
        "überweisen bis|bis zum:0.5|zahlbar ohne abzug bis|zahlbar ohne abzug bis zum|"
        "zahlbar netto bis|bitte zahlen sie bis|bitte zahlen sie bis zum|zahlen sie bis",
        "fr": "date d'echeance|echeance|a payer avant le|date limite de paiement|payable le|"
        "a regler avant le|a regler le|date de reglement:0.5|payable avant le|payable au|"
        "echeance au|echeance le|a payer au plus tard le|a regler au plus tard le",
        "nl": "vervaldatum|vervaldag|te betalen voor|uiterste betaaldatum|betalen voor|"
        "betaling uiterlijk|uiterlijk betalen op|uiterlijk te betalen op|betaaldatum:0.6",
        "es": "fecha de vencimiento|vencimiento|fecha limite de pago|pagar antes de|"
        "pagar antes del|pago antes de|pago antes del|a pagar antes del",
        "it": "data di scadenza|scadenza|data scadenza|pagamento entro|pagamento entro il|"
        "da pagare entro il|da pagare entro|pagare entro il|scadenza pagamento",
        "pt": "data de vencimento|vencimento|pagar ate|data limite de pagamento|data limite pagamento|pagamento ate",
    },
    "total": {
        "en": "total due:0.8|amount due:0.6|balance due:0.5|invoice amount:0.9|grand total|invoice total|"
        "total amount|amount payable:0.8|total payable:0.8|total incl|total including|"
        "total inc|total inclusive|gross total|gross amount|total gross|total sales:0.8|"
        "nett total:0.8|net total incl:0.9|total amt|rounded total|total after rounding|"
        "total rm|total (rm)|total rounded|final total|total amount due:0.9|total to pay|amount to pay:0.8|"
        "total (incl|total value|total:0.7|amount:0.35|sum:0.4|total paid:0.5|"
        "amount paid:0.4|amt paid:0.4|due payable:0.8|payable:0.5|total amount paid:0.6|total charges:0.8|total price:0.6|"
        "amount to be paid:0.9|to be paid:0.8|total payable amount|due:0.6",
        "de": "gesamtbetrag|rechnungsbetrag|endbetrag|bruttobetrag|brutto:0.8|gesamtsumme|"
        "rechnungssumme:0.8|rechnungssumme brutto|summe brutto|gesamt brutto|bruttosumme|"
        "zahlbetrag:0.8|zu zahlen:0.8|zu zahlender betrag:0.8|gesamt:0.6|summe:0.5|endsumme|"
        "gesamtpreis:0.7|betrag:0.35|beitrag:0.5|zu zahlender beitrag:0.6|rechnungsendbetrag|gesamtbetrag brutto|total:0.7",
        "fr": "total ttc|montant ttc|net a payer:0.9|total a payer:0.85|montant total|"
        "total facture|montant a payer:0.8|ttc:0.8|total general|montant total ttc|"
        "total:0.7|montant:0.35",
        "nl": "totaal|totaalbedrag|te betalen:0.8|totaal incl|totaal te betalen|factuurbedrag|"
        "eindtotaal|bedrag incl|totaal bedrag|bedrag:0.35",
        "es": "total factura|importe total|total a pagar|total con iva|total:0.7|importe:0.35|"
        "saldo adeudado:0.6|importe adeudado:0.6",
        "it": "totale fattura|totale documento|importo totale|totale da pagare|"
        "netto a pagare:0.9|totale:0.7|importo:0.35",
        "pt": "valor total|total a pagar|total da fatura|montante total|total do documento|total geral|"
        "total:0.7|valor:0.35",
    },
    "subtotal": {
        "en": "subtotal|sub-total|sub total|net total|net amount|total net|total excl|"
        "total excluding|total exclusive|total before tax|amount before tax|total ex tax|"
        "total ex. tax|total ex vat|net value|goods total:0.8|total excl. gst|net:0.6|"
        "amount excl|amount excluding|total excl vat|total exclusive of gst|net price:0.5",
        "de": "nettobetrag|netto:0.7|summe netto|rechnungssumme netto|gesamt netto|zwischensumme|"
        "warenwert:0.7|nettosumme|summe positionen:0.7|gesamtbetrag netto|netto betrag|"
        "nettowert|summe der positionen:0.7|positionssumme:0.7|gesamtsumme netto",
        "fr": "total ht|montant ht|sous-total|sous total|total hors taxes|montant hors taxes|"
        "net ht|total net ht|ht:0.6",
        "nl": "subtotaal|totaal excl|netto bedrag|bedrag excl|totaal exclusief|netto:0.6",
        "es": "subtotal|importe neto|total sin iva|neto:0.6|base imponible:0.8|total parcial",
        "it": "imponibile:0.8|subtotale|totale imponibile|totale netto|netto:0.6",
        "pt": "subtotal|total sem iva|valor sem iva|base tributavel:0.8|valor liquido:0.6|"
        "total iliquido|total liquido:0.8|valor tributavel:0.8|total tributavel:0.8",
    },
    "tax": {
        "en": "tax|vat|gst|hst|pst|sales tax|tax amount|total tax|vat amount|total vat|"
        "tax total|total gst|gst amount|sst|service tax:0.7|igst|cgst|sgst|taxes|"
        "gst payable|vat total",
        "de": "mwst|mehrwertsteuer|umsatzsteuer|ust|ust betrag|mwst betrag|steuer:0.7|"
        "steuerbetrag|versicherungsteuer|versicherungssteuer|enthaltene mwst|enthaltene ust|"
        "darin enthaltene mwst|enthaltene versicherungsteuer|zzgl mwst|zuzüglich mwst|zzgl ust|zuzüglich ust|mwst summe|"
        "summe mwst|summe ust|umsatzsteuerbetrag",
        "fr": "tva|montant tva|total tva|total taxes|taxes:0.8|montant de la tva|taxe:0.7",
        "nl": "btw|btw bedrag|totaal btw",
        "es": "iva|cuota iva|total iva|importe iva|impuestos:0.8|total impuestos",
        "it": "iva|imposta|totale iva|importo iva",
        "pt": "iva|imposto|valor do iva|total iva",
    },
    # A page that says no tax is charged: with a net equal to the total, the tax is 0.00.
    "taxExempt": {
        "en": "reverse charge|no vat charged|vat exempt|exempt from vat|tax exempt|"
        "zero rated|zero-rated|not subject to vat|vat not applicable",
        "de": "steuerschuldnerschaft des leistungsempfängers|umkehr der steuerschuld|"
        "steuerfrei|umsatzsteuerfrei|nicht steuerbar|steuerbefreit",
        "fr": "autoliquidation|exonere de tva|exoneration de tva|tva non applicable|exoneration",
        "nl": "btw verlegd|verlegd|vrijgesteld van btw|btw vrijgesteld",
        "es": "inversion del sujeto pasivo|exento de iva|iva exento",
        "it": "inversione contabile|esente iva|non soggetto a iva|reverse charge",
        "pt": "autoliquidacao|isento de iva|iva autoliquidacao",
    },
    "taxBase": {
        "en": "taxable amount|tax base|taxable value|amount subject to tax",
        "de": "steuerbasisbetrag|steuerbasis|bemessungsgrundlage|steuerpflichtiger betrag|"
        "basisbetrag",
        "fr": "base|base ht|base imposable|montant imposable",
        "nl": "grondslag|belastbaar bedrag",
        "es": "base imponible|base",
        "it": "imponibile|base imponibile",
        "pt": "base tributavel|base de incidencia",
    },
    "currency": {
        "en": "currency|amounts in|all amounts in|prices in",
        "de": "währung|beträge in|alle beträge in|betrag in",
        "fr": "devise|montants en|monnaie",
        "nl": "valuta|bedragen in",
        "es": "moneda|divisa|importes en",
        "it": "valuta|importi in",
        "pt": "moeda|valores em",
    },
    "vendorName": {
        "en": "vendor|supplier|seller|sold by|bill from|issued by|from:0.5|billed by|"
        "merchant|company name:0.6|provided by|products provided by|product(s) provided by|"
        "services provided by|name:0.4",
        "de": "rechnungssteller|rechnungsersteller|verkäufer|anbieter|leistungserbringer|"
        "absender:0.6",
        "fr": "fournisseur|vendeur|emetteur|prestataire",
        "nl": "leverancier|verkoper",
        "es": "proveedor|vendedor|emisor",
        "it": "fornitore|venditore|cedente",
        "pt": "fornecedor|vendedor|emitente",
    },
    "buyer": {
        "en": "bill to|billed to|invoice to|sold to|ship to|deliver to|delivery address|"
        "customer|client|buyer|recipient|billing address|shipping address|attention|attn|"
        "billing contact|technical contact|licensed to|invoiced to|charge to|customer name",
        "de": "rechnungsempfänger|rechnungsadresse|kunde|lieferadresse|empfänger|"
        "leistungsempfänger|käufer|lieferanschrift|rechnungsanschrift|auftraggeber|herrn",
        "fr": "facture a|facturé à|adresse de facturation|adresse de livraison|client|"
        "destinataire|acheteur|livré à|livre a",
        "nl": "factuuradres|klant|afnemer|afleveradres|gefactureerd aan|factuur aan|"
        "leveringsadres|verzenden naar",
        "es": "facturar a|cliente|comprador|destinatario|direccion de envio|cobrar a|"
        "enviar a|envie a|direccion de facturacion|facturado a",
        "it": "fatturare a|cliente|destinatario|intestatario|committente|spettabile|"
        "fatturato a|spedire a|indirizzo di spedizione|indirizzo di fatturazione|spett.le",
        "pt": "faturar a|cliente|comprador|destinatario|faturado a|enviar para|"
        "morada de faturacao|morada de entrega|adquirente|exmos srs|exmo sr|exmos senhores|"
        "exma sra",
    },
    "otherId": {
        "en": "customer number|customer no|customer id|account number|account no|account id|"
        "order number|order no|order #|order id|purchase order|po number|po no|po #|"
        "reference|your reference|our reference|ref|vat number|vat no|vat id|vat reg no|"
        "tax id|tax number|tax no|gst no|gst reg no|gst id|company no|company reg no|"
        "registration no|reg no|iban|bic|swift|phone|tel|fax|mobile|contract number|"
        "policy number|delivery note|billing id|mandate reference|creditor id|member|"
        "table|cashier|terminal|sst id|roc no|brn|card|card no|approval code|auth code|"
        "transaction id|trans id|serial|sort code|abn|ein|entitlement number|site|"
        "counter|pos|shift|ticket|invoice serial#|co no|co reg no|co reg|company reg|"
        "business reg no|gst reg|sst reg no|original invoice|original invoice no|related invoice|"
        "credited invoice|corrected invoice|against invoice",
        "de": "kundennummer|kunden nr|kundennr|auftragsnummer|auftrags nr|auftragsnr|"
        "bestellnummer|bestell nr|bestellnr|lieferscheinnummer|lieferschein nr|ust idnr|"
        "ust id|ustid|ust-identnr|steuernummer|steuer nr|steuernr|st nr|handelsregister|"
        "hrb|vertragsnummer|versicherungsnummer|vsnr|mandatsreferenz|gläubiger id|"
        "referenz|ihre referenz|unsere referenz|leitweg id|kontonr|konto nr|blz|"
        "personalnummer|ihre auftragsnummer|vorgangsnummer|projektnummer|telefon|"
        "handelsreg|registergericht|iban nr|ust identnr|zu rechnung|zur rechnung|"
        "ursprungsrechnung|originalrechnung|bezug rechnung",
        "fr": "n° de facture associee|n° client|numero client|code client|reference client|n° de commande|"
        "numero de commande|bon de commande|siret|siren|n° tva|tva intracommunautaire|"
        "numero de tva|rcs|ape|votre reference|notre reference|ref|n° tva client|"
        "reference|ref marche|n° tva intracom|facture d'origine|facture initiale|sur facture",
        "nl": "klantnummer|ordernummer|btw nummer|btw nr|kvk|referentie|klantnr",
        "es": "nº cliente|numero de cliente|pedido|nº pedido|nif|cif|numero de pedido|referencia|"
        "factura rectificada|factura original",
        "it": "codice cliente|partita iva|p iva|codice fiscale|ordine n|riferimento|"
        "fattura di riferimento|fattura originale|rif fattura",
        "pt": "nº cliente|nif|numero de contribuinte|encomenda|referencia|fatura de origem|"
        "fatura original",
    },
    "otherDate": {
        "en": "delivery date|service date|order date|ship date|shipping date|period|"
        "billing period|service period|date paid|paid on|payment date:0.6|date of supply|"
        "supply date|valid until|order dated|time|printed",
        "de": "leistungsdatum|lieferdatum|bestelldatum|auftragsdatum|leistungszeitraum|"
        "abrechnungszeitraum|rechnungszeitraum|zeitraum|bestellung vom|lieferung vom|leistung vom|"
        "zahlungsdatum:0.6|gültig bis|erstellt am:0.5|druckdatum",
        "fr": "date de livraison|date de commande|periode|date de prestation|date de facture associee|"
        "date de debut de prestation|date de fin de prestation|"
        "date de paiement:0.6|valable jusqu'au",
        "nl": "leverdatum|besteldatum|periode|leveringsdatum",
        "es": "fecha de entrega|fecha de pedido|periodo|fecha de pago:0.6",
        "it": "data di consegna|periodo|data ordine|data pagamento:0.6",
        "pt": "data de entrega|periodo|data do pedido|data de pagamento:0.6",
    },
    "otherAmount": {
        "en": "change|cash|tendered|cash tendered|paid|payment|payment received|rounding|"
        "rounding adj|rounding adjustment|round off|discount|deposit|prepaid|already paid|"
        "credit|prepayment|advance payment|qty|quantity|items|item|unit price|price|balance|amount now due|"
        "invoice balance|you save|saving|points|tip|voucher|card|visa|mastercard|"
        "total qty|total quantity|total items|no of items|total discount|cash received|"
        "amount tendered|credit card|change due|rate|unit cost|pay|withholding tax|"
        "withholding|tax withheld|amount withheld|gratuity|service charge|svc charge|"
        "svc chg|serv charge|service chg",
        "de": "ausstehende forderung|forderung|vorauszahlung|erhaltene anzahlung|erhaltene anzahlungen|rabatt|rabattbetrag|frachtbetrag|nachlass|skonto|anzahlung|bereits gezahlt|bereits bezahlt|abschlag|menge|"
        "einzelpreis|preis|bar|rückgeld|gegeben|gezahlt|restbetrag|offener betrag|"
        "stückpreis|e-preis|ep|quellensteuer|einbehalt|trinkgeld|bedienungszuschlag",
        "fr": "remise|acompte|deja paye|rendu|especes|quantite|prix unitaire|prix|"
        "solde a payer|reste a payer|solde|escompte|retenue à la source|pourboire|"
        "frais de service",
        "nl": "korting|aanbetaling|reeds betaald|vooruitbetaling|aantal|prijs|stukprijs|wisselgeld|"
        "inhouding|bronheffing|fooi|servicekosten",
        "es": "descuento|anticipo|ya pagado|cantidad|precio|precio unitario|cambio|entregado|"
        "retención|retención irpf|retenciones|ret. irpf|irpf|propina|cargo por servicio",
        "it": "sconto|acconto|gia pagato|quantita|prezzo|prezzo unitario|resto|"
        "ritenuta d'acconto|ritenuta di acconto|ritenuta|ritenuta irpef|ritenuta fiscale|"
        "rit. acconto|mancia",
        "pt": "desconto|adiantamento|ja pago|quantidade|preco|preco unitario|troco|"
        "retenção na fonte|retenção|retenção irs|irs retido|gorjeta|taxa de serviço",
    },
    "heading": {
        "en": "invoice|tax invoice|receipt|bill|cash bill|official receipt|credit note|"
        "simplified tax invoice|sales invoice|commercial invoice|proforma invoice|"
        "tax invoice / receipt|invoice / receipt|credit memo",
        "de": "rechnung|handelsrechnung|gutschrift|rechnungskorrektur|storno|quittung|kostenrechnung|"
        "warenrechnung|teilrechnung|schlussrechnung|abschlagsrechnung",
        "fr": "facture|avoir|note de credit|facture d'acompte",
        "nl": "factuur|creditnota|creditfactuur|verkoopfactuur",
        "es": "factura|abono|nota de credito|factura simplificada|factura rectificativa",
        "it": "fattura|nota di credito|nota credito|ricevuta|fattura elettronica",
        "pt": "fatura|nota de credito|recibo|fatura-recibo|fatura simplificada",
    },
    "legal": {
        "en": "registered office|registered in|company registration|directors|director|"
        "managing director|ceo|incorporated|company number|reg. office",
        "de": "geschäftsführer|geschäftsführung|gf|sitz der gesellschaft|amtsgericht|"
        "registergericht|handelsregister|vorstand|inhaber|sitz",
        "fr": "siege social|capital de|capital social|rcs|siret|gerant|sarl au capital",
        "nl": "kvk|statutair gevestigd|directeur",
        "es": "domicilio social|registro mercantil|capital social",
        "it": "sede legale|capitale sociale|rea|registro imprese",
        "pt": "sede|capital social|conservatoria",
    },
}

# Words that qualify an amount label: net vs gross, and "plus tax".
MODIFIERS: dict[str, tuple[str, ...]] = {
    "net": _split(
        "net|nett|netto|excl|exkl|excluding|exclusive|ex|ht|hors|sin|sem|before|"
        "exclusief|ohne|senza|zonder"
    ),
    "gross": _split(
        "gross|brutto|incl|inkl|including|inclusive|inc|ttc|con|tvac|inclusief|"
        "incluida|incluido|compris|comprise|einschl|rounded|gerundet|arrondi"
    ),
    "plus": _split("zzgl|zuzüglich|plus|zuzgl|add"),
}

# Czech, Polish, Swedish, Norwegian and Danish (``vocabulary_more``).
vocabulary_more.merged(_RAW)
MODIFIERS = {
    kind: (*forms, *vocabulary_more.MODIFIERS.get(kind, ())) for kind, forms in MODIFIERS.items()
}

LANGUAGES = ("en", "de", "fr", "nl", "es", "it", "pt", *vocabulary_more.LANGUAGES)

# German compounds: a word ending in one of these is that label ("Mietrechnung",
# "Stromrechnungsnummer"), checked longest first.
COMPOUND_ENDINGS = {
    "rechnungsnummer": "invoiceNumber",
    "rechnungsdatum": "invoiceDate",
    "rechnung": "heading",
    "gutschrift": "heading",
}

# Legal forms that end a company name ("Kraxi GmbH", "SWC ENTERPRISE SDN BHD").
LEGAL_FORMS = _split(
    "gmbh|ag|kg|ohg|gbr|ug|e.k.|ek|mbh|se|kgaa|ltd|limited|llc|llp|lp|inc|"
    "incorporated|corp|corporation|co|plc|pty|pte|sdn bhd|bhd|berhad|s/b|s.a.|sa|"
    "s.a.s.|sas|sasu|sarl|eurl|sci|scop|s.l.|sl|s.l.u.|slu|s.a.u.|b.v.|bv|n.v.|nv|"
    "vof|s.p.a.|spa|s.r.l.|srl|s.n.c.|snc|lda|ltda|s.a.r.l.|a.g.|a.s.|as|asa|ab|oy|"
    "oyj|aps|a/s|sp. z o.o.|kft|zrt|d.o.o.|ou|a.g|e.v.|ev|eg|mbh & co. kg|& co. kg|"
    "gmbh & co. kg|pvt|private limited|pvt ltd|enterprise|enterprises|trading|"
    "company"
)
LEGAL_FORMS += vocabulary_more.LEGAL_FORMS

# Words that make a line look like a shop or firm (receipts rarely print a legal form).
BUSINESS_WORDS = frozenset(
    _split(
        "restaurant|restoran|cafe|café|kafe|bakery|mart|minimart|supermarket|store|stores|"
        "shop|station|hardware|pharmacy|farmasi|hotel|services|service|solutions|industries|"
        "industry|holdings|group|gruppe|studio|agency|agentur|software|systems|technologies|"
        "tech|media|marketing|consulting|beratung|engineering|logistics|motor|motors|"
        "electrical|elektro|stationery|bookstore|books|kedai|pasaraya|food|foods|kitchen|"
        "bistro|bar|grill|pizza|pizzeria|kopitiam|boutique|optical|clinic|klinik|medical|automobile|auto|hair|salon|"
        "textile|furniture|electronics|machinery|supply|supplies|printing|design|"
        "versicherungsverein|versicherung|bank|verlag|werke|werk|bau|handel|vertrieb|"
        "autovermietung|verkehrsbetriebe|taxiunternehmen|moulin|boulangerie|telecom|cloud"
    )
)


def entries(role: str) -> Iterator[Entry]:
    """``(phrase, weight, language)`` for every built-in label of ``role``."""
    for language, raw in _RAW.get(role, {}).items():
        for item in raw.split("|"):
            phrase, _, weight = item.partition(":")
            yield phrase.strip(), float(weight) if weight else 1.0, language


def roles() -> tuple[str, ...]:
    return tuple(_RAW)
