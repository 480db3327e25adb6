"""Concepts every layer shares (one home each): ids, calendar lengths, Excel conventions."""
