"""The vendor: legal forms, layout, seller and buyer labels, footers, receipts."""

from __future__ import annotations

from ocr_gateway.processing.builtin_templates import GENERIC_INVOICE_TEMPLATE
from ocr_gateway.processing.extraction import extract_fields
from ocr_gateway.processing.extraction.page import PageText
from ocr_gateway.processing.extraction.vendor_evidence import heads_tax_id
from ocr_gateway.processing.extraction.vendor_segment import Segment
from tests.support.pages import Row, page_of


def vendor(*rows: object) -> str | None:
    found = extract_fields(page_of(list(rows)), GENERIC_INVOICE_TEMPLATE).values()  # type: ignore[arg-type]
    return found.get("vendorName")


def test_the_sender_line_and_not_the_buyer_block() -> None:
    assert (
        vendor(
            Row("Hetzner Online GmbH • Industriestr. 25 • 91710 Gunzenhausen", height=16, y=250),
            "Usegroup Inh. Jochen Stärk",
            "Kunden AG Mitte",
            "60435 Frankfurt",
        )
        == "Hetzner Online GmbH"
    )


def test_a_buyer_label_excludes_its_block() -> None:
    assert (
        vendor(
            "Rechnungsempfänger",
            "Kunden AG Mitte",
            "Kundenstraße 15",
            Row("Lieferant GmbH · Geschäftsführer: Hans Muster · HRB 123", y=1600),
        )
        == "Lieferant GmbH"
    )


def test_a_seller_section_and_a_buyer_section() -> None:
    assert (
        vendor(
            "Verkäufer",
            [(146, "Name:"), (544, "MUSTER-Autovermietung GmbH")],
            [(146, "Anschrift:"), (544, "Musterstr. 99")],
            "Käufer/Leistungsempfänger",
            [(146, "Name:"), (544, "MUSTER-KUNDE GMBH")],
        )
        == "MUSTER-Autovermietung GmbH"
    )


def test_a_name_in_the_footer_cut_at_its_legal_form() -> None:
    assert (
        vendor(
            "Summary",
            Row("Atlassian Pty Ltd, Level 6, 341 George St, Sydney NSW 2000, Australia", y=1540),
        )
        == "Atlassian Pty Ltd"
    )


def test_a_receipt_prints_the_shop_first() -> None:
    assert (
        vendor(
            Row("SWC ENTERPRISE SDN BHD (1125830-V)", height=30),
            "5-7, JALAN HARMONI 7/1, 44300 BATANG KALI",
            "GST ID 002017808384",
            "TOTAL RM 41.20",
        )
        == "SWC ENTERPRISE SDN BHD"
    )


def test_a_logo_sized_name_beats_the_address() -> None:
    assert vendor(Row("Kraxi", height=48), "Flugzeugallee 17", "12345 Papierfeld") == "Kraxi"


def test_a_seller_label() -> None:
    assert vendor("Bill to: Contoso Ltd", [(60, "Seller:"), (300, "Northwind Traders")]) == (
        "Northwind Traders"
    )


def test_no_vendor_rather_than_a_guess() -> None:
    assert vendor("INVOICE", "Invoice No: 17", "Total 12.00") is None


def test_a_name_printed_over_two_lines() -> None:
    assert (
        vendor(
            "AIK HUAT HARDWARE ENTERPRISE (SETIA",
            "ALAM) SDN BHD",
            "(822737-X)",
            "TOTAL RM 24.00",
        )
        == "AIK HUAT HARDWARE ENTERPRISE (SETIA ALAM) SDN BHD"
    )


def test_the_name_in_the_footer_domain_beats_the_address_window() -> None:
    assert (
        vendor(
            [(118, "Adatum Corporation"), (700, "CRONUS DE")],
            [(118, "Station Road, 21"), (700, "Hofstraße 12")],
            Row([(118, "VAT Registration No."), (600, "Email")], y=1530),
            Row([(118, "DE777777777"), (600, "info@cronus.com")], y=1560),
        )
        == "CRONUS DE"
    )


def test_seller_and_buyer_side_by_side() -> None:
    assert (
        vendor(
            [(87, "Seller:"), (700, "Buyer:")],
            [(87, "SwissDev Greg Janusz Tomasik"), (700, "SimFin Analytics GmbH")],
            [(87, "Pcim 938"), (700, "Pfälzer Ufer 4")],
        )
        == "SwissDev Greg Janusz Tomasik"
    )


def test_a_name_whose_last_line_is_one_word_and_the_legal_form() -> None:
    assert vendor("WESTERN EASTERN", "STATIONERY SDN. BHD", "(145208-V)", "TOTAL 5.00") == (
        "WESTERN EASTERN STATIONERY SDN. BHD"
    )


def test_a_short_prefix_before_a_legal_name_is_dropped() -> None:
    assert vendor("OWN BY: CHEF LEE SDN BHD", "TOTAL 5.00") == "CHEF LEE SDN BHD"


def test_a_registration_number_after_the_name_is_dropped() -> None:
    assert vendor("KING'S CONFECTIONERY S/B 273500-U", "TOTAL 5.00") == "KING'S CONFECTIONERY S/B"


def test_a_slogan_is_no_name() -> None:
    assert vendor("WELCOME TO THE FAMILY", "MAXINCOME RESOURCES SDN BHD", "TOTAL 5.00") == (
        "MAXINCOME RESOURCES SDN BHD"
    )


