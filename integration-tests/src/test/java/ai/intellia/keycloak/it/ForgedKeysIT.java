package ai.intellia.keycloak.it;

import ai.intellia.keycloak.it.harness.AdminClient;
import ai.intellia.keycloak.it.harness.Http;
import ai.intellia.keycloak.it.harness.Http.Reply;
import ai.intellia.keycloak.it.harness.KeycloakExtension;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static ai.intellia.keycloak.it.OrgFixture.grant;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Contract section 3: "a mistyped or made-up key is refused without touching the database". The
 * CRC is public, so keys now carry a keyed tag over their ids: a made-up key is refused in memory;
 * keys of the older untagged format keep working; and refusing an unknown key id costs what
 * refusing a wrong secret does.
 */
@ExtendWith(KeycloakExtension.class)
class ForgedKeysIT {

    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AdminClient admin;
    private OrgFixture org;
    private String key;

    ForgedKeysIT(AdminClient admin) {
        this.admin = admin;
    }

    @BeforeEach
    void freshOrganizationWithAKey() {
        org = OrgFixture.create(admin);
        key = org.createKey("genuine", grant("assume_role", false, true)).get("key").asText();
    }

    /** {@code n} base62 characters whose value fits the segment (a leading '0' keeps it in range). */
    private static String digits(int n) {
        StringBuilder out = new StringBuilder("0");
        for (int i = 1; i < n; i++) {
            out.append(BASE62.charAt(RANDOM.nextInt(62)));
        }
        return out.toString();
    }

    private Reply exchange(String subject) {
        return Http.postForm(admin.tokenUrl(org.realm), null, Map.of("grant_type", TokenExchangeIT.GRANT, "subject_token", subject,
                "subject_token_type", TokenExchangeIT.API_KEY_TYPE, "client_id", OrgFixture.RS_CLIENT, "client_secret", OrgFixture.RS_SECRET));
    }

    @Test
    @DisplayName("given an issued key then it carries a tag: 107 characters, ik_ and base62, and it works")
    void issuedKeysAreTagged() {
        assertThat(key).hasSize(107).matches("ik_[A-Za-z0-9]{104}");
        assertThat(org.isActive(key)).isTrue();
    }

    @Test
    @DisplayName("given the genuine ids and secret with a made-up tag and a valid checksum then refused everywhere alike")
    void madeUpTagIsRefused() {
        String forged = IntrospectionIT.withChecksum(key.substring(0, 90) + digits(11));
        String madeUp = IntrospectionIT.withChecksum("ik_" + digits(22) + digits(22) + digits(43) + digits(11));

        for (String candidate : List.of(forged, madeUp)) {
            assertThat(org.introspect(candidate).body()).isEqualTo("{\"active\":false}");
            Reply exchanged = exchange(candidate);
            assertThat(exchanged.status()).isEqualTo(400);
            assertThat(exchanged.json().get("error").asText()).isEqualTo("invalid_request");
            Reply assumed = Http.postJson(org.orgUrl() + "/assume-role", candidate, Map.of("userId", "u"));
            assertThat(assumed.status()).isEqualTo(401);
        }
        assertThat(org.isActive(key)).isTrue();
    }

    @Test
    @DisplayName("given a key of the older untagged format (96 characters) then it still works; made up, it is refused")
    void untaggedKeysKeepWorking() {
        String untagged = IntrospectionIT.withChecksum(key.substring(0, 90));
        String madeUpHolder = IntrospectionIT.withChecksum(key.substring(0, 25) + digits(22) + key.substring(47, 90));

        assertThat(untagged).hasSize(96);
        JsonNode answer = org.introspect(untagged).json();
        assertThat(answer.get("active").asBoolean()).isTrue();
        assertThat(answer.get("organization_id").asText()).isEqualTo(org.orgId);
        assertThat(org.introspect(madeUpHolder).body()).isEqualTo("{\"active\":false}");
    }

    @Test
    @DisplayName("given a deleted key id and a wrong secret then their refusals take the same time (medians within 25 % + 2 ms)")
    void unknownIdAndWrongSecretLookAlikeInTime() {
        JsonNode old = org.createKey("rotated away", grant("agents", true, false));
        Reply rotated = Http.postJson(org.keysUrl() + "/" + old.get("id").asText() + "/rotate", org.ownerToken, Map.of());
        assertThat(rotated.status()).isEqualTo(201);
        String unknownId = old.get("key").asText(); // gone at once (no grace): its id is unknown now, its tag still valid
        String wrongSecret = IntrospectionIT.withSecret(key, digits(43));
        List<Long> unknown = new ArrayList<>();
        List<Long> wrong = new ArrayList<>();
        for (int i = 0; i < 230; i++) {
            boolean first = i % 2 == 0; // interleaved, so that load on the machine hits both alike
            long a = timed(first ? unknownId : wrongSecret);
            long b = timed(first ? wrongSecret : unknownId);
            if (i >= 30) { // warm-up
                (first ? unknown : wrong).add(a);
                (first ? wrong : unknown).add(b);
            }
        }
        long mu = median(unknown);
        long mw = median(wrong);
        assertThat(Math.abs(mu - mw)).as("median ns: unknown id %d, wrong secret %d", mu, mw)
                .isLessThanOrEqualTo(Math.max(mu, mw) / 4 + 2_000_000);
    }

    private long timed(String candidate) {
        long start = System.nanoTime();
        Reply reply = org.introspect(candidate);
        long took = System.nanoTime() - start;
        assertThat(reply.body()).isEqualTo("{\"active\":false}");
        return took;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
