"""services of the contact center (docs/contact_center.md)."""
