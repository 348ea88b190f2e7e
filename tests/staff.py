"""Signing staff in for tests with the second factor (portal/otp.py) switched on.

`log_in_verified(client, user)` is `client.force_login(user)` followed by what a correct
TOTP code does in the real flow: the user gets a confirmed device and the session is marked
verified the way `django_otp.login` marks it (the device's persistent_id under
`django_otp.DEVICE_ID_SESSION_KEY`). `totp_code(device)` is the code an authenticator app
shows now, from the device's key with django-otp's RFC 6238 implementation, for the
browser tests that type it into the form.
"""

import time

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def confirmed_device(user):
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="测试验证器", confirmed=True)


def totp_code(device, steps_ahead=0):
    """The device's code for the current time step (or `steps_ahead` steps later: a code
    is accepted only once, and the device accepts one step either side)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def enrollment_code(client):
    """The code an authenticator shows for the secret on this session's enrolment page
    (portal/otp.py keeps it in the session until confirmed; no device holds it yet)."""
    from portal.otp import ENROLLMENT_KEY

    return totp_code(TOTPDevice(key=client.session[ENROLLMENT_KEY]))


def unused_code(device):
    """A code the device has not accepted yet: the current step's, or the next one's when
    the current one was just used (a second sign-in within the same 30 seconds)."""
    device.refresh_from_db()
    now = int((time.time() - device.t0) // device.step) + device.drift
    return totp_code(device, steps_ahead=max(0, device.last_t + 1 - now))


def log_in_verified(client, user):
    client.force_login(user)
    device = confirmed_device(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device
