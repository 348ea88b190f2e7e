from wagtail.admin.forms.auth import LoginForm


class StaffLoginForm(LoginForm):
    """Wagtail's login form with the password field labelled in Chinese. Failed attempts are
    counted and locked out by django-axes inside `authenticate` (portal/signin.py).

    Wagtail's form declares the password field without a label, so Django derives the
    English "Password" from the field name, which no translation catalogue covers.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = "密码"
