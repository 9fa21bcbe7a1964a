package ai.intellia.keycloak.apikey.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ApiKeySettingsTest {

    private static final ApiKeySettings DEFAULTS = ApiKeySettings.DEFAULTS;

    private static ApiKeySettings fromAttributes(Map<String, String> attributes) {
        return ApiKeySettings.fromRealmAttributes(attributes, DEFAULTS);
    }

    private static ApiKeySettings withAttribute(String name, String value) {
        Map<String, String> attributes = new HashMap<>();
        attributes.put(ApiKeySettings.ATTRIBUTE_PREFIX + name, value);
        return fromAttributes(attributes);
    }

    @Test
    void defaultResourcesAreTheContractListInOrder() {
        assertThat(DEFAULTS.resources()).containsExactly(
                "agents", "conversations", "knowledge_bases", "tools", "integrations", "prompts", "assume_role", "webhooks");
    }

    @Test
    void defaultValues() {
        assertThat(DEFAULTS.ownersGroup()).isEqualTo("Owners");
        assertThat(DEFAULTS.adminsGroup()).isEqualTo("Admins");
        assertThat(DEFAULTS.defaultGroup()).isEqualTo("Default");
        assertThat(DEFAULTS.assumeRoleLifetimeSeconds()).isEqualTo(7200);
        assertThat(DEFAULTS.assumeRoleClient()).isEqualTo("chat-widget");
        assertThat(DEFAULTS.assumeRoleRole()).isEqualTo("chat");
        assertThat(DEFAULTS.audiences()).containsExactly("intellia-api");
    }

    @Test
    void noAttributesKeepTheDefaults() {
        assertThat(fromAttributes(Map.of())).isEqualTo(DEFAULTS);
    }

    @Test
    void attributesWithoutThePrefixAreIgnored() {
        assertThat(fromAttributes(Map.of("resources", "agents", "owners-group", "X"))).isEqualTo(DEFAULTS);
    }

    @Test
    void everySettingCanBeOverridden() {
        ApiKeySettings settings = fromAttributes(Map.of(
                "intellia.api-keys.resources", "agents,tools",
                "intellia.api-keys.owners-group", "Proprietors",
                "intellia.api-keys.admins-group", "Managers",
                "intellia.api-keys.default-group", "Members",
                "intellia.api-keys.assume-role-lifetime", "600",
                "intellia.api-keys.assume-role-client", "widget",
                "intellia.api-keys.assume-role-role", "talk",
                "intellia.api-keys.audiences", "api-a,api-b",
                "intellia.api-keys.max-keys-per-organization", "50"));
        assertThat(settings).isEqualTo(new ApiKeySettings(List.of("agents", "tools"), "Proprietors", "Managers", "Members",
                600, "widget", "talk", List.of("api-a", "api-b"), 50, null, false, "{}", null));
    }

    @Test
    void overridesFromAFunctionLayerOnAnyBase() {
        ApiKeySettings server = ApiKeySettings.from(Map.of("owners-group", "ServerOwners")::get, DEFAULTS);
        ApiKeySettings realm = ApiKeySettings.fromRealmAttributes(Map.of("intellia.api-keys.admins-group", "RealmAdmins"), server);
        assertThat(realm.ownersGroup()).isEqualTo("ServerOwners");
        assertThat(realm.adminsGroup()).isEqualTo("RealmAdmins");
        assertThat(realm.defaultGroup()).isEqualTo("Default");
    }

    @Test
    void listsAreTrimmedDeduplicatedAndSkipEmptyItems() {
        assertThat(withAttribute("resources", " agents , tools,,agents, ").resources()).containsExactly("agents", "tools");
        assertThat(withAttribute("audiences", "a, b ,a").audiences()).containsExactly("a", "b");
    }

    @Test
    void textValuesAreTrimmed() {
        assertThat(withAttribute("owners-group", "  Proprietors  ").ownersGroup()).isEqualTo("Proprietors");
        assertThat(withAttribute("assume-role-lifetime", " 900 ").assumeRoleLifetimeSeconds()).isEqualTo(900);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", " ", ",", " , ,, "})
    void blankListsFallBack(String value) {
        assertThat(withAttribute("resources", value).resources()).isEqualTo(DEFAULTS.resources());
        assertThat(withAttribute("audiences", value).audiences()).isEqualTo(DEFAULTS.audiences());
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "  "})
    void blankTextsFallBack(String value) {
        assertThat(withAttribute("owners-group", value).ownersGroup()).isEqualTo("Owners");
        assertThat(withAttribute("admins-group", value).adminsGroup()).isEqualTo("Admins");
        assertThat(withAttribute("default-group", value).defaultGroup()).isEqualTo("Default");
        assertThat(withAttribute("assume-role-client", value).assumeRoleClient()).isEqualTo("chat-widget");
        assertThat(withAttribute("assume-role-role", value).assumeRoleRole()).isEqualTo("chat");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", " ", "abc", "0", "-1", "1.5", "99999999999", "2h"})
    void invalidLifetimesFallBack(String value) {
        assertThat(withAttribute("assume-role-lifetime", value).assumeRoleLifetimeSeconds()).isEqualTo(7200);
    }
}
