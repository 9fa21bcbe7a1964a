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
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Contract clauses that a new user's first try broke: long descriptions (the credential label
 * column), Keycloak's own role refusals on the admin resource, parallel rotations, and the
 * RFC 6750 challenges of contract 5.
 */
@ExtendWith(KeycloakExtension.class)
class ContractGapsIT {

    private final AdminClient admin;
    private OrgFixture org;

    ContractGapsIT(AdminClient admin) {
        this.admin = admin;
    }

    @BeforeEach
    void freshOrganization() {
        org = OrgFixture.create(admin);
    }

    @Test
    @DisplayName("given descriptions of 1 to 255 characters then each is created, listed and rotatable, and every label fits the column")
    void longDescriptions() {
        List<String> descriptions = List.of("x".repeat(236), "y".repeat(237), "z".repeat(255), "é".repeat(255),
                "😀".repeat(255), "same " + "d".repeat(250), "same " + "d".repeat(250));
        List<String> ids = new ArrayList<>();
        for (String description : descriptions) {
            JsonNode created = org.createKey(Map.of("description", description));
            assertThat(created.get("description").asText()).isEqualTo(description);
            ids.add(created.get("id").asText());
        }
        Reply rotated = Http.postJson(org.keysUrl() + "/" + ids.get(2) + "/rotate", org.ownerToken, Map.of());
        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(201);
        assertThat(Http.delete(org.keysUrl() + "/" + ids.get(3), org.ownerToken).status()).isEqualTo(204);
        assertThat(Http.get(org.keysUrl() + "/" + ids.get(4), org.ownerToken).json().get("description").asText())
                .isEqualTo("😀".repeat(255));

        // the organization's keys are spread over its key holder users (a few keys each)
        List<String> labels = new ArrayList<>();
        for (JsonNode holder : Http.get(admin.url(org.realm, "/users?max=100&q=" + Http.encode("intellia.api-key-holder-of:" + org.orgId)),
                admin.token()).json()) {
            labels.addAll(Http.get(admin.url(org.realm, "/users/" + holder.get("id").asText() + "/credentials"), admin.token()).json()
                    .findValuesAsText("userLabel"));
        }
        assertThat(labels).hasSizeGreaterThanOrEqualTo(descriptions.size() + 1)
                .allSatisfy(label -> assertThat(label.length()).isLessThanOrEqualTo(255))
                .doesNotHaveDuplicates();
    }

    @Test
    @DisplayName("given six parallel rotations of one key with grace then exactly one 201 and five 409 with the error body")
    void parallelRotationsWithGrace() throws Exception {
        List<Reply> done = rotateInParallel(6, 60);
        assertThat(done).filteredOn(r -> r.status() == 201).hasSize(1);
        assertThat(done).filteredOn(r -> r.status() != 201).hasSize(5).allSatisfy(r -> {
            assertThat(r.status()).as(r.toString()).isEqualTo(409);
            assertErrorBody(r);
        });
        assertOneSuccessor(done);
    }

    @Test
    @DisplayName("given six parallel rotations without grace then exactly one 201; the others 409 (raced) or 404 (already gone), never 500")
    void parallelRotationsWithoutGrace() throws Exception {
        List<Reply> done = rotateInParallel(6, 0);
        assertThat(done).filteredOn(r -> r.status() == 201).hasSize(1);
        assertThat(done).filteredOn(r -> r.status() != 201).hasSize(5).allSatisfy(r -> {
            assertThat(r.status()).as(r.toString()).isIn(404, 409);
            assertErrorBody(r);
        });
        assertOneSuccessor(done);
    }

    private List<Reply> rotateInParallel(int n, int grace) throws Exception {
        String id = org.createKey(Map.of("description", "contended")).get("id").asText();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<Reply>> replies = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                replies.add(pool.submit((Callable<Reply>) () -> {
                    start.await();
                    return Http.postJson(org.keysUrl() + "/" + id + "/rotate", org.ownerToken, Map.of("gracePeriodSeconds", grace));
                }));
            }
            start.countDown();
            List<Reply> done = new ArrayList<>();
            for (Future<Reply> reply : replies) {
                done.add(reply.get());
            }
            return done;
        } finally {
            pool.shutdown();
        }
    }

    /** Integrity: the organization lists the one successor (and at most the old key in its grace). */
    private void assertOneSuccessor(List<Reply> done) {
        JsonNode successor = done.stream().filter(r -> r.status() == 201).findFirst().orElseThrow().json();
        List<String> listed = Http.get(org.keysUrl(), org.ownerToken).json().findValuesAsText("id");
        assertThat(listed).contains(successor.get("id").asText()).hasSizeLessThanOrEqualTo(2);
        assertThat(org.isActive(successor.get("key").asText())).isTrue();
    }

    @Test
    @DisplayName("given Keycloak's role checks on the admin resource then 401 and 403 carry error and error_description")
    void adminRefusalsAreJson() {
        Reply none = Http.get(admin.url(org.realm, "/api-keys"), null);
        assertThat(none.status()).isEqualTo(401);
        assertErrorBody(none);
        Reply bad = Http.get(admin.url(org.realm, "/api-keys"), "not-a-token");
        assertThat(bad.status()).isEqualTo(401);
        assertErrorBody(bad);

        // an ordinary member of the realm: authenticated, but without view-users / manage-users / manage-realm
        for (Reply reply : List.of(Http.get(admin.url(org.realm, "/api-keys"), org.memberToken),
                Http.get(admin.url(org.realm, "/api-keys/nope"), org.memberToken),
                Http.delete(admin.url(org.realm, "/api-keys/nope"), org.memberToken),
                Http.get(admin.url(org.realm, "/api-keys/settings"), org.memberToken),
                Http.putJson(admin.url(org.realm, "/api-keys/settings"), org.memberToken, Map.of()))) {
            assertThat(reply.status()).as(reply.toString()).isEqualTo(403);
            assertErrorBody(reply);
        }
        // Keycloak's own admin API answers stay Keycloak's
        Reply users = Http.get(admin.url(org.realm, "/users"), null);
        assertThat(users.status()).isEqualTo(401);
    }

    @Test
    @DisplayName("given assume-role refusals then WWW-Authenticate follows RFC 6750 with the realm's name")
    void bearerChallenges() {
        String url = org.orgUrl() + "/assume-role";
        Reply none = Http.postJson(url, null, Map.of("userId", "u"));
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("WWW-Authenticate")).hasValue("Bearer realm=\"" + org.realm + "\"");

        Reply bad = Http.postJson(url, "ik_nope", Map.of("userId", "u"));
        assertThat(bad.status()).isEqualTo(401);
        assertThat(bad.header("WWW-Authenticate")).hasValue("Bearer realm=\"" + org.realm + "\", error=\"invalid_token\"");

        String weak = org.createKey(Map.of("description", "no assume", "permissions", Map.of("agents", Map.of("read", true))))
                .get("key").asText();
        Reply forbidden = Http.postJson(url, weak, Map.of("userId", "u"));
        assertThat(forbidden.status()).isEqualTo(403);
        assertErrorBody(forbidden);
        assertThat(forbidden.header("WWW-Authenticate"))
                .hasValue("Bearer realm=\"" + org.realm + "\", error=\"insufficient_scope\", scope=\"assume_role:write\"");
    }

    private static void assertErrorBody(Reply reply) {
        assertThat(reply.header("Content-Type").orElse("")).as(reply.toString()).startsWith("application/json");
        assertThat(reply.json().path("error").asText()).as(reply.toString()).isNotBlank();
        assertThat(reply.json().path("error_description").asText()).as(reply.toString()).isNotBlank();
    }
}
