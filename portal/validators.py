"""Django adapters for the identifier rules in ``portal.identifiers``.

Forms use the fields (they clean to the canonical form); models use the validators.
"""

from django import forms
from django.core.exceptions import ValidationError

from portal import identifiers


def _adapt(rule, code):
    def validator(value):
        try:
            return rule(value)
        except identifiers.IdentifierError as error:
            raise ValidationError(error.message, code=code) from None

    validator.__name__ = f"validate_{code}"
    # Migrations import validators by qualified name; the closure's own would be "_adapt.<locals>.validator".
    validator.__qualname__ = validator.__name__
    return validator


validate_case_number = _adapt(identifiers.normalise_case_number, "case_number")
validate_resident_id = _adapt(identifiers.validate_resident_id, "resident_id")
validate_credit_code = _adapt(identifiers.validate_credit_code, "credit_code")
validate_mobile = _adapt(identifiers.validate_mobile, "mobile")


class _NormalisingField(forms.CharField):
    """A CharField whose cleaned value is the canonical form of the identifier."""

    rule = None

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        return self.rule(value)


class CaseNumberField(_NormalisingField):
    rule = staticmethod(validate_case_number)

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("help_text", "例如：（2025）黑09民初123号；半角括号和空格会自动规范。")
        super().__init__(**kwargs)


class ResidentIdField(_NormalisingField):
    rule = staticmethod(validate_resident_id)

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 24)
        super().__init__(**kwargs)


class CreditCodeField(_NormalisingField):
    rule = staticmethod(validate_credit_code)

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 24)
        super().__init__(**kwargs)


class MobileField(_NormalisingField):
    rule = staticmethod(validate_mobile)

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)


def court_mismatch(case_number, court):
    """The Chinese message when a (canonical) case number belongs to another court than
    `court`, else None: every form that asks for both checks it the same way."""
    code = identifiers.parse_case_number(case_number).court_code
    if code != court.code:
        return f"案号中的法院代字“{code}”与所选法院“{court.name}”（{court.code}）不一致。"
    return None
