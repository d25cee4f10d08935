"""forms of the contact center (docs/contact_center.md)."""
