package ai.intellia.keycloak.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import ai.intellia.keycloak.it.harness.AdminClient;
import ai.intellia.keycloak.it.harness.Http;
import ai.intellia.keycloak.it.harness.Http.Reply;
import ai.intellia.keycloak.it.harness.KeycloakExtension;
import ai.intellia.keycloak.it.harness.KeycloakServer;
import ai.intellia.keycloak.it.harness.KeycloakServer.Settings;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The organization admins' page ({@code /realms/{realm}/api-keys-console/}): how Keycloak serves
 * it, and a real browser session (integration-tests/src/test/browser/org-admin.spec.mjs, Playwright
 * driving Debian's Chromium) in which an Owner signs in with PKCE, creates, rotates (the old key marked
 * as in its grace, linked to its successor) and revokes keys (an in-page confirmation), on a desktop
 * and on a phone-sized screen (every value labeled), and a plain member finds nothing to manage.
 * Screenshots: target/screenshots/ (kept by CI as artefacts).
 *
 * Needs node and Chromium ({@code CHROMIUM}, default /usr/bin/chromium): in CI ({@code CI=true})
 * their absence fails the test, elsewhere it skips the browser part.
 */
@ExtendWith(KeycloakExtension.class)
class OrgAdminPageIT {

    private static final Duration BROWSER_TIMEOUT = Duration.ofMinutes(4);

    private final KeycloakServer server;
    private final AdminClient admin;

    OrgAdminPageIT(KeycloakServer server, AdminClient admin) {
        this.server = server;
        this.admin = admin;
    }

    private String pageUrl() {
        return server.baseUrl() + "/realms/" + OrgFixture.REALM + "/api-keys-console/";
    }

    // --- served by Keycloak ----------------------------------------------------------------------

