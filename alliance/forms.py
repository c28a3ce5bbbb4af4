from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fixed, Layout, Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordMixin
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from alliance.models import User
from alliance.params import has_control_characters
from alliance.services import staff_is_set_up

EMAIL_MAX_LENGTH = 254  # RFC 5321's limit, and the User.email column's
PASSWORD_MAX_LENGTH = 1024  # far beyond any password manager's; hashing more is wasted work


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Enter a correct email address and password. The password is case-sensitive."
        ),
        "inactive": _("This account is not active. Ask your alliance administrator."),
        "not_set_up": _(
            "Your account is not set up yet. Use the set-up link we emailed you, "
            "or ask a curator for a new one."
        ),
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

    def confirm_login_allowed(self, user: User) -> None:  # type: ignore[override]
        super().confirm_login_allowed(user)
        # A password alone never reaches the authenticator set-up: that takes the set-up link,
        # so a leaked or guessed first password cannot enrol the attacker's phone.
        if not staff_is_set_up(user=user):
            raise forms.ValidationError(self.error_messages["not_set_up"], code="not_set_up")

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


class SetupPasswordForm(SetPasswordMixin, forms.Form):
    """A new staff member chooses their own password (the first step of the set-up link)."""

    error_messages = {
        "password_mismatch": _("The passwords do not match. Type the same password twice"),
    }
    password1, password2 = SetPasswordMixin.create_password_fields(
        label1=_("Choose a password"), label2=_("Type the password again")
    )

    def __init__(self, user: User, *args: object, **kwargs: object) -> None:
        self.user = user
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["password1"].help_text = _(
            "At least 12 characters, and not one you use anywhere else. "
            "Three or four random words are easy to remember and hard to guess."
        )
        self.fields["password2"].help_text = ""
        self.fields["password1"].error_messages["required"] = _("Choose a password")
        self.fields["password2"].error_messages["required"] = _("Type the password again")
        for name in ("password1", "password2"):
            self.fields[name].validators.append(MaxLengthValidator(PASSWORD_MAX_LENGTH))
            self.fields[name].widget.attrs["maxlength"] = str(PASSWORD_MAX_LENGTH)
            self.fields[name].error_messages["max_length"] = _(
                "Choose a password of %(limit_value)d characters or fewer"
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", _("Continue")))

    def clean(self) -> dict[str, Any] | None:
        self.validate_passwords()
        self.validate_password_for_user(self.user)
        return super().clean()


class StaffCreationForm(forms.ModelForm):
    """A curator adds a staff account: no password here. The new member is emailed a set-up
    link with which they choose their own (alliance.services.staff_setup_link_send)."""

    class Meta:
        model = User
        fields = ["email", "role", "is_staff"]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("There is already an account with this email address"))
        return email

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        user.set_unusable_password()
        if commit:
            user.save()
        return user
