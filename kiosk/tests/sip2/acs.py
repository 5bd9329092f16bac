"""A library system (SIP2 ACS) for the kiosk's tests, on loopback: PyPI's pysip2 (an
independent SIP2 server: framing, checksums, sequence numbers, required fields) with
handlers over a small in-memory catalogue. UTF-8, so patrons have Japanese names.

    python3 acs.py PORT

Each loan and return it takes is printed on stdout as one line (CHECKOUT ITEM PATRON …,
CHECKIN ITEM …), for tests that watch it from outside.
"""
import sys

import anyio
from pysip2 import (CHECKIN, CHECKOUT, LOGIN, PATRON_INFORMATION, PATRON_STATUS, RENEW,
                    CheckinResponse, CheckoutResponse, LoginResponse,
                    PatronInformationResponse, PatronStatusResponse, RenewResponse, SIP2Server)

PATRONS = {
    "2100000000016": {"name": "山田 花子", "blocked": False},
    "2100000000024": {"name": "佐藤 一郎", "blocked": True},
}
TITLES = {"3000000000019": "ぐりとぐら", "3000000000027": "はらぺこあおむし",
          "3000000000021": "ねないこだれだ", "3000000000035": "しろくまちゃんのほっとけーき"}
LOANS = {}  # item -> patron

app = SIP2Server(institution_id="SHIMINLIB", login_required=True, encoding="utf-8")


def status(patron):
    return ("Y" if patron and patron["blocked"] else " ") + " " * 13


@app.route(LOGIN)
def login(req, ctx):
    good = (req.login_user_id, req.login_password) == ("kiosk", "kiosk-pass")
    return LoginResponse(ok="1" if good else "0")


@app.route(PATRON_STATUS)
def patron_status(req, ctx):
    p = PATRONS.get(req.patron_identifier)
    return PatronStatusResponse(
        patron_status=status(p), language=req.language, transaction_date=ctx.now_18(),
        institution_id=req.institution_id, patron_identifier=req.patron_identifier,
        personal_name=p["name"] if p else "", valid_patron="Y" if p else "N")


@app.route(PATRON_INFORMATION)
def patron_info(req, ctx):
    p = PATRONS.get(req.patron_identifier)
    items = tuple(i for i, who in LOANS.items() if who == req.patron_identifier)
    return PatronInformationResponse(
        patron_status=status(p), language=req.language, transaction_date=ctx.now_18(),
        hold_items_count="0000", overdue_items_count="0000",
        charged_items_count=f"{len(items):04}", fine_items_count="0000",
        recall_items_count="0000", unavailable_holds_count="0000",
        institution_id=req.institution_id, patron_identifier=req.patron_identifier,
        personal_name=p["name"] if p else "", valid_patron="Y" if p else "N",
        charged_items=items)


@app.route(CHECKOUT)
def checkout(req, ctx):
    p = PATRONS.get(req.patron_identifier)
    item = req.item_identifier
    why = None
    # An offline checkout (no block = Y) already happened: a block does not undo it.
    if p is None or (p["blocked"] and req.no_block != "Y"):
        why = "Patron blocked"
    elif item not in TITLES:
        why = "Item not found"
    elif item in LOANS:
        why = "Item already charged"
    if why is None:
        LOANS[item] = req.patron_identifier
        # One line per loan on stdout, for end-to-end tests that watch the library system.
        print(f"CHECKOUT {item} {req.patron_identifier} no_block={req.no_block}", flush=True)
    return CheckoutResponse(
        ok="0" if why else "1", renewal_ok="N", magnetic_media="N", desensitize="Y",
        transaction_date=ctx.now_18(), institution_id=req.institution_id,
        patron_identifier=req.patron_identifier, item_identifier=item,
        title_identifier=TITLES.get(item, ""), due_date="" if why else "20270110",
        screen_message=(why,) if why else ())


@app.route(RENEW)
def renew(req, ctx):
    item = req.item_identifier or ""
    ok = LOANS.get(item) == req.patron_identifier
    return RenewResponse(
        ok="1" if ok else "0", renewal_ok="Y" if ok else "N", magnetic_media="N",
        desensitize="Y", transaction_date=ctx.now_18(), institution_id=req.institution_id,
        patron_identifier=req.patron_identifier, item_identifier=item,
        title_identifier=TITLES.get(item, ""), due_date="20270124" if ok else "")


@app.route(CHECKIN)
def checkin(req, ctx):
    ok = LOANS.pop(req.item_identifier, None) is not None
    if ok:
        print(f"CHECKIN {req.item_identifier} no_block={req.no_block}", flush=True)
    return CheckinResponse(
        ok="1" if ok else "0", resensitize="Y", magnetic_media="N", alert="N",
        transaction_date=ctx.now_18(), institution_id=req.institution_id,
        item_identifier=req.item_identifier, permanent_location="中央図書館")


if __name__ == "__main__":
    anyio.run(app.serve, "127.0.0.1", int(sys.argv[1]))
