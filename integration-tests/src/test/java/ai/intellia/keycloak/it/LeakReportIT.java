package ai.intellia.keycloak.it;

import ai.intellia.keycloak.it.harness.AdminClient;
import ai.intellia.keycloak.it.harness.Http;
import ai.intellia.keycloak.it.harness.Http.Reply;
import ai.intellia.keycloak.it.harness.KeycloakExtension;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Contract 8, leak reports: a report signed like GitHub's secret-scanning partner program revokes
 * the reported keys (idempotently, with a revoke event naming the reason and url); an unsigned or
 * badly signed one is refused with 401 and revokes nothing. Signed with a local key pair.
 */
@ExtendWith(KeycloakExtension.class)
class LeakReportIT {

    private static final String IDENTIFIER = "it-scanner-1";

    private final AdminClient admin;
    private final Scanner scanner = new Scanner();
    private OrgFixture org;

    LeakReportIT(AdminClient admin) {
        this.admin = admin;
    }

    @BeforeEach
    void configureScannerKey() {
        Reply put = Http.putJson(settingsUrl(), admin.token(), Map.of("leakReportPublicKeys", Map.of(IDENTIFIER, scanner.pem())));
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        org = OrgFixture.create(admin);
    }

    @AfterEach
    void removeScannerKey() {
        Http.putJson(settingsUrl(), admin.token(), java.util.Collections.singletonMap("leakReportPublicKeys", null));
    }

    private String settingsUrl() {
        return admin.url(org == null ? OrgFixture.REALM : org.realm, "/api-keys/settings");
    }

    private String reportUrl() {
        return admin.baseUrl() + "/realms/" + OrgFixture.REALM + "/api-keys/leak-reports";
    }

    @Test
    @DisplayName("given a signed report of a live key then it is revoked, labelled true_positive, with a revoke event naming reason and url")
    void signedReportRevokes() {
        JsonNode created = org.createKey(Map.of("description", "leaked", "permissions", Map.of()));
        String key = created.get("key").asText();
        assertThat(org.isActive(key)).isTrue();

        Reply reply = send(report(key, "https://github.com/acme/app/blob/main/.env"));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.json()).hasSize(1);
        assertThat(reply.json().get(0).get("token_hash").asText()).isEqualTo(sha256(key));
        assertThat(reply.json().get(0).get("token_type").asText()).isEqualTo("intellia_api_key");
        assertThat(reply.json().get(0).get("label").asText()).isEqualTo("true_positive");
        assertThat(reply.body()).doesNotContain(key);
        assertThat(org.isActive(key)).isFalse();
        Refusals.assertRefused(Http.get(org.keysUrl() + "/" + created.get("id").asText(), org.ownerToken), 404, "api_key_not_found");
        List<JsonNode> events = revokeEvents(created.get("id").asText());
        assertThat(events).hasSize(1);
        assertThat(events.get(0).at("/details/reason").asText()).isEqualTo("leak_report");
        assertThat(events.get(0).at("/details/url").asText()).isEqualTo("https://github.com/acme/app/blob/main/.env");
        assertThat(events.get(0).at("/details/api_key_operation").asText()).isEqualTo("revoke");
    }

    @Test
    @DisplayName("given the same report twice then the second answers the same and records no second event")
    void repeatIsIdempotent() {
        JsonNode created = org.createKey(Map.of("description", "leaked twice", "permissions", Map.of()));
        String body = report(created.get("key").asText(), "https://example.com/paste");

        Reply first = send(body);
        Reply second = send(body);

        assertThat(first.status()).isEqualTo(200);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json()).isEqualTo(first.json());
        assertThat(revokeEvents(created.get("id").asText())).hasSize(1);
    }

    @Test
    @DisplayName("given a made-up or foreign token then false_positive and nothing revoked")
    void falsePositive() {
        String live = org.createKey(Map.of("description", "bystander", "permissions", Map.of())).get("key").asText();
        String forged = ForgedKeys.typo(live);
        String body = "[{\"token\":\"ik_notakey\",\"type\":\"intellia_api_key\",\"url\":\"https://x\",\"source\":\"content\"},"
                + "{\"token\":\"" + forged + "\",\"type\":\"intellia_api_key\",\"url\":\"https://x\",\"source\":\"content\"}]";

        Reply reply = send(body);

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.json()).extracting(n -> n.get("label").asText()).containsExactly("false_positive", "false_positive");
        assertThat(reply.json().get(0).get("token_hash").asText()).isEqualTo(sha256("ik_notakey"));
        assertThat(org.isActive(live)).isTrue();
    }

    @Test
    @DisplayName("given an unsigned, unknown-key or badly signed report then 401 and nothing revoked")
    void refusedWithoutAGoodSignature() {
        JsonNode created = org.createKey(Map.of("description", "target", "permissions", Map.of()));
        String key = created.get("key").asText();
        String body = report(key, "https://x");

        Reply unsigned = Scanner.post(reportUrl(), body, null, null);
        Reply noSignature = Scanner.post(reportUrl(), body, IDENTIFIER, null);
        Reply unknownIdentifier = Scanner.post(reportUrl(), body, "someone-else", scanner.sign(body));
        Reply wrongKey = Scanner.post(reportUrl(), body, IDENTIFIER, new Scanner().sign(body));
        Reply otherBody = Scanner.post(reportUrl(), body + " ", IDENTIFIER, scanner.sign(body));
        Reply garbage = Scanner.post(reportUrl(), body, IDENTIFIER, "bm90IGEgc2lnbmF0dXJl");

        for (Reply reply : List.of(unsigned, noSignature, unknownIdentifier, wrongKey, otherBody, garbage)) {
            Refusals.assertRefused(reply, 401, "invalid_signature");
        }
        assertThat(org.isActive(key)).isTrue();
        assertThat(revokeEvents(created.get("id").asText())).isEmpty();
    }

    @Test
    @DisplayName("given a signed report that is not JSON then 400; a public-key setting that is not P-256 then 400")
    void badInput() {
        Reply malformed = send("[{\"token\":");
        Refusals.assertRefused(malformed, 400, "invalid_request");
        Reply badKey = Http.putJson(settingsUrl(), admin.token(), Map.of("leakReportPublicKeys", Map.of("k", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----")));
        Refusals.assertRefused(badKey, 400, "invalid_request");
    }

    private static String report(String token, String url) {
        return "[{\"token\":\"" + token + "\",\"type\":\"intellia_api_key\",\"url\":\"" + url + "\",\"source\":\"content\"}]";
    }

    /** Signed by the configured scanner key. */
    private Reply send(String body) {
        return Scanner.post(reportUrl(), body, IDENTIFIER, scanner.sign(body));
    }

    private List<JsonNode> revokeEvents(String keyId) {
        JsonNode events = admin.events(OrgFixture.REALM, "type=REMOVE_CREDENTIAL&max=500");
        return StreamSupport.stream(events.spliterator(), false)
                .filter(e -> keyId.equals(e.at("/details/api_key_id").asText()))
                .toList();
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
