package ai.intellia.keycloak.it;

import ai.intellia.keycloak.it.harness.Http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Keycloak's own self-registration form, driven over HTTP as a browser would (cookies, the form's
 * action URL): the way a real person signs up.
 */
final class Registration {

    private static final Pattern FORM_ACTION = Pattern.compile("id=\"kc-register-form\"[^>]*action=\"([^\"]+)\"|action=\"([^\"]+)\"[^>]*id=\"kc-register-form\"");

    private Registration() {
    }

    /**
     * Registers a user through {@code clientId} (standard flow, redirect URI {@code redirectUri});
     * answers the status of the form's POST (302 to the redirect URI on success, 200 with the form
     * and an error otherwise) and the page on a 200.
     */
    static Http.Reply register(String baseUrl, String realm, String clientId, String redirectUri, Map<String, String> fields)
            throws IOException, InterruptedException {
        // Cookies by hand: java.net.CookieManager drops the ones Keycloak marks Secure on plain HTTP.
        HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
        String start = baseUrl + "/realms/" + realm + "/protocol/openid-connect/registrations?client_id=" + Http.encode(clientId)
                + "&response_type=code&scope=openid&redirect_uri=" + Http.encode(redirectUri);
        HttpResponse<String> page = browser.send(HttpRequest.newBuilder(URI.create(start)).GET().build(), HttpResponse.BodyHandlers.ofString());
        Matcher action = FORM_ACTION.matcher(page.body());
        if (page.statusCode() != 200 || !action.find()) {
            throw new AssertionError("no registration form: " + page.statusCode() + " " + page.body());
        }
        String url = (action.group(1) != null ? action.group(1) : action.group(2)).replace("&amp;", "&");
        String form = fields.entrySet().stream().map(e -> Http.encode(e.getKey()) + "=" + Http.encode(e.getValue()))
                .collect(Collectors.joining("&"));
        String cookies = page.headers().allValues("Set-Cookie").stream().map(c -> c.split(";", 2)[0])
                .filter(c -> !c.endsWith("=")).collect(Collectors.joining("; "));
        HttpResponse<String> posted = browser.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", cookies)
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        return new Http.Reply(posted.statusCode(), posted.headers().map(), posted.body());
    }
}
