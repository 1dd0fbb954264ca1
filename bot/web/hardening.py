"""What every response of the service's web server carries, and the sign-in's guards.

Headers are set in one place for every route (the page's, health and metrics, and any added later):
the page loads its script and style from /static only, so the policy allows nothing inline. The
`Server` header names no software or version. A sign-in comes from the page itself (its own origin)
and a client address has a budget of failed sign-ins, so guesses of a link are slowed to a few a minute
while a real link works at its first try."""

from __future__ import annotations

import math
from collections import OrderedDict
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from aiohttp import web

SERVER = "nhacviec"
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    # a sign-in link's token never leaves in a Referer ("no-referrer" would make the page's own form's
    # Origin "null", which the sign-in could not tell from another site's)
    "Referrer-Policy": "same-origin",
}
FAILED_SIGN_INS = 10  # an address's budget of failed sign-ins...
REFILL = timedelta(seconds=6)  # ...one more every 6 s: ten guesses a minute
_ADDRESSES_KEPT = 10_000


async def harden(request: web.Request, response: web.StreamResponse) -> None:
    """`on_response_prepare`: every response, a static file's and an error's too, gets the headers."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    response.headers["Server"] = SERVER  # aiohttp's own would say "Python/3.x aiohttp/3.x"


def same_origin(request: web.Request, public_url: str | None) -> bool:
    """Whether a POST comes from our own page: a browser says where it comes from (Sec-Fetch-Site, or
    Origin); a client that says neither is no browser another site could drive."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:  # a browser's own word, which no page's script can change
        return site in ("same-origin", "none")
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    ours = {request.host.lower()}
    if public_url:
        ours.add(urlsplit(public_url).netloc.lower())
    return urlsplit(origin).netloc.lower() in ours


class SignInBudget:
    """Failed sign-ins per client address, as a bucket that refills on the clock it is given."""

    def __init__(self, *, size: int = FAILED_SIGN_INS, refill: timedelta = REFILL) -> None:
        self.size, self.refill = size, refill
        self._buckets: OrderedDict[str, tuple[float, datetime]] = OrderedDict()

    def _level(self, address: str, now: datetime) -> float:
        level, since = self._buckets.get(address, (float(self.size), now))
        return min(float(self.size), level + (now - since) / self.refill)

    def wait(self, address: str, now: datetime) -> int:
        """Seconds this address must wait before its next try; 0: it may try now."""
        level = self._level(address, now)
        return 0 if level >= 1 else math.ceil(((1 - level) * self.refill).total_seconds())

    def failed(self, address: str, now: datetime) -> None:
        self._buckets[address] = (self._level(address, now) - 1, now)
        self._buckets.move_to_end(address)
        while len(self._buckets) > _ADDRESSES_KEPT:
            self._buckets.popitem(last=False)
