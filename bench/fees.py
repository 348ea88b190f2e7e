"""The court fee calculator in-process (intake/fees.py, no database, no HTTP).

Goal: at least 50,000 property fees per second on a slow 2-core machine, so the public
calculator and its API spend their time in Django, never in the arithmetic.
"""

import random
from decimal import Decimal

from bench.harness import benchmark, page

CALLS = 10_000


@benchmark("fee calculator: property fees computed in-process", repeat=50, per_run=CALLS)
def property_fees():
    from intake.fees import calculate

    rng = random.Random(481)  # Decree No. 481: the same claims every run
    # Log-uniform from 100 元 to 1,000,000,000 元, in fen as a parsed form gives them, so every
    # band (and the bisect across all of them) is exercised rather than only the first few.
    claims = [Decimal(int(10 ** rng.uniform(4, 11))).scaleb(-2) for _ in range(CALLS)]

    def run():
        for claim in claims:
            calculate("property", claim)

    return run


benchmark("fee API GET /api/v1/fee/?kind=property&claim=150000")(
    page("/api/v1/fee/?kind=property&claim=150000")
)
benchmark("fee calculator page /fee-calculator/ with a result")(
    page("/fee-calculator/?kind=property&amount=342000&mediated=on")
)