def test_a_shop_name_printed_over_several_lines_at_the_top() -> None:
    assert (
        vendor(
            "THE",
            "GOLDEN",
            "SPOON",
            "BAKERY",
            "(000123456-P)",
            "12 Jalan Mawar, 50450 Kuala Lumpur",
            "TOTAL 12.00",
        )
        == "THE GOLDEN SPOON BAKERY"
    )
    assert (
        vendor("LIAN HUAT VEGETARIAN", "RESTAURANT SDN BHD", "(123456-K)", "TEL: 04-123 4567")
        == "LIAN HUAT VEGETARIAN RESTAURANT SDN BHD"
    )


def test_a_brand_or_a_person_above_a_whole_legal_name_is_not_part_of_it() -> None:
    # a line in capitals that is a name on its own (a legal form after two words of its
    # own) is the company; the line above it is a brand, a branch or a cashier's name
    assert (
        vendor(
            "KOPI HOUSE",
            "NORTHERN FOOD DISTRIBUTION SDN BHD",
            "(123456-K)",
            "TEL: 04-123 4567",
        )
        == "NORTHERN FOOD DISTRIBUTION SDN BHD"
    )
    assert vendor("LIM AH KOW", "MR TOOLS (M) SDN BHD", "(CO. REG 860671-D)") == (
        "MR TOOLS (M) SDN BHD"
    )
    # in mixed case a letterhead may print one name over two lines
    assert vendor("MVM Musterhaft", "Versicherungsverein Musterdorf a.G.", "Tel 0421 1234") == (
        "MVM Musterhaft Versicherungsverein Musterdorf a.G."
    )


def test_a_name_over_three_lines_with_a_bracket_across_two() -> None:
    assert (
        vendor(
            "LIM BROTHERS HARDWARE",
            "ENTERPRISE (BUKIT",
            "INDAH) SDN BHD",
            "654321-A",
            "NO. 3, JALAN BUKIT",
        )
        == "LIM BROTHERS HARDWARE ENTERPRISE (BUKIT INDAH) SDN BHD"
    )


def test_the_company_after_owned_by_is_the_owner_not_the_shop() -> None:
    assert (
        vendor(
            "MAWAR BOOK SHOP",
            "NO. 5, JALAN SETIA",
            "TEL: 03-1234 5678",
            "TAX INVOICE",
            "OWNED BY :",
            "MAWAR HOLDINGS SDN BHD (765432-W)",
        )
        == "MAWAR BOOK SHOP"
    )
    assert (
        vendor(
            "Café des Arts",
            "12 rue de la Paix, 75002 Paris",
            "Exploité par Arts Restauration SARL",
        )
        == "Café des Arts"
    )
    assert (
        vendor(
            "Bäckerei Sonnenschein",
            "Hauptstraße 4, 10115 Berlin",
            "Betrieben von: Sonnenschein Backwaren GmbH",
        )
        == "Bäckerei Sonnenschein"
    )


def test_a_registration_number_and_what_follows_it_end_the_name() -> None:
    assert vendor("PELANGI SWEETS S/B 123456-U (PJ)", "LOT 4, JALAN 2") == "PELANGI SWEETS S/B"


def test_a_label_with_its_number_glued_is_no_name() -> None:
    assert (
        vendor("#000017 SAKURA GOODS (M) SDN BHD", "COMPANY NO(765123-X)", "TAX INVOICE")
        == "SAKURA GOODS (M) SDN BHD"
    )


def test_a_mixed_case_name_over_two_lines_that_ends_in_a_legal_form() -> None:
    assert (
        vendor(
            "Hanse Musterfahrzeuge",
            "Vermietung und Leasing GmbH",
            "Herrn",
            "Max Beispiel",
            "Beispielweg 3, 20095 Hamburg",
        )
        == "Hanse Musterfahrzeuge Vermietung und Leasing GmbH"
    )


def test_a_logo_or_a_note_above_the_name_is_not_part_of_it() -> None:
    assert (
        vendor(
            Row("jane's copy", height=48),
            "KEDAI JAYA MAJU SDN BHD",
            "(123456-A)",
            "LOT 5, JALAN 3",
        )
        == "KEDAI JAYA MAJU SDN BHD"
    )


def test_an_unclosed_bracket_at_the_end_of_the_name_is_cut_off() -> None:
    # the bracket's rest is printed on the next line ("123456-X)")
    assert vendor("MADAME (M) SDN. BHD. (", "TAMAN MAJU") == "MADAME (M) SDN. BHD."
    assert vendor("SURIA REALTY SDN BHD (CO. NO", "123456-X)") == "SURIA REALTY SDN BHD"


def test_a_name_without_a_legal_form_over_its_tax_number_is_the_seller() -> None:
    # A letterhead's name heads its block and its own tax number follows it (a Spanish
    # CIF); the big title and invoice number above it are no name.
    assert (
        vendor(
            Row("FACTURA", height=56),
            Row("F-2025-0042", height=56),
            Row("ORBITALIA", y=330),
            "B12345678",
            "Calle Mayor 5",
            "28013 Madrid",
            Row("CLIENTE", y=700),
            "Marta Ruiz",
        )
        == "ORBITALIA"
    )


def test_only_the_head_of_a_block_gains_from_the_tax_number_below_it() -> None:
    # "Poland" ends the seller's address: the VAT number below it belongs to the whole
    # block; a name alone over its number heads its own.
    page = PageText.of(
        page_of(
            [
                Row("Nowak Software", y=300),
                "Pcim 938",
                "Poland",
                "VAT no.: PL6812077987",
                Row("ORBITALIA", y=700),
                "B12345678",
            ]
        )
    )
    heads = {ln.text: heads_tax_id(Segment(ln, 0, len(ln.words)), page) for ln in page.lines}
    assert heads["ORBITALIA"] is True
    assert heads["Poland"] is False
    assert heads["Nowak Software"] is False  # its next line is its street
