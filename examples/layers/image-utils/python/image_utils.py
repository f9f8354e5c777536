"""Shared helpers, shipped the way a Lambda layer ships Python code: python/ lands in /opt/python."""


def thumbnail_key(key: str, prefix: str) -> str:
    """Where the thumbnail of `key` goes: under `prefix`, as a .jpg."""
    return prefix + key.rsplit(".", 1)[0] + ".jpg"
