package ai.intellia.keycloak.it;

import ai.intellia.keycloak.it.harness.AdminClient;
import ai.intellia.keycloak.it.harness.Http;
import ai.intellia.keycloak.it.harness.Http.Reply;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Tokens minted from a key (its own exchanged JWT, end-user tokens) and introspection with any hint. */
final class Minted {

    private Minted() {
    }

    /** The key's own token (contract 4.2 without requested_subject), exchanged as the resource-server client. */
    static String keyToken(AdminClient admin, OrgFixture org, String key) {
        Reply reply = Http.postForm(admin.tokenUrl(org.realm), null, Map.of("grant_type", TokenExchangeIT.GRANT,
                "subject_token", key, "subject_token_type", TokenExchangeIT.API_KEY_TYPE,
                "client_id", OrgFixture.RS_CLIENT, "client_secret", OrgFixture.RS_SECRET));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json().get("access_token").asText();
    }

    /** An end-user token through assume-role (section 5), minted by {@code bearer} (a key or an Owner's token). */
    static String endUserToken(OrgFixture org, String bearer, String userId) {
        Reply reply = Http.postJson(org.orgUrl() + "/assume-role", bearer, Map.of("userId", userId));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json().get("token").asText();
    }

    /** Introspection as the resource-server client; {@code hint} null sends none. */
    static Reply introspect(AdminClient admin, String realm, String token, String hint) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("token", token);
        if (hint != null) {
            form.put("token_type_hint", hint);
        }
        form.put("client_id", OrgFixture.RS_CLIENT);
        form.put("client_secret", OrgFixture.RS_SECRET);
        return Http.postForm(admin.baseUrl() + "/realms/" + realm + "/protocol/openid-connect/token/introspect", null, form);
    }

    static boolean active(AdminClient admin, String realm, String token, String hint) {
        Reply reply = introspect(admin, realm, token, hint);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json().path("active").asBoolean();
    }
}
