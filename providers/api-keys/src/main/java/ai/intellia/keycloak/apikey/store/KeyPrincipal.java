package ai.intellia.keycloak.apikey.store;

/**
 * The principal of an organization's keys: its key holder, to whom a key's exchanged token is
 * issued. Introspection answers the same id as {@code sub}, so a resource server sees one
 * principal whichever way it verifies a key.
 */
public final class KeyPrincipal {

    private KeyPrincipal() {
    }

    public static String id(String organizationId) {
        return KeyHolders.holderId(organizationId);
    }
}
