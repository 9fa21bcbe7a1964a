package ai.intellia.keycloak.it;

import ai.intellia.keycloak.it.harness.AdminClient;
import ai.intellia.keycloak.it.harness.Http;
import ai.intellia.keycloak.it.harness.Http.Reply;
import ai.intellia.keycloak.it.harness.KeycloakExtension;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Contract 4.4 and 4.3: revocation reaches every token a key minted (at Keycloak's introspection,
 * any hint, within 1 s); rotation and expiry do not; revoked keys are still named in error events.
 */
@ExtendWith(KeycloakExtension.class)
class RevocationCascadeIT {

    private static final List<String> HINTS = Arrays.asList(null, "access_token", "refresh_token", "api_key");

    private final AdminClient admin;
    private OrgFixture org;
    private JsonNode created;
    private String key;
    private String keyToken;
    private String endUserToken;

    RevocationCascadeIT(AdminClient admin) {
        this.admin = admin;
    }

    @BeforeEach
    void keyAndWhatItMinted() {
        org = OrgFixture.create(admin);
        created = org.createKey(Map.of("description", "minter", "permissions", Map.of("assume_role", Map.of("write", true))));
        key = created.get("key").asText();
        keyToken = Minted.keyToken(admin, org, key);
        endUserToken = Minted.endUserToken(org, key, "cascade-user");
        assertThat(Minted.active(admin, org.realm, keyToken, null)).isTrue();
        assertThat(Minted.active(admin, org.realm, endUserToken, null)).isTrue();
    }

    private String keyId() {
        return created.get("id").asText();
    }

