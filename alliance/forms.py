from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fixed, Layout, Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from alliance.params import has_control_characters

EMAIL_MAX_LENGTH = 254  # RFC 5321's limit, and the User.email column's
PASSWORD_MAX_LENGTH = 1024  # far beyond any password manager's; hashing more is wasted work


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Enter a correct email address and password. The password is case-sensitive."
        ),
        "inactive": _("This account is not active. Ask your alliance administrator."),
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # AuthenticationForm sets max_length after the field is built, so nothing enforces it:
        # a longer address went on to django-axes, whose column refused it (a 500). A bounded
        # field refuses it here, before anything is authenticated or stored.
        self.fields["username"] = forms.CharField(
            label=_("Email address"),
            max_length=EMAIL_MAX_LENGTH,
            widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
            error_messages={
                "required": _("Enter your email address"),
                "max_length": _("Enter an email address of %(limit_value)d characters or fewer"),
            },
        )
        self.fields["password"].widget.attrs["maxlength"] = str(PASSWORD_MAX_LENGTH)
        self.fields["password"].validators.append(MaxLengthValidator(PASSWORD_MAX_LENGTH))
        self.fields["password"].error_messages["required"] = _("Enter your password")
        self.fields["password"].error_messages["max_length"] = _("Enter a correct password")
        self.helper = FormHelper()
        self.helper.form_tag = False  # the template's own <form> carries `next` and the token
        self.helper.add_input(Submit("submit", _("Sign in")))

    def clean_username(self) -> str:
        email = self.cleaned_data["username"]
        if has_control_characters(email) or "@" not in email:
            raise forms.ValidationError(
                _("Enter an email address in the correct format, like name@example.org"),
                code="invalid",
            )
        # Addresses are stored in lower case; the lock-out counts "A@x" and "a@x" as one.
        return email.lower()


class RecoveryCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Recovery code"),
        help_text=_("One of the recovery codes you saved when you set up your account."),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": _("Enter a recovery code")},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field.text("code", field_width=Fixed.TEN))
        self.helper.add_input(Submit("submit", _("Sign in with a recovery code")))

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split()).lower()


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Security code"),
        help_text=_("The 6-digit code from your authenticator app."),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
        error_messages={"required": _("Enter the 6-digit security code")},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.helper = FormHelper()
        self.helper.form_tag = False  # the template's own <form> carries `next` and the token
        self.helper.layout = Layout(Field.text("token", field_width=Fixed.FIVE))
        self.helper.add_input(Submit("submit", _("Continue")))

    def clean_token(self) -> str:
        token = "".join(self.cleaned_data["token"].split())
        if not token.isdigit() or len(token) != 6:
            raise forms.ValidationError(_("Enter the security code as 6 digits, like 123456"))
        return token
