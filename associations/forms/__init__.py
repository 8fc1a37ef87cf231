"""The association forms, one module per part."""
