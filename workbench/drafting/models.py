from django.db import models

from workbench.documents.models import Document


class Pseudonym(models.Model):
    """A piece of personal data in a document and the placeholder (⟦P<number>⟧) that
    stands for it in everything sent to a model endpoint (see pseudonyms.py). Stable:
    the same value of a document always gets the same number."""

    class Kind(models.TextChoices):
        NAME = "name", "Name"
        HKID = "hkid", "HKID number"
        PASSPORT = "passport", "Passport number"
        PHONE = "phone", "Phone number"
        EMAIL = "email", "E-mail address"
        BANK_ACCOUNT = "bank_account", "Bank account number"
        ADDRESS = "address", "Street address"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="pseudonyms")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=16, choices=Kind.choices)
    value = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="one_pseudonym_per_number"),
            models.UniqueConstraint(fields=["document", "value"], name="one_pseudonym_per_value"),
        ]

    def __str__(self):
        return f"{self.placeholder} ({self.get_kind_display()})"

    @property
    def placeholder(self):
        return f"\u27e6P{self.number}\u27e7"
