package ai.intellia.keycloak.apikey.store;

import ai.intellia.keycloak.apikey.domain.ApiKeyRecord;

/**
 * What became of a key that minted a token. Only revocation reaches minted tokens (contract
 * 4.4): a rotated or expired key's tokens keep their own lifetime.
 */
public enum MinterState {
    /** Live, expired or rotated: its tokens stay valid until their own {@code exp}. */
    KEPT,
    REVOKED,
    /**
     * No record: deleted in the admin console (which bypasses our revoke), tombstone purged after
     * every token it could mint had expired, or not a key at all (an id of something else).
     */
    ABSENT;

    static MinterState of(ApiKeyRecord record) {
        return record == null ? ABSENT : record.isRevoked() ? REVOKED : KEPT;
    }
}