    /**
     * Milliseconds from the change's answer until both minted tokens are inactive under every
     * hint, polled every 20 ms; fails after 1 s. Printed for the record.
     */
    private long millisUntilMintedInactive(String change) {
        long since = System.nanoTime();
        long deadline = since + 1_000_000_000L;
        boolean gone = false;
        int sweeps = 0;
        while (!gone && System.nanoTime() < deadline) {
            sweeps++;
            gone = HINTS.stream().noneMatch(h -> Minted.active(admin, org.realm, keyToken, h) || Minted.active(admin, org.realm, endUserToken, h));
            if (!gone) {
                sleep(20);
            }
        }
        long millis = (System.nanoTime() - since) / 1_000_000;
        assertThat(gone).as("minted tokens inactive within 1 s of: %s", change).isTrue();
        System.out.printf("cascade (%s): minted tokens inactive under all 4 hints %d ms after the change was answered (sweep %d of 8 introspections)%n",
                change, millis, sweeps);
        return millis;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    @DisplayName("given a key revoked through the organization API then its exchanged and end-user tokens are inactive within 1 s")
    void revokedThroughOrgApi() {
        assertThat(Http.delete(org.keysUrl() + "/" + keyId(), org.ownerToken).status()).isEqualTo(204);
        millisUntilMintedInactive("organization API DELETE");
    }

    @Test
    @DisplayName("given a key revoked through the admin API then its minted tokens are inactive within 1 s")
    void revokedThroughAdminApi() {
        assertThat(Http.delete(admin.url(org.realm, "/api-keys/" + keyId()), admin.token()).status()).isEqualTo(204);
        millisUntilMintedInactive("admin API DELETE");
    }

    @Test
    @DisplayName("given a key's credential deleted in the admin console then its minted tokens are inactive within 1 s")
    void deletedInAdminConsole() {
        String holderId = RealmJwt.verified(admin, org.realm, keyToken).get("sub").asText();
        assertThat(Http.delete(admin.url(org.realm, "/users/" + holderId + "/credentials/" + keyId()), admin.token()).status())
                .isEqualTo(204);
        millisUntilMintedInactive("admin console credential delete");
        assertThat(org.isActive(key)).isFalse();
    }

    @Test
    @DisplayName("given the organization disabled then minted tokens are inactive; enabled again, active again")
    void organizationDisabled() {
        JsonNode representation = Http.get(admin.url(org.realm, "/organizations/" + org.orgId), admin.token()).json();
        ((ObjectNode) representation).put("enabled", false);
        assertThat(Http.putJson(admin.url(org.realm, "/organizations/" + org.orgId), admin.token(), representation).status()).isEqualTo(204);
        millisUntilMintedInactive("organization disabled");
        ((ObjectNode) representation).put("enabled", true);
        assertThat(Http.putJson(admin.url(org.realm, "/organizations/" + org.orgId), admin.token(), representation).status()).isEqualTo(204);
        assertThat(Poll.until(Duration.ofSeconds(2), () -> Minted.active(admin, org.realm, keyToken, null))).isTrue();
    }

    @Test
    @DisplayName("given the organization deleted then minted tokens are inactive")
    void organizationDeleted() {
        assertThat(Http.delete(admin.url(org.realm, "/organizations/" + org.orgId), admin.token()).status()).isEqualTo(204);
        millisUntilMintedInactive("organization deleted");
    }

    @Test
    @DisplayName("given a rotation without grace then the old key is refused but the tokens it minted keep their lifetime")
    void rotationIsNotRevocation() {
        Reply rotated = Http.postJson(org.keysUrl() + "/" + keyId() + "/rotate", org.ownerToken, Map.of("gracePeriodSeconds", 0));
        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(201);
        assertThat(org.isActive(key)).isFalse();
        for (String hint : Arrays.asList(null, "access_token", "api_key")) {
            assertThat(Minted.active(admin, org.realm, keyToken, hint)).as("key token, hint %s", hint).isTrue();
            assertThat(Minted.active(admin, org.realm, endUserToken, hint)).as("end-user token, hint %s", hint).isTrue();
        }
        // …and revoking the successor does not reach tokens of the old key either
        Http.delete(org.keysUrl() + "/" + rotated.json().get("id").asText(), org.ownerToken);
        assertThat(Minted.active(admin, org.realm, keyToken, null)).isTrue();
    }

    @Test
    @DisplayName("given an end user disabled or removed from the organization then their token is inactive, the key's own token not")
    void endUserDisabledOrRemoved() {
        String userId = RealmJwt.verified(admin, org.realm, endUserToken).get("sub").asText();
        String second = Minted.endUserToken(org, key, "cascade-user-2");
        String secondId = RealmJwt.verified(admin, org.realm, second).get("sub").asText();

        JsonNode user = Http.get(admin.url(org.realm, "/users/" + userId), admin.token()).json();
        ((ObjectNode) user).put("enabled", false);
        assertThat(Http.putJson(admin.url(org.realm, "/users/" + userId), admin.token(), user).status()).isEqualTo(204);
        assertThat(Poll.until(Duration.ofSeconds(1), () -> !Minted.active(admin, org.realm, endUserToken, null))).isTrue();

        assertThat(Http.delete(admin.url(org.realm, "/organizations/" + org.orgId + "/members/" + secondId), admin.token()).status())
                .isIn(204);
        assertThat(Poll.until(Duration.ofSeconds(1), () -> HINTS.stream().noneMatch(h -> Minted.active(admin, org.realm, second, h))))
                .isTrue();
        assertThat(Minted.active(admin, org.realm, keyToken, null)).isTrue();
    }

    @Test
    @DisplayName("given an end-user token minted by an Owner then it stays active when keys are revoked")
    void ownerMintedToken() {
        String ownerMinted = Minted.endUserToken(org, org.ownerToken, "owner-made");
        Http.delete(org.keysUrl() + "/" + keyId(), org.ownerToken);
        millisUntilMintedInactive("organization API DELETE, Owner-minted token alongside");
        assertThat(Minted.active(admin, org.realm, ownerMinted, null)).isTrue();
    }

    @Test
    @DisplayName("given a revoked key presented again then refused like an unknown key, with an error event naming it")
    void tombstoneNamesTheKey() {
        Http.delete(org.keysUrl() + "/" + keyId(), org.ownerToken);
        Refusals.assertInactive(org.introspect(key));
        Refusals.assertRefused(Http.postJson(org.orgUrl() + "/assume-role", key, Map.of("userId", "x")), 401, "invalid_token");

        JsonNode errors = admin.events(org.realm, "type=INTROSPECT_TOKEN_ERROR&max=100");
        assertThat(errors.findParents("details")).anySatisfy(e -> {
            assertThat(e.at("/details/api_key_id").asText()).isEqualTo(keyId());
            assertThat(e.at("/details/organization_id").asText()).isEqualTo(org.orgId);
        });
        // never listed, never gettable, a second DELETE is a 404
        assertThat(Http.get(org.keysUrl(), org.ownerToken).json().findValuesAsText("id")).doesNotContain(keyId());
        Refusals.assertRefused(Http.get(org.keysUrl() + "/" + keyId(), org.ownerToken), 404, "api_key_not_found");
        Refusals.assertRefused(Http.delete(org.keysUrl() + "/" + keyId(), org.ownerToken), 404, "api_key_not_found");
        Refusals.assertRefused(Http.get(admin.url(org.realm, "/api-keys/" + keyId()), admin.token()), 404, "api_key_not_found");
    }

    @Test
    @DisplayName("given a made-up key with a valid checksum then the error event names no key")
    void madeUpKeyNamesNothing() {
        String madeUp = ForgedKeys.withChecksum(key.substring(0, ForgedKeys.SECRET_AT) + "A".repeat(43));
        Refusals.assertInactive(org.introspect(madeUp));
        JsonNode errors = admin.events(org.realm, "type=INTROSPECT_TOKEN_ERROR&max=100");
        assertThat(errors.findValuesAsText("api_key_id")).doesNotContain(keyId());
    }
}
