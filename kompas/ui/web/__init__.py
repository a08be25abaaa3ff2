"""The web server's own parts: the only code that imports uvicorn, starlette, fastapi or flet_web (a phone never loads it)."""