    @Test
    void servesThePageWithAStrictContentSecurityPolicy() {
        Reply page = Http.get(pageUrl(), null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.header("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                .contains("default-src 'none'", "script-src 'self'", "frame-ancestors 'none'").doesNotContain("unsafe"));
        assertThat(page.header("X-Content-Type-Options")).contains("nosniff");
        assertThat(page.header("Referrer-Policy")).contains("no-referrer");
        assertThat(page.body()).contains("src=\"app.js\"", "href=\"app.css\"");

        assertThat(Http.get(pageUrl() + "app.js", null).header("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
        assertThat(Http.get(pageUrl() + "app.css", null).header("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/css"));
        assertThat(Http.get(pageUrl() + "index.html", null).body()).isEqualTo(page.body());
    }

    @Test
    void redirectsToTheTrailingSlash() {
        Reply reply = Http.get(pageUrl().replaceAll("/$", ""), null);
        assertThat(reply.status()).isIn(301, 302, 303, 307, 308);
        assertThat(reply.header("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/realms/intellia/api-keys-console/"));
    }

    @Test
    void servesOnlyItsOwnFiles() {
        for (String path : List.of("config", "App.js", "app.js.map", "beans.xml", "..%2FMETA-INF%2Fbeans.xml",
                "%2e%2e/%2e%2e/META-INF/beans.xml", "org-admin/app.js", "ConsoleFiles.class",
                "ai/intellia/keycloak/apikey/console/ConsoleFiles.class", "..;/app.js")) {
            Reply reply = Http.get(pageUrl() + path, null);
            assertThat(reply.status()).as(path + ": " + reply).isIn(400, 404);
            assertThat(reply.body()).as(path).doesNotContain("<?xml", "<beans", "import ");
        }
    }

    @Test
    void configNamesThePublicClientAndTheResourcesAndNothingSecret() {
        Reply reply = Http.get(pageUrl() + "config.json", null);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Cache-Control")).contains("no-store");
        JsonNode config = reply.json();
        assertThat(config.get("clientId").asText()).isEqualTo("intellia-portal");
        List<String> resources = new ArrayList<>();
        config.get("resources").forEach(r -> resources.add(r.asText()));
        assertThat(resources).contains("agents", "assume_role", "webhooks");
        assertThat(config.get("realmDisplayName").asText()).isEqualTo("Intellia");
        assertThat(fieldNames(config)).containsExactlyInAnyOrder("clientId", "realmDisplayName", "resources", "keyLifetime");
        assertThat(config.get("keyLifetime").toString()).isEqualTo("{\"maxDays\":null,\"requireExpiry\":false}");
    }

    @Test
    void looksLikeKeycloakThroughThePatternFlyStylesheetKeycloakServes() {
        Reply redirect = Http.get(pageUrl() + "patternfly.css", null);
        assertThat(redirect.status()).isEqualTo(302);
        String location = redirect.header("Location").orElseThrow();
        assertThat(location).startsWith(server.baseUrl() + "/resources/").endsWith("/common/keycloak/vendor/patternfly-v5/patternfly.min.css");
        Reply css = Http.get(location, null);
        assertThat(css.status()).isEqualTo(200);
        assertThat(css.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/css"));
        assertThat(css.body()).contains(".pf-v5-c-button", ".pf-v5-c-table");
        assertThat(Http.get(pageUrl(), null).header("Content-Security-Policy")).hasValueSatisfying(csp ->
                assertThat(csp).contains("style-src 'self'", "font-src 'self'"));
    }

    @Test
    void theAccountConsoleListsThePageUnderApplications() {
        OrgFixture org = OrgFixture.create(admin);
        Reply reply = Http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/realms/intellia/account/applications"))
                .header("Authorization", "Bearer " + org.memberToken).header("Accept", "application/json").build());
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        JsonNode portal = null;
        for (JsonNode app : reply.json()) {
            if ("intellia-portal".equals(app.path("clientId").asText())) {
                portal = app;
            }
        }
        assertThat(portal).as(reply.toString()).isNotNull();
        assertThat(portal.path("effectiveUrl").asText()).isEqualTo(pageUrl());
    }

    // --- in a browser ------------------------------------------------------------------------------

    @Test
    void ownerManagesKeysInTheBrowserAndAMemberSeesNone() throws Exception {
        Path browserDir = Settings.repoRoot().resolve("integration-tests/src/test/browser");
        Path chromium = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
        requireTool(Files.isExecutable(chromium), "Chromium at " + chromium + " (apt-get install chromium)");
        requireTool(runs(browserDir, "node", "--version"), "node on the PATH");
        if (!Files.isDirectory(browserDir.resolve("node_modules/playwright-core"))) {
            requireTool(runs(browserDir, "npm", "--version"), "npm on the PATH");
            Path npmLog = Settings.workDir().resolve("browser/npm-ci.log");
            int npm = run(browserDir, List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), npmLog, Duration.ofMinutes(5));
            assertThat(npm).as("npm ci in " + browserDir + ":\n" + Files.readString(npmLog)).isZero();
        }

        OrgFixture org = OrgFixture.create(admin);
        Path screenshots = Settings.workDir().resolve("screenshots");
        Path resultFile = Settings.workDir().resolve("browser/org-admin-result.json");
        Path log = Settings.workDir().resolve("browser/org-admin.log");
        Files.deleteIfExists(resultFile);
        if (Files.isDirectory(screenshots)) {
            try (var old = Files.newDirectoryStream(screenshots, "*.png")) {
                for (Path png : old) {
                    Files.delete(png);
                }
            }
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KC_URL", server.baseUrl());
        env.put("REALM", org.realm);
        env.put("ORG_ID", org.orgId);
        env.put("ORG_NAME", "Org " + org.alias);
        env.put("OWNER_USERNAME", "owner-" + org.alias);
        env.put("OWNER_PASSWORD", "pw");
        env.put("MEMBER_USERNAME", "member-" + org.alias);
        env.put("MEMBER_PASSWORD", "pw");
        env.put("SCREENSHOT_DIR", screenshots.toString());
        env.put("RESULT_FILE", resultFile.toString());
        env.put("CHROMIUM", chromium.toString());
        int exit = run(browserDir, List.of("node", "org-admin.spec.mjs"), env, log, BROWSER_TIMEOUT);
        String output = Files.readString(log);
        assertThat(exit).as("org-admin.spec.mjs (screenshots in " + screenshots + "):\n" + output).isZero();

        JsonNode result = Http.JSON.readTree(resultFile.toFile());
        assertThat(result.path("passed").asBoolean()).as(output).isTrue();
        String created = result.path("createdKeyId").asText();
        String rotated = result.path("rotatedKeyId").asText();
        assertThat(created).isNotBlank().isNotEqualTo(rotated);
        assertThat(rotated).isNotBlank();

        // What the page did really happened, as the Owner's own API and the realm's events tell.
        String ownerToken = admin.userToken(org.realm, "owner-" + org.alias, "pw");
        Reply list = Http.get(org.keysUrl(), ownerToken);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json()).as("every key the page made is revoked").isEmpty();
        assertThat(Http.get(org.keysUrl() + "/" + created, ownerToken).status()).isEqualTo(404);
        assertThat(Http.get(org.keysUrl() + "/" + rotated, ownerToken).status()).isEqualTo(404);

        List<String> operations = new ArrayList<>();
        for (JsonNode event : admin.events(org.realm, "user=" + org.ownerId + "&max=200")) {
            JsonNode details = event.path("details");
            if (org.orgId.equals(details.path("organization_id").asText())) {
                operations.add(details.path("api_key_operation").asText() + " " + details.path("api_key_id").asText()
                        + (details.has("rotated_from") ? " from " + details.get("rotated_from").asText() : ""));
            }
        }
        String shortLived = result.path("shortKeyId").asText();
        assertThat(shortLived).isNotBlank().isNotIn(created, rotated);
        assertThat(operations).containsExactlyInAnyOrder(
                "create " + created, "rotate " + rotated + " from " + created, "revoke " + rotated, "revoke " + created,
                "create " + shortLived, "revoke " + shortLived);

        // Both signed in through the page's public client with the authorization code flow.
        assertThat(admin.events(org.realm, "type=CODE_TO_TOKEN&client=intellia-portal&user=" + org.ownerId)).isNotEmpty();
        assertThat(admin.events(org.realm, "type=CODE_TO_TOKEN&client=intellia-portal&user=" + org.memberId)).isNotEmpty();
        assertThat(screenshots.resolve("04-key-listed.png")).isRegularFile();
        assertThat(screenshots.resolve("05-key-rotated.png")).isRegularFile();
        assertThat(screenshots.resolve("06-phone-key-list.png")).isRegularFile();
        assertThat(screenshots.resolve("07-phone-revoke-confirmation.png")).isRegularFile();
        assertThat(screenshots.resolve("09-member-no-organizations.png")).isRegularFile();
    }

    // -------------------------------------------------------------------------------------------------

    /** A missing tool fails the test in CI ({@code CI=true}) and skips it elsewhere. */
    private static void requireTool(boolean present, String what) {
        if (!present) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("The browser test needs " + what + " (CI=true: not skipped)");
            }
            Assumptions.abort("The browser test needs " + what + ": skipped outside CI");
        }
    }

    private static boolean runs(Path dir, String... command) {
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static int run(Path dir, List<String> command, Map<String, String> env, Path log, Duration timeout)
            throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
            fail(String.join(" ", command) + " did not finish within " + timeout + ":\n" + Files.readString(log));
        }
        return process.exitValue();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
