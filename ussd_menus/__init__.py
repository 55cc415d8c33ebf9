"""USSD menus as data files (`menus/`, `texts/`) and the pure engine that walks them."""
