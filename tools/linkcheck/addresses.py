"""Which addresses the live check may connect to: public internet addresses only.

A link (or a redirect from it) must never turn the check inward: to this machine, the local
network, or the cloud metadata service at 169.254.169.254, which in CI hands out
credentials. Every host is resolved once, every address it resolves to is judged here, and
the connection goes to the address judged (no second lookup that DNS rebinding could change).
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# getaddrinfo's shape: (family, type, proto, canonname, sockaddr) per address.
Resolver = Callable[[str, int], Sequence[tuple]]

_METADATA = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
_SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT
_UNIQUE_LOCAL = ipaddress.ip_network("fc00::/7")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


@dataclass(frozen=True, slots=True)
class Address:
    """One address a host resolved to, as the socket module takes it."""

    family: int
    sockaddr: tuple

    @property
    def ip(self) -> IPAddress:
        """The address without its IPv6 zone."""
        return ipaddress.ip_address(str(self.sockaddr[0]).split("%", 1)[0])


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, 6to4, Teredo, NAT64, compatible)."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in _NAT64 or (ip in _IPV4_COMPATIBLE and int(ip) > 1):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def _ipv6(ip: IPAddress) -> bool:
    return isinstance(ip, ipaddress.IPv6Address)


# Every kind of address the check refuses, in the order they are told apart: (test, why).
_REFUSED: tuple[tuple[Callable[[IPAddress], bool], str], ...] = (
    (lambda ip: ip.is_loopback, "a loopback address (this machine itself)"),
    (
        lambda ip: ip in _METADATA,
        "a link-local address (where the cloud metadata service answers)",
    ),
    (lambda ip: ip.is_link_local, "a link-local address"),
    (
        lambda ip: ip.is_unspecified,
        "the unspecified address (connecting to it reaches this machine)",
    ),
    (lambda ip: ip.is_multicast, "a multicast address"),
    (
        lambda ip: ip in _SHARED,
        "a shared address (carrier-grade NAT, a provider's internal network)",
    ),
    (lambda ip: _ipv6(ip) and ip in _UNIQUE_LOCAL, "a unique-local address (a private network's)"),
    (
        lambda ip: _ipv6(ip) and ip.is_site_local,
        "a site-local address (a private network's)",
    ),
    (lambda ip: ip.is_reserved, "a reserved address"),
    (
        lambda ip: ip.is_private,
        "a private or special-purpose address (a local network, documentation, tests)",
    ),
    (lambda ip: not ip.is_global, "not a global (public internet) address"),
)


def refusal_reason(ip: IPAddress) -> str | None:
    """Why ``ip`` is not a public internet address the check may connect to; None if it is."""
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None:
            reason = refusal_reason(inner)
            return f"{reason} (the IPv4 address inside {ip})" if reason else None
    return next((why for refused, why in _REFUSED if refused(ip)), None)


def system_resolver(host: str, port: int) -> Sequence[tuple]:
    """The system's resolver (``getaddrinfo``), TCP addresses only."""
    return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)


def resolve(host: str, port: int, deadline: float, resolver: Resolver) -> list[Address]:
    """Every address ``host`` resolves to, by ``deadline`` (time.monotonic()).

    An IP literal is not looked up. The lookup runs in a daemon thread, since getaddrinfo
    cannot be interrupted: past the deadline this raises TimeoutError and leaves it behind.
    """
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        family = socket.AF_INET6 if literal.version == 6 else socket.AF_INET
        sockaddr = (str(literal), port, 0, 0) if literal.version == 6 else (str(literal), port)
        return [Address(family, sockaddr)]
    outcome: list = []
    done = threading.Event()

    def look_up() -> None:
        try:
            outcome.append(resolver(host, port))
        except BaseException as error:  # handed to the waiting thread
            outcome.append(error)
        finally:
            done.set()

    threading.Thread(target=look_up, name=f"resolve-{host}", daemon=True).start()
    if not done.wait(max(0.0, deadline - time.monotonic())):
        raise TimeoutError(f"the DNS lookup of {host} did not finish in time")
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    addresses = [Address(entry[0], tuple(entry[4])) for entry in outcome[0]]
    if not addresses:
        raise socket.gaierror(socket.EAI_NONAME, f"{host} has no address")
    return list(dict.fromkeys(addresses))
