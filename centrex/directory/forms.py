from __future__ import annotations

from django import forms

from centrex.directory.models import Contact
from centrex.directory.services import may_manage_shared


class ContactForm(forms.ModelForm):
    """A contact; the "private" box only for those who manage shared contacts (for anybody
    else every contact they make is private)."""

    class Meta:
        model = Contact
        fields = ["first_name", "last_name", "company", "number1", "number2", "number3",
                  "private"]

    def __init__(self, user, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if not may_manage_shared(user):
            del self.fields["private"]
            self.instance.private = True
        if self.instance.pk is None:
            self.instance.owner = user
            self.initial.setdefault("private", True)
