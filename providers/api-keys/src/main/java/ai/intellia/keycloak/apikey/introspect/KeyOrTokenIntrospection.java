package ai.intellia.keycloak.apikey.introspect;

import ai.intellia.keycloak.apikey.domain.ApiKeyToken;
import jakarta.ws.rs.core.Response;
import org.keycloak.events.EventBuilder;
import org.keycloak.protocol.oidc.TokenIntrospectionProvider;

/**
 * RFC 7662 §2.1 at Keycloak's own endpoint: whatever the hint, an {@code ik_…} token is answered
 * as an API key, anything else by Keycloak's own provider for that hint. A JWT never starts with
 * {@code ik_}, so nothing Keycloak issues takes the key path.
 */
final class KeyOrTokenIntrospection implements TokenIntrospectionProvider {

    private final TokenIntrospectionProvider keys;
    private final TokenIntrospectionProvider tokens;

    KeyOrTokenIntrospection(TokenIntrospectionProvider keys, TokenIntrospectionProvider tokens) {
        this.keys = keys;
        this.tokens = tokens;
    }

    @Override
    public Response introspect(String token, EventBuilder event) {
        return ApiKeyToken.looksLikeApiKey(token) ? keys.introspect(token, event) : tokens.introspect(token, event);
    }

    @Override
    public void close() {
        keys.close();
        tokens.close();
    }
}
