"""The association pages, one module per part (``memberships``, ``entrustments``,
``demand``); ``associations.urls`` names them from there."""
