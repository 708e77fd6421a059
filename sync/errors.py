"""Errors of the sync area: one class per failure an operator must tell apart.

Each has a stable `code` (used in API answers and logs) and a plain sentence
that says what happened and what to do. Nothing here imports Flask.
"""


class SyncError(Exception):
    code = "sync_error"
    status = 400  # HTTP status when a parent answers with this error

    def __init__(self, message: str, **details):
        super().__init__(message)
        self.message = message
        self.details = details


class CorruptBundle(SyncError):
    code = "corrupt_bundle"


class UnsupportedVersion(SyncError):
    code = "unsupported_version"


class UnknownSender(SyncError):
    code = "unknown_sender"
    status = 403


class BadSignature(SyncError):
    code = "bad_signature"
    status = 403


class KeyChanged(SyncError):
    code = "key_changed"
    status = 403


class IdentityConflict(SyncError):
    """The same (origin, seq) arrived with different content: a cloned or wrongly
    restored node. The whole bundle is refused."""

    code = "identity_conflict"
    status = 409


class NotForThisNode(SyncError):
    code = "not_for_this_node"


class TooLarge(SyncError):
    code = "too_large"
    status = 413


class Busy(SyncError):
    code = "busy"
    status = 503

    def __init__(self, message: str, retry_after: int = 30, **details):
        super().__init__(message, **details)
        self.retry_after = retry_after


class UnknownUpload(SyncError):
    code = "unknown_upload"
    status = 404


class Incomplete(SyncError):
    code = "upload_incomplete"
    status = 409


class ParentUnreachable(SyncError):
    code = "parent_unreachable"


class NoParent(SyncError):
    code = "no_parent"


class BadAnswer(SyncError):
    """The parent's answer is missing, malformed or not signed by the parent's key."""

    code = "bad_answer"


def by_code(code: str) -> type[SyncError]:
    for cls in _ALL:
        if cls.code == code:
            return cls
    return SyncError


_ALL = (
    CorruptBundle,
    UnsupportedVersion,
    UnknownSender,
    BadSignature,
    KeyChanged,
    IdentityConflict,
    NotForThisNode,
    TooLarge,
    Busy,
    UnknownUpload,
    Incomplete,
    ParentUnreachable,
    NoParent,
    BadAnswer,
)
