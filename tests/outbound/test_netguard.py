"""Which addresses page images may come from."""

from __future__ import annotations

import pytest

from ocr_gateway.outbound.netguard import parse_networks, refusal_reason


def reason(address: str, **policy: bool) -> str | None:
    return refusal_reason(
        address,
        allow_loopback=policy.get("loopback", False),
        allow_private=policy.get("private", False),
    )


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"])
def test_public_addresses_are_allowed(address: str) -> None:
    assert reason(address) is None


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped
        ("10.1.2.3", "private"),
        ("172.16.0.9", "private"),
        ("192.168.1.1", "private"),
        ("100.64.0.1", "private"),  # carrier-grade NAT
        ("fd12:3456::1", "private"),
        ("169.254.169.254", "metadata"),
        ("fd00:ec2::254", "metadata"),
        ("100.100.100.200", "metadata"),
        ("168.63.129.16", "metadata"),
        ("169.254.10.10", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("0.1.2.3", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("2002:7f00:1::", "loopback"),  # 6to4 around 127.0.0.1
        ("64:ff9b::a9fe:a9fe", "metadata"),  # NAT64 around 169.254.169.254
    ],
)
def test_internal_addresses_are_refused(address: str, why: str) -> None:
    refusal = reason(address)
    assert refusal is not None
    assert why in refusal


def test_flags_allow_loopback_and_private_but_never_metadata() -> None:
    assert reason("127.0.0.1", loopback=True) is None
    assert reason("10.0.0.5", private=True) is None
    assert reason("169.254.169.254", loopback=True, private=True) is not None
    assert reason("169.254.10.10", private=True) is not None


def test_listed_networks_are_allowed_explicitly() -> None:
    networks = parse_networks(["10.20.0.0/16", "169.254.169.254"])

    def allowed(address: str) -> bool:
        why = refusal_reason(
            address, allow_loopback=False, allow_private=False, allowed_networks=networks
        )
        return why is None

    assert allowed("10.20.3.4")
    assert not allowed("10.21.3.4")
    assert allowed("169.254.169.254")


def test_bad_networks_fail_early() -> None:
    with pytest.raises(ValueError, match="does not appear"):
        parse_networks(["not-a-network"])
