"""Field encryption (AES-256-GCM, key ids, rotation) and the hash-chained audit log."""

from integriteit_shared.crypto.audit import (
    GENESIS_HASH,
    AuditEntry,
    AuditQueued,
    AuditVerification,
    audit_log_ddl_guard,
    audit_log_ddl_guard_drop,
    chain_queued,
    compute_audit_hash,
    queue_audit,
    record_audit,
    verify_audit_chain,
)
from integriteit_shared.crypto.fields import (
    DecryptionError,
    FieldCipher,
    field_aad,
    generate_key_setting,
    reencrypt_column,
)

__all__ = [
    "GENESIS_HASH",
    "AuditEntry",
    "AuditQueued",
    "AuditVerification",
    "DecryptionError",
    "FieldCipher",
    "audit_log_ddl_guard",
    "audit_log_ddl_guard_drop",
    "chain_queued",
    "compute_audit_hash",
    "field_aad",
    "generate_key_setting",
    "queue_audit",
    "record_audit",
    "reencrypt_column",
    "verify_audit_chain",
]
