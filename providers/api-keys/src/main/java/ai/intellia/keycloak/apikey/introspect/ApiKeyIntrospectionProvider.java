package ai.intellia.keycloak.apikey.introspect;

import ai.intellia.keycloak.apikey.domain.AllowedCidrs;
import ai.intellia.keycloak.apikey.domain.ApiKeyRecord;
import ai.intellia.keycloak.apikey.domain.FixedWindowLimiter;
import ai.intellia.keycloak.apikey.domain.RateLimits;
import jakarta.ws.rs.core.MultivaluedMap;
import org.keycloak.events.Details;
import ai.intellia.keycloak.apikey.domain.ApiKeyToken;
import ai.intellia.keycloak.apikey.domain.StrictJson;
import ai.intellia.keycloak.apikey.events.ApiKeyEvents;
import ai.intellia.keycloak.apikey.store.ApiKeyService;
import ai.intellia.keycloak.apikey.store.Verification;
import ai.intellia.keycloak.apikey.store.KeyVerifier;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.TokenIntrospectionProvider;

import java.util.List;

/**
 * RFC 7662 for API keys: the contract's section 4.1 answer, or exactly {@code {"active": false}}.
 * Reached with {@code token_type_hint=api_key}; a token that is not a key sent with that hint gets
 * exactly Keycloak's own access-token answer (RFC 7662 §2.1: the hint is only a hint).
 */
final class ApiKeyIntrospectionProvider implements TokenIntrospectionProvider {

    private static final String INACTIVE = "{\"active\":false}";
    /** The end client's address, passed by a resource server that wants a key's allow-list enforced. */
    static final String CLIENT_IP = "client_ip";

    private final KeycloakSession session;

    ApiKeyIntrospectionProvider(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public Response introspect(String token, EventBuilder event) {
        if (!ApiKeyToken.looksLikeApiKey(token)) {
            return new CascadingAccessTokenIntrospection(session).introspect(token, event);
        }
        RealmModel realm = session.getContext().getRealm();
        ApiKeyService keys = session.getProvider(ApiKeyService.class);
        event.detail("token_type", "api_key");
        if (!(new KeyVerifier(keys, realm).verify(token, event) instanceof Verification.Verified key)) {
            event.error(Errors.INVALID_TOKEN);
            return json(INACTIVE);
        }
        String refusal = guardRefusal(keys, key, event);
        if (refusal != null) {
            keys.recordRefusalAfterUse(realm, key.key()); // counted as refused, not used
            event.detail(Details.REASON, refusal).error(Errors.INVALID_TOKEN);
            return json(INACTIVE);
        }
        event.success();
        return json(active(key.key(), keys.principalId(key.organizationId()), key.settings().resources()).toString());
    }

    /**
     * Why a guard rail refuses this introspection, or null. The caller is the resource server, so
     * the allow-list applies to the end client's address it passes in {@code client_ip} (when it
     * passes one; an unparseable one is refused); the introspect limit counts every call.
     */
    private String guardRefusal(ApiKeyService keys, Verification.Verified key, EventBuilder event) {
        MultivaluedMap<String, String> form = session.getContext().getHttpRequest() == null ? null
                : session.getContext().getHttpRequest().getDecodedFormParameters();
        String clientIp = form == null ? null : form.getFirst(CLIENT_IP);
        if (clientIp != null) {
            event.detail(ApiKeyEvents.CLIENT_IP, clientIp);
            byte[] address = AllowedCidrs.addressBytes(clientIp); // parsed once, for the check and the match
            if (address == null) {
                return "invalid_client_ip";
            }
            if (!key.key().guards().allowsAddress(address)) {
                return ApiKeyEvents.REASON_IP_NOT_ALLOWED;
            }
        }
        FixedWindowLimiter.Decision decision = keys.rateLimit(key, RateLimits.Operation.INTROSPECT);
        return decision != null && !decision.allowed() ? ApiKeyEvents.REASON_RATE_LIMITED : null;
    }

    private static ObjectNode active(ApiKeyRecord key, String principalId, List<String> resources) {
        ObjectNode json = StrictJson.mapper().createObjectNode();
        json.put("active", true);
        json.put("token_type", "api_key");
        json.put("source", ApiKeyEvents.SOURCE_API_KEY);
        json.put("sub", principalId);
        json.put("api_key_id", key.id());
        json.put("organization_id", key.organizationId());
        json.put("scope", key.permissions().scope(resources));
        json.set("permissions", key.permissions().toJson(resources));
        json.put("iat", key.createdAt().getEpochSecond());
        if (key.effectiveExpiry() != null) {
            json.put("exp", key.effectiveExpiry().getEpochSecond());
        }
        return json;
    }

    private static Response json(String body) {
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).build();
    }

    @Override
    public void close() {
    }
}
