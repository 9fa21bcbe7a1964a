package ai.intellia.keycloak.apikey.exchange;

import ai.intellia.keycloak.apikey.assumerole.AssumeRoleService;
import ai.intellia.keycloak.apikey.assumerole.Audiences;
import ai.intellia.keycloak.apikey.assumerole.TokenMinter;
import ai.intellia.keycloak.apikey.domain.ApiError;
import ai.intellia.keycloak.apikey.domain.ApiKeySettings;
import ai.intellia.keycloak.apikey.domain.ErrorCode;
import ai.intellia.keycloak.apikey.domain.AssumeRoleRequest;
import ai.intellia.keycloak.apikey.domain.FixedWindowLimiter;
import ai.intellia.keycloak.apikey.domain.RateLimitHeaders;
import ai.intellia.keycloak.apikey.domain.RateLimits;
import ai.intellia.keycloak.apikey.domain.StrictJson;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.WebApplicationException;
import ai.intellia.keycloak.apikey.events.ApiKeyEvents;
import ai.intellia.keycloak.apikey.store.ApiKeyService;
import ai.intellia.keycloak.apikey.store.Verification;
import ai.intellia.keycloak.apikey.store.KeyVerifier;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.keycloak.OAuth2Constants;
import org.keycloak.OAuthErrorException;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.protocol.oidc.TokenExchangeContext;
import org.keycloak.protocol.oidc.TokenExchangeProvider;
import org.keycloak.representations.AccessTokenResponse;
import org.keycloak.services.CorsErrorResponseException;
import org.keycloak.services.cors.Cors;

/**
 * Key → JWT. Without {@code requested_subject}: a short-lived token for the key itself. With it:
 * the assume-role end-user token of contract section 5, by the same service as the REST call.
 */
final class ApiKeyTokenExchangeProvider implements TokenExchangeProvider {

    static final String API_KEY_TOKEN_TYPE = "urn:intellia:params:oauth:token-type:api-key";
    private static final int MAX_KEY_TOKEN_SECONDS = 3600;

    private final KeycloakSession session;

