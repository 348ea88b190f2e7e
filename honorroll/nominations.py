"""The one function through which other apps nominate a party to the list (DESIGN.md)."""

from honorroll.models import Nomination


def nominate(
    *, party_name, party_kind, credit_code, court, case_number, cause, performed_on, source, consented_at
):
    """Record a consenting party as a candidate for the next batch: one nomination per party
    and case, however many applications (certificate, fee reduction) led to it."""
    nomination, _created = Nomination.objects.get_or_create(
        court=court,
        case_number=case_number,
        party_name=party_name,
        defaults={
            "source": source,
            "party_kind": party_kind,
            "credit_code": credit_code,
            "cause": cause,
            "performed_on": performed_on,
            "consented_at": consented_at,
        },
    )
    return nomination
