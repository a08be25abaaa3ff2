"""The screens as plain state, without Flet: which screen, what it shows, what Voorlezen reads there."""
