from safelight.crypto import generate_key
from safelight.reports import storage
from safelight.reports.uploads import EncryptedUpload


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    """An upload as the encrypting upload handler leaves it: encrypted in storage, key in hand."""
    key = generate_key()
    storage_name = storage.new_name()
    storage.write_bytes(storage_name, key, data)
    return EncryptedUpload(name=name, content_type=content_type, size=len(data),
                           storage_name=storage_name, key=key, too_large=False)
