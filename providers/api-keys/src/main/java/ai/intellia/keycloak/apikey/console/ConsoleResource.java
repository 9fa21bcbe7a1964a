package ai.intellia.keycloak.apikey.console;

import ai.intellia.keycloak.apikey.domain.StrictJson;
import ai.intellia.keycloak.apikey.domain.ApiKeySettings;
import ai.intellia.keycloak.apikey.domain.LifetimePolicy;
import ai.intellia.keycloak.apikey.store.ApiKeyService;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import org.keycloak.common.Version;
import org.keycloak.headers.SecurityHeadersProvider;
import org.keycloak.models.BrowserSecurityHeaders;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * {@code /realms/{realm}/api-keys-console/}: the organization admins' page, served by Keycloak
 * itself so that it calls the realm's endpoints from the same origin (no CORS). The page holds no
 * secret and gets none: it signs in through the realm's public client with PKCE like any browser
 * app. {@code config.json} tells it that client's id, the realm's display name and its permission
 * resources. It looks like Keycloak's own pages because it uses the PatternFly 5 stylesheet that
 * Keycloak's themes ship ({@code patternfly.css} redirects there): same origin, nothing vendored.
 */
public final class ConsoleResource {

    /** Only our own script and style; nothing inline, no framing, no base or form tricks. */
    static final String CONTENT_SECURITY_POLICY = String.join("; ",
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "font-src 'self'",
            "img-src 'self' data:",
            "connect-src 'self'",
            "form-action 'self'",
            "base-uri 'none'",
            "frame-ancestors 'none'");

    private final KeycloakSession session;
    private final ConsoleFiles files;
    private final String clientId;

    ConsoleResource(KeycloakSession session, ConsoleFiles files, String clientId) {
        this.session = session;
        this.files = files;
        this.clientId = clientId;
    }

    /** The page; without the trailing slash, a redirect to it (the page's links are relative). */
    @GET
    public Response index() {
        URI request = session.getContext().getUri().getRequestUri();
        if (!request.getRawPath().endsWith("/")) {
            return secured(Response.status(Response.Status.MOVED_PERMANENTLY)
                    .location(UriBuilder.fromUri(request).replacePath(request.getRawPath() + "/").build()));
        }
        return file("index.html");
    }

    /**
     * Keycloak's own PatternFly 5 stylesheet, under the versioned path its themes serve it from
     * ({@code /resources/{version}/common/keycloak/vendor/patternfly-v5/}); its fonts and icons
     * resolve next to it. The version changes with Keycloak, so the redirect is not cached.
     */
    @GET
    @Path("patternfly.css")
    public Response patternfly() {
        URI target = session.getContext().getUri().getBaseUriBuilder()
                .path("resources").path(Version.RESOURCES_VERSION).path("common/keycloak/vendor/patternfly-v5/patternfly.min.css")
                .build();
        return secured(Response.status(Response.Status.FOUND).location(target).header("Cache-Control", "no-cache"));
    }

    @GET
    @Path("config.json")
    public Response config() {
        RealmModel realm = session.getContext().getRealm();
        ObjectNode body = StrictJson.mapper().createObjectNode();
        body.put("clientId", ConsoleResourceProviderFactory.clientId(realm, clientId));
        body.put("realmDisplayName", realm.getDisplayName() == null || realm.getDisplayName().isBlank() ? realm.getName() : realm.getDisplayName());
        ApiKeySettings settings = session.getProvider(ApiKeyService.class).settings(realm);
        body.putArray("resources").addAll(settings.resources().stream().map(body::textNode).toList());
        // The realm's bound for the expiry presets; an organization's tighter one is the server's 400 to show.
        ObjectNode lifetime = body.putObject("keyLifetime");
        if (settings.maxKeyLifetimeDays() == null) {
            lifetime.putNull("maxDays");
        } else {
            lifetime.put("maxDays", settings.maxKeyLifetimeDays());
        }
        lifetime.put("requireExpiry", LifetimePolicy.of(settings).requireExpiry());
        return secured(Response.ok(body.toString(), "application/json; charset=utf-8").header("Cache-Control", "no-store"));
    }

    @GET
    @Path("{name}")
    public Response file(@PathParam("name") String name) {
        return files.get(name)
                .map(f -> secured(Response.ok(f.content(), f.contentType()).header("Cache-Control", "no-cache")))
                .orElseGet(() -> secured(Response.status(Response.Status.NOT_FOUND)
                        .type("text/plain; charset=utf-8").entity("Not found\n")));
    }

    /**
     * Our own security headers. Keycloak's filter would overwrite them on HTML with the realm's
     * (looser) defaults, so it is told to skip this response, and the realm's other headers
     * (Strict-Transport-Security, X-Robots-Tag) are set here instead.
     */
    private Response secured(Response.ResponseBuilder response) {
        SecurityHeadersProvider keycloakHeaders = session.getProvider(SecurityHeadersProvider.class);
        if (keycloakHeaders != null) {
            keycloakHeaders.options().skipHeaders();
            Map<String, String> realmHeaders = session.getContext().getRealm().getBrowserSecurityHeaders();
            for (BrowserSecurityHeaders header : List.of(BrowserSecurityHeaders.STRICT_TRANSPORT_SECURITY, BrowserSecurityHeaders.X_ROBOTS_TAG)) {
                String value = realmHeaders == null ? header.getDefaultValue() : realmHeaders.getOrDefault(header.getKey(), header.getDefaultValue());
                if (value != null && !value.isBlank()) {
                    response.header(header.getHeaderName(), value);
                }
            }
        }
        return response
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "no-referrer")
                .header("Cross-Origin-Opener-Policy", "same-origin")
                .build();
    }
}
