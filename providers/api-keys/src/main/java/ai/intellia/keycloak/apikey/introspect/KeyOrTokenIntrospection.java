package ai.intellia.keycloak.apikey.introspect;

import ai.intellia.keycloak.apikey.domain.ApiKeyToken;
import jakarta.ws.rs.core.Response;
import org.keycloak.events.EventBuilder;
import org.keycloak.protocol.oidc.TokenIntrospectionProvider;

import java.util.function.Supplier;

/**
 * RFC 7662 §2.1 at Keycloak's own endpoint: whatever the hint, an {@code ik_…} token is answered
 * as an API key, anything else by Keycloak's own provider for that hint. A JWT never starts with
 * {@code ik_}, so nothing Keycloak issues takes the key path.
 */
final class KeyOrTokenIntrospection implements TokenIntrospectionProvider {

    private final Supplier<TokenIntrospectionProvider> keys;
    private final Supplier<TokenIntrospectionProvider> tokens;

    /** Suppliers: only the provider that answers is created (one request introspects one token). */
    KeyOrTokenIntrospection(Supplier<TokenIntrospectionProvider> keys, Supplier<TokenIntrospectionProvider> tokens) {
        this.keys = keys;
        this.tokens = tokens;
    }

    @Override
    public Response introspect(String token, EventBuilder event) {
        TokenIntrospectionProvider provider = (ApiKeyToken.looksLikeApiKey(token) ? keys : tokens).get();
        try {
            return provider.introspect(token, event);
        } finally {
            provider.close();
        }
    }

    @Override
    public void close() {
    }
}
