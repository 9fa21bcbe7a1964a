package ai.intellia.keycloak.it;

import ai.intellia.keycloak.it.harness.Http;
import ai.intellia.keycloak.it.harness.Http.Reply;
import ai.intellia.keycloak.it.harness.KeycloakServer;
import java.util.Map;

/**
 * An {@link OrgFixture}'s calls sent to one node of the cluster (the fixture itself talks to the
 * node its AdminClient was made for).
 */
record OnNode(KeycloakServer node, OrgFixture org) {

    /** The same URL with this node's base instead of the fixture's. */
    String url(String fixtureUrl) {
        return node.baseUrl() + fixtureUrl.substring(org.admin.baseUrl().length());
    }

    String keysUrl() {
        return url(org.keysUrl());
    }

    Reply introspect(String key) {
        return Http.postForm(node.baseUrl() + "/realms/" + org.realm + "/protocol/openid-connect/token/introspect", null,
                Map.of("token", key, "token_type_hint", "api_key", "client_id", OrgFixture.RS_CLIENT, "client_secret", OrgFixture.RS_SECRET));
    }

    boolean isActive(String key) {
        Reply reply = introspect(key);
        if (reply.status() != 200) {
            throw new AssertionError("introspection on " + node.baseUrl() + ": " + reply);
        }
        return reply.json().path("active").asBoolean();
    }

    Reply assume(String key, Object body) {
        return Http.postJson(url(org.orgUrl()) + "/assume-role", key, body);
    }

    Reply createKey(Object body) {
        return Http.postJson(keysUrl(), org.ownerToken, body);
    }

    Reply revoke(String id) {
        return Http.delete(keysUrl() + "/" + id, org.ownerToken);
    }
}