    ApiKeyTokenExchangeProvider(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public boolean supports(TokenExchangeContext context) {
        return API_KEY_TOKEN_TYPE.equals(context.getParams().getSubjectTokenType());
    }

    @Override
    public Response exchange(TokenExchangeContext context) {
        RealmModel realm = context.getRealm();
        ClientModel client = context.getClient();
        EventBuilder event = context.getEvent();
        Cors cors = context.getCors();
        MultivaluedMap<String, String> form = userFields(context);
        event.detail("subject_token_type", API_KEY_TOKEN_TYPE);

        if (client.isPublicClient()) {
            throw refuse(event, cors, Errors.INVALID_CLIENT, OAuthErrorException.UNAUTHORIZED_CLIENT,
                    "A public client cannot exchange API keys: authenticate a confidential client.", Response.Status.BAD_REQUEST);
        }
        ApiKeyService keys = session.getProvider(ApiKeyService.class);
        if (!(new KeyVerifier(keys, realm).verify(context.getParams().getSubjectToken(), event) instanceof Verification.Verified key)) {
            throw refuse(event, cors, Errors.INVALID_TOKEN, OAuthErrorException.INVALID_REQUEST,
                    "Invalid subject_token.", Response.Status.BAD_REQUEST);
        }
        String requestedSubject = form.getFirst(OAuth2Constants.REQUESTED_SUBJECT);
        // an exchange with requested_subject is the assume-role operation (contract 4.2): its limit is assumeRole's
        FixedWindowLimiter.Decision rateLimit = guard(keys, key, event, cors,
                requestedSubject == null ? RateLimits.Operation.EXCHANGE : RateLimits.Operation.ASSUME_ROLE);

        AccessTokenResponse response = requestedSubject == null
                ? keyToken(realm, client, key, event)
                : assumeRole(realm, key, requestedSubject, form, event, cors);
        response.setOtherClaims(OAuth2Constants.ISSUED_TOKEN_TYPE, OAuth2Constants.ACCESS_TOKEN_TYPE);
        event.success();
        Response.ResponseBuilder ok = Response.ok(response, MediaType.APPLICATION_JSON_TYPE);
        if (rateLimit != null) {
            RateLimitHeaders.of(rateLimit).forEach(ok::header);
        }
        return cors.add(ok);
    }

    /**
     * The key's allow-list against the caller's address as Keycloak sees it (its proxy-headers
     * option applies), then its exchange rate limit: 403 {@code access_denied}, or 429
     * {@code too_many_requests} with Retry-After and RateLimit-* headers.
     */
    private FixedWindowLimiter.Decision guard(ApiKeyService keys, Verification.Verified key, EventBuilder event, Cors cors,
                                              RateLimits.Operation operation) {
        String address = session.getContext().getConnection().getRemoteAddr();
        if (!key.key().guards().allowsAddress(address)) {
            keys.recordRefusalAfterUse(session.getContext().getRealm(), key.key()); // counted as refused, not used
            event.detail(ApiKeyEvents.IP_ADDRESS, address);
            throw refuse(event, cors, Errors.ACCESS_DENIED, OAuthErrorException.ACCESS_DENIED,
                    "This API key may not be used from this network address.", Response.Status.FORBIDDEN);
        }
        FixedWindowLimiter.Decision decision = keys.rateLimit(key, operation);
        if (decision != null && !decision.allowed()) {
            keys.recordRefusalAfterUse(session.getContext().getRealm(), key.key());
            event.detail(Details.REASON, ApiKeyEvents.REASON_RATE_LIMITED);
            event.error(Errors.ACCESS_DENIED);
            session.getTransactionManager().setRollbackOnly();
            ObjectNode body = StrictJson.mapper().createObjectNode()
                    .put(OAuth2Constants.ERROR, ErrorCode.TOO_MANY_REQUESTS.code())
                    .put(OAuth2Constants.ERROR_DESCRIPTION, "This API key's exchange rate limit is reached: retry after "
                            + decision.resetSeconds() + " s.");
            Response.ResponseBuilder refused = Response.status(ErrorCode.TOO_MANY_REQUESTS.status()).type(MediaType.APPLICATION_JSON_TYPE).entity(body.toString());
            RateLimitHeaders.of(decision).forEach(refused::header);
            throw new WebApplicationException(cors.add(refused));
        }
        return decision;
    }

    private AccessTokenResponse keyToken(RealmModel realm, ClientModel client, Verification.Verified key, EventBuilder event) {
        ApiKeySettings settings = key.settings();
        UserModel principal = session.getProvider(ApiKeyService.class).principal(realm, key);
        int lifetime = Math.min(realm.getAccessTokenLifespan(), MAX_KEY_TOKEN_SECONDS);
        event.user(principal);
        TokenMinter.Issued issued = new TokenMinter(session).mint(realm, client, principal, "openid", lifetime, event, token -> {
            token.getOtherClaims().put(ApiKeyEvents.SOURCE, ApiKeyEvents.SOURCE_API_KEY);
            token.getOtherClaims().put(ApiKeyEvents.API_KEY_ID, key.id());
            token.getOtherClaims().put(ApiKeyEvents.ORGANIZATION_ID, key.organizationId());
            String keyScope = key.key().permissions().scope(settings.resources());
            String scope = token.getScope() == null || token.getScope().isBlank() ? keyScope : token.getScope() + " " + keyScope;
            token.setScope(scope.strip());
            Audiences.add(token, realm, settings);
        });
        issued.response().setScope(issued.token().getScope()); // the answer's scope matches the token's
        return issued.response();
    }

    private AccessTokenResponse assumeRole(RealmModel realm, Verification.Verified key, String requestedSubject,
                                           MultivaluedMap<String, String> form, EventBuilder event, Cors cors) {
        ApiKeySettings settings = key.settings();
        if (!key.key().permissions().allowsAssumeRole(settings.resources())) {
            session.getProvider(ApiKeyService.class).recordRefusalAfterUse(realm, key.key());
            throw refuse(event, cors, Errors.ACCESS_DENIED, OAuthErrorException.ACCESS_DENIED,
                    "The API key lacks the assume_role write permission.", Response.Status.FORBIDDEN);
        }
        AssumeRoleRequest request;
        try {
            request = AssumeRoleRequest.of(requestedSubject, form.getFirst("user_email"), form.getFirst("user_name"));
        } catch (ApiError e) {
            throw refuse(event, cors, Errors.INVALID_REQUEST, OAuthErrorException.INVALID_REQUEST, e.description(), Response.Status.BAD_REQUEST);
        }
        try {
            return new AssumeRoleService(session, realm, settings).assume(key.organization(), request, key.id(), event).response();
        } catch (ApiError e) {
            // e.g. an end user an admin disabled: the REST call's refusal in OAuth terms
            boolean denied = e.status() == 403;
            throw refuse(event, cors, denied ? Errors.ACCESS_DENIED : Errors.INVALID_REQUEST,
                    denied ? OAuthErrorException.ACCESS_DENIED : OAuthErrorException.SERVER_ERROR, e.description(),
                    Response.Status.fromStatusCode(e.status()));
        }
    }

    /**
     * The form as the client sent it. Keycloak's token endpoint strips control characters from
     * every parameter before providers see them, which would silently turn an invalid
     * {@code requested_subject} ("alice" plus a control character) into the different end user "alice";
     * the user fields are validated on the raw values instead, so that is a 400 as in the REST call.
     */
    private MultivaluedMap<String, String> userFields(TokenExchangeContext context) {
        MultivaluedMap<String, String> raw = session.getContext().getHttpRequest() == null ? null
                : session.getContext().getHttpRequest().getDecodedFormParameters();
        return raw == null || raw.isEmpty() ? context.getFormParams() : raw;
    }

    /**
     * Keycloak's refusal (the error event, then RFC 6749 JSON). The request's transaction is rolled
     * back as for every refusal (see {@code ApiErrorMapper}): a response thrown with its body skips
     * Keycloak's error handler, which would otherwise do it.
     */
    private CorsErrorResponseException refuse(EventBuilder event, Cors cors, String eventError, String oauthError,
                                              String description, Response.Status status) {
        event.detail(Details.REASON, description);
        event.error(eventError);
        session.getTransactionManager().setRollbackOnly();
        return new CorsErrorResponseException(cors, oauthError, description, status);
    }

    @Override
    public void close() {
    }
}
