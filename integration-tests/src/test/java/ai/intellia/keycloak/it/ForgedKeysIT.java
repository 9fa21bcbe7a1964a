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

    private Reply exchange(String subject) {
        return Http.postForm(admin.tokenUrl(org.realm), null, Map.of("grant_type", TokenExchangeIT.GRANT, "subject_token", subject,
                "subject_token_type", TokenExchangeIT.API_KEY_TYPE, "client_id", OrgFixture.RS_CLIENT, "client_secret", OrgFixture.RS_SECRET));
    }

    @Test
    @DisplayName("given an issued key then it carries a tag: 107 characters, ik_ and base62, and it works")
    void issuedKeysAreTagged() {
        assertThat(key).hasSize(ForgedKeys.TAGGED_LENGTH).matches("ik_[A-Za-z0-9]{104}");
        assertThat(org.isActive(key)).isTrue();
    }

    @Test
    @DisplayName("given the genuine ids and secret with a made-up tag and a valid checksum then refused everywhere alike")
    void madeUpTagIsRefused() {
        String forged = ForgedKeys.withMadeUpTag(key);
        String madeUp = ForgedKeys.madeUp();

        for (String candidate : List.of(forged, madeUp)) {
            Refusals.assertInactive(org.introspect(candidate));
            Refusals.assertRefused(exchange(candidate), 400, "invalid_request");
            Refusals.assertRefused(Http.postJson(org.orgUrl() + "/assume-role", candidate, Map.of("userId", "u")), 401, "invalid_token");
        }
        assertThat(org.isActive(key)).isTrue();
    }

    @Test
    @DisplayName("given a key of the older untagged format (96 characters) then it still works; made up, it is refused")
    void untaggedKeysKeepWorking() {
        String untagged = ForgedKeys.untagged(key);
        String madeUpHolder = ForgedKeys.untaggedWithMadeUpHolder(key);

        assertThat(untagged).hasSize(ForgedKeys.UNTAGGED_LENGTH);
        JsonNode answer = org.introspect(untagged).json();
        assertThat(answer.get("active").asBoolean()).isTrue();
        assertThat(answer.get("organization_id").asText()).isEqualTo(org.orgId);
        Refusals.assertInactive(org.introspect(madeUpHolder));
    }

    @Test
    @DisplayName("given a deleted key id and a wrong secret then their refusals take the same time (medians within 25 % + 2 ms)")
    void unknownIdAndWrongSecretLookAlikeInTime() {
        JsonNode old = org.createKey("rotated away", grant("agents", true, false));
        Reply rotated = Http.postJson(org.keysUrl() + "/" + old.get("id").asText() + "/rotate", org.ownerToken, Map.of());
        assertThat(rotated.status()).isEqualTo(201);
        String unknownId = old.get("key").asText(); // gone at once (no grace): its id is unknown now, its tag still valid
        String wrongSecret = ForgedKeys.withSecret(key, ForgedKeys.digits(43));
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
        Refusals.assertInactive(reply);
        return took;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
