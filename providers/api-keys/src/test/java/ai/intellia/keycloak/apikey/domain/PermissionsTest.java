package ai.intellia.keycloak.apikey.domain;

import static ai.intellia.keycloak.apikey.domain.DomainAssertions.assertBadRequest;
import static ai.intellia.keycloak.apikey.domain.DomainAssertions.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PermissionsTest {

    private static final List<String> KNOWN = ApiKeySettings.DEFAULTS.resources();

    private static Permissions parse(String text) {
        return Permissions.parse(json(text), KNOWN);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Nested
    @DisplayName("parse")
    class Parse {

        @Test
        void omittedResourcesAreNotGranted() {
            Permissions permissions = parse("{\"agents\": {\"read\": true, \"write\": true}}");
            assertThat(permissions.access("agents")).isEqualTo(new Access(true, true));
            KNOWN.stream().filter(r -> !r.equals("agents"))
                    .forEach(r -> assertThat(permissions.access(r)).as(r).isEqualTo(Access.NONE));
        }

        @Test
        void omittedFlagsAreFalse() {
            assertThat(parse("{\"agents\": {\"read\": true}}").access("agents")).isEqualTo(new Access(true, false));
            assertThat(parse("{\"agents\": {\"write\": true}}").access("agents")).isEqualTo(new Access(false, true));
            assertThat(parse("{\"agents\": {}}").access("agents")).isEqualTo(Access.NONE);
        }

        @Test
        void explicitFalseFlagsAreFalse() {
            assertThat(parse("{\"agents\": {\"read\": false, \"write\": false}}")).isEqualTo(Permissions.none());
        }

        @Test
        void theContractExampleParses() {
            Permissions permissions = parse("{\"agents\": {\"read\": true, \"write\": false}, \"assume_role\": {\"read\": false, \"write\": true}}");
            assertThat(permissions.access("agents")).isEqualTo(new Access(true, false));
            assertThat(permissions.access("assume_role")).isEqualTo(new Access(false, true));
        }

        @Test
        void anEmptyObjectGrantsNothing() {
            assertThat(parse("{}")).isEqualTo(Permissions.none());
        }

        @Test
        void anAbsentOrNullNodeGrantsNothing() {
            assertThat(Permissions.parse(null, KNOWN)).isEqualTo(Permissions.none());
            assertThat(parse("null")).isEqualTo(Permissions.none());
        }

        @ParameterizedTest(name = "resource \"{0}\"")
        @ValueSource(strings = {"unknown", "Agents", "agents ", "agent", "", "admin"})
        void anUnknownResourceIsABadRequest(String resource) {
            String body = "{" + DomainAssertions.quoted(resource) + ": {\"read\": true}}";
            assertBadRequest(() -> parse(body));
        }

        @Test
        void aResourceKnownOnlyToAnotherRealmIsABadRequest() {
            assertBadRequest(() -> Permissions.parse(json("{\"webhooks\": {\"read\": true}}"), List.of("agents")));
        }

        @ParameterizedTest(name = "flag \"{0}\"")
        @ValueSource(strings = {"admin", "Read", "WRITE", "delete", "", "read "})
        void anUnknownFlagIsABadRequest(String flag) {
            String body = "{\"agents\": {" + DomainAssertions.quoted(flag) + ": true}}";
            assertBadRequest(() -> parse(body));
        }

        @ParameterizedTest(name = "read: {0}")
        @ValueSource(strings = {"\"true\"", "\"false\"", "1", "0", "null", "{}", "[]", "[true]", "1.0"})
        void aNonBooleanFlagIsABadRequest(String value) {
            assertBadRequest(() -> parse("{\"agents\": {\"read\": " + value + "}}"));
        }

        @ParameterizedTest(name = "permissions: {0}")
        @ValueSource(strings = {"[]", "[{\"agents\": {\"read\": true}}]", "\"agents\"", "true", "1"})
        void aNonObjectIsABadRequest(String value) {
            assertBadRequest(() -> parse(value));
        }

        @ParameterizedTest(name = "agents: {0}")
        @ValueSource(strings = {"true", "\"read\"", "[\"read\"]", "null", "1"})
        void aNonObjectResourceValueIsABadRequest(String value) {
            assertBadRequest(() -> parse("{\"agents\": " + value + "}"));
        }

        @Test
        void errorMessagesDoNotEchoControlCharactersOrLongNames() {
            String nasty = "evil\r\nX-Injected: 1" + "x".repeat(500);
            String body = "{" + DomainAssertions.quoted(nasty) + ": {}}";
            assertThatThrownBy(() -> parse(body)).isInstanceOfSatisfying(ApiError.class, e ->
                    assertThat(e.description()).doesNotContain("\r", "\n").hasSizeLessThan(400));
        }
    }

    @Nested
    @DisplayName("given a key granted agents:read+write and tools:write")
    class Granted {

        private final Permissions permissions = parse("{\"tools\": {\"write\": true}, \"agents\": {\"read\": true, \"write\": true}}");

        @Test
        @DisplayName("then toJson lists every known resource in order, filled in with false")
        void toJsonFillsInEveryKnownResource() {
            ObjectNode out = permissions.toJson(KNOWN);
            assertThat(fieldNames(out)).containsExactlyElementsOf(KNOWN);
            for (String resource : KNOWN) {
                JsonNode access = out.get(resource);
                assertThat(fieldNames(access)).as(resource).containsExactly("read", "write");
                assertThat(access.get("read").isBoolean()).isTrue();
                assertThat(access.get("write").isBoolean()).isTrue();
            }
            assertThat(out.get("agents")).isEqualTo(json("{\"read\": true, \"write\": true}"));
            assertThat(out.get("tools")).isEqualTo(json("{\"read\": false, \"write\": true}"));
            assertThat(out.get("webhooks")).isEqualTo(json("{\"read\": false, \"write\": false}"));
        }

        @Test
        @DisplayName("then the scope lists exactly the granted flags in known-resource order")
        void scopeListsGrantedFlagsInKnownOrder() {
            assertThat(permissions.scope(KNOWN)).isEqualTo("agents:read agents:write tools:write");
        }

        @Test
        @DisplayName("then allows answers per resource and flag")
        void allowsExactlyTheGrants() {
            assertThat(permissions.allows("agents", "read", KNOWN)).isTrue();
            assertThat(permissions.allows("agents", "write", KNOWN)).isTrue();
            assertThat(permissions.allows("tools", "write", KNOWN)).isTrue();
            assertThat(permissions.allows("tools", "read", KNOWN)).isFalse();
            assertThat(permissions.allows("prompts", "read", KNOWN)).isFalse();
            assertThat(permissions.allows("agents", "admin", KNOWN)).isFalse();
            assertThat(permissions.allows("unknown", "read", KNOWN)).isFalse();
        }

        @Test
        @DisplayName("then only the grants are stored")
        void storedJsonHoldsOnlyGrants() {
            assertThat(fieldNames(permissions.toStoredJson())).containsExactlyInAnyOrder("agents", "tools");
        }

        @Test
        @DisplayName("then fromStored(toStoredJson) gives the same permissions")
        void storedFormRoundTrips() {
            Permissions restored = Permissions.fromStored(json(permissions.toStoredJson().toString()));
            assertThat(restored).isEqualTo(permissions);
            assertThat(restored.scope(KNOWN)).isEqualTo(permissions.scope(KNOWN));
        }
    }

    @Nested
    @DisplayName("given a grant on a resource that the realm admin then removes")
    class RemovedResource {

        private final Permissions permissions = parse("{\"agents\": {\"read\": true}, \"webhooks\": {\"read\": true, \"write\": true}}");
        private final List<String> shrunk = KNOWN.stream().filter(r -> !r.equals("webhooks")).toList();

        @Test
        @DisplayName("then toJson hides it")
        void hiddenFromToJson() {
            assertThat(fieldNames(permissions.toJson(shrunk))).containsExactlyElementsOf(shrunk).doesNotContain("webhooks");
        }

        @Test
        @DisplayName("then the scope hides it")
        void hiddenFromScope() {
            assertThat(permissions.scope(shrunk)).isEqualTo("agents:read");
        }

        @Test
        @DisplayName("then allows refuses it")
        void refusedByAllows() {
            assertThat(permissions.allows("webhooks", "read", shrunk)).isFalse();
            assertThat(permissions.allows("webhooks", "write", shrunk)).isFalse();
            assertThat(permissions.allows("agents", "read", shrunk)).isTrue();
        }

        @Test
        @DisplayName("then the stored form keeps it")
        void keptInStoredJson() {
            assertThat(permissions.toStoredJson().get("webhooks")).isEqualTo(json("{\"read\": true, \"write\": true}"));
        }

        @Test
        @DisplayName("then re-adding the resource restores the grant from storage")
        void reAddingRestoresIt() {
            Permissions restored = Permissions.fromStored(json(permissions.toStoredJson().toString()));
            assertThat(restored.allows("webhooks", "write", KNOWN)).isTrue();
            assertThat(restored.scope(KNOWN)).isEqualTo("agents:read webhooks:read webhooks:write");
        }

        @Test
        @DisplayName("then a new request may not grant it")
        void newRequestsMayNotGrantIt() {
            assertBadRequest(() -> Permissions.parse(json("{\"webhooks\": {\"read\": true}}"), shrunk));
        }
    }

    @Test
    void noPermissionsGiveAnEmptyScopeAndAllFalseJson() {
        Permissions none = Permissions.none();
        assertThat(none.scope(KNOWN)).isEmpty();
        assertThat(none.toStoredJson()).isEmpty();
        none.toJson(KNOWN).forEach(access -> assertThat(access).isEqualTo(json("{\"read\": false, \"write\": false}")));
    }

    @Test
    void ofDropsResourcesWithoutAnyAccess() {
        Permissions permissions = Permissions.of(Map.of("agents", Access.NONE, "tools", new Access(true, false)));
        assertThat(fieldNames(permissions.toStoredJson())).containsExactly("tools");
        assertThat(permissions).isEqualTo(Permissions.of(Map.of("tools", new Access(true, false))));
    }

    @ParameterizedTest(name = "stored {0}")
    @ValueSource(strings = {"null", "[]", "\"x\"", "{\"agents\": \"yes\"}", "{\"agents\": {\"read\": \"maybe\"}}", "{}"})
    void fromStoredIsLenientAboutDamagedData(String stored) {
        assertThat(Permissions.fromStored(json(stored)).scope(KNOWN)).isEmpty();
    }

    @Test
    void fromStoredOfNothingGrantsNothing() {
        assertThat(Permissions.fromStored(null)).isEqualTo(Permissions.none());
    }

    @Test
    void equalPermissionsHaveEqualHashCodes() {
        Permissions a = parse("{\"agents\": {\"read\": true}, \"tools\": {\"write\": true}}");
        Permissions b = parse("{\"tools\": {\"write\": true}, \"agents\": {\"read\": true}}");
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    }

    @Nested
    @DisplayName("allowsAssumeRole")
    class AssumeRole {

        @Test
        @DisplayName("given assume_role write then a key may assume roles")
        void writeAllows() {
            assertThat(parse("{\"assume_role\": {\"write\": true}}").allowsAssumeRole(KNOWN)).isTrue();
        }

        @ParameterizedTest
        @ValueSource(strings = {"{}", "{\"assume_role\": {\"read\": true}}", "{\"agents\": {\"read\": true, \"write\": true}}"})
        @DisplayName("given no assume_role write then not")
        void readOrOtherResourcesDoNot(String permissions) {
            assertThat(parse(permissions).allowsAssumeRole(KNOWN)).isFalse();
        }

        @Test
        @DisplayName("given assume_role removed from the known resources then its grant does not count")
        void removedResourceDoesNotAllow() {
            Permissions granted = parse("{\"assume_role\": {\"write\": true}}");
            assertThat(granted.allowsAssumeRole(KNOWN.stream().filter(r -> !r.equals(Permissions.ASSUME_ROLE)).toList())).isFalse();
        }

        @Test
        @DisplayName("the scope named in insufficient_scope is the resource's write scope")
        void scopeName() {
            assertThat(Permissions.ASSUME_ROLE_SCOPE).isEqualTo("assume_role:write");
            assertThat(parse("{\"assume_role\": {\"write\": true}}").scope(KNOWN)).isEqualTo(Permissions.ASSUME_ROLE_SCOPE);
        }
    }
}
