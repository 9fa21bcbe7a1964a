package ai.intellia.keycloak.apikey.domain;

import static ai.intellia.keycloak.apikey.domain.DomainAssertions.assertBadRequest;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The settings table, row by row: the built-in default, the bounds, and that a realm attribute
 * and a settings PUT of the same value are read alike (and out-of-bounds values are refused by
 * the PUT and the console form exactly where an attribute is ignored).
 */
class SettingTableTest {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ApiKeySettings DEFAULTS = ApiKeySettings.DEFAULTS;

    /** A valid value of each setting that differs from its default, as the settings document holds it. */
    private static JsonNode validValue(Setting setting) {
        return switch (setting.kind()) {
            case NAME -> JSON.textNode("Team-" + setting.ordinal());
            case NAMES -> JSON.arrayNode().add("billing").add("agents");
            case INTEGER -> JSON.numberNode(setting.min() + 1);
            case BOOLEAN -> JSON.booleanNode(true);
            case PUBLIC_KEYS -> JSON.objectNode().put("scanner", LeakReportSignatureTest.pem(LeakReportSignatureTest.p256()).strip());
            case RATE_LIMITS -> JSON.objectNode().put("exchange", "5/s");
        };
    }

    /** The same value as an attribute or SPI option holds it. */
    private static String attributeText(JsonNode value) {
        if (value.isArray()) {
            List<String> items = new java.util.ArrayList<>();
            value.forEach(item -> items.add(item.asText()));
            return String.join(",", items);
        }
        return value.isContainerNode() ? value.toString() : value.asText();
    }

    private static ApiKeySettings withAttribute(Setting setting, String text) {
        return ApiKeySettings.fromRealmAttributes(Map.of(setting.realmAttribute(), text), DEFAULTS);
    }

    private static Map<String, String> put(Setting setting, JsonNode value) {
        ObjectNode body = JSON.objectNode();
        body.set(setting.field(), value);
        return SettingsUpdate.parse(body.toString());
    }

    @ParameterizedTest
    @EnumSource(Setting.class)
    @DisplayName("given a setting then its built-in default is its table default")
    void defaultComesFromTheTable(Setting setting) {
        Object expected = setting.defaultText() == null ? null : setting.kind().value(setting.defaultText());
        assertThat(setting.of(DEFAULTS)).isEqualTo(expected);
        assertThat(withAttribute(setting, " ")).isEqualTo(DEFAULTS);
    }

    @ParameterizedTest
    @EnumSource(Setting.class)
    @DisplayName("given a valid value then a realm attribute, the PUT and the console form read it alike")
    void attributeAndPutAgree(Setting setting) {
        JsonNode value = validValue(setting);
        ApiKeySettings fromAttribute = withAttribute(setting, attributeText(value));
        Map<String, String> written = put(setting, value);
        ApiKeySettings fromPut = ApiKeySettings.fromRealmAttributes(written, DEFAULTS);

        assertThat(setting.of(fromAttribute)).isNotEqualTo(setting.of(DEFAULTS)).isEqualTo(setting.of(fromPut));
        assertThat(written).containsOnlyKeys(setting.realmAttribute());
        assertThat(SettingsUpdate.toJson(fromPut).get(setting.field())).isEqualTo(value);
        Map<String, String> form = new HashMap<>();
        form.put(setting.field(), SettingsUpdate.toForm(fromPut).get(setting.field()));
        assertThat(SettingsUpdate.fromForm(form)).isEqualTo(written);
        assertThat(put(setting, JSON.nullNode())).containsEntry(setting.realmAttribute(), null);
    }

    static Stream<Setting> integers() {
        return Arrays.stream(Setting.values()).filter(s -> s.kind() == SettingKind.INTEGER);
    }

    @ParameterizedTest
    @EnumSource(value = Setting.class, names = {"ASSUME_ROLE_LIFETIME", "MAX_KEYS", "MAX_KEY_LIFETIME"})
    @DisplayName("given an integer setting then its bounds are inclusive and the same on every path")
    void integerBounds(Setting setting) {
        assertThat(integers()).containsExactlyInAnyOrder(Setting.ASSUME_ROLE_LIFETIME, Setting.MAX_KEYS, Setting.MAX_KEY_LIFETIME);
        for (int inside : List.of(setting.min(), setting.max())) {
            assertThat(setting.of(withAttribute(setting, Integer.toString(inside)))).isEqualTo(inside);
            assertThat(put(setting, JSON.numberNode(inside))).containsEntry(setting.realmAttribute(), Integer.toString(inside));
        }
        for (long outside : List.of(setting.min() - 1L, setting.max() + 1L, (long) Integer.MAX_VALUE + 1)) {
            assertThat(withAttribute(setting, Long.toString(outside))).isEqualTo(DEFAULTS);
            assertBadRequest(() -> put(setting, JSON.numberNode(outside)));
            assertBadRequest(() -> SettingsUpdate.fromForm(Map.of(setting.field(), Long.toString(outside))));
        }
        assertThat(setting.help()).contains(setting.min() + " to " + setting.max());
    }

    @Test
    @DisplayName("given the assume-role lifetime then 60..86400 s, so a 5-second attribute is ignored like the PUT refuses it")
    void assumeRoleLifetimeBounds() {
        assertThat(Setting.ASSUME_ROLE_LIFETIME.min()).isEqualTo(60);
        assertThat(Setting.ASSUME_ROLE_LIFETIME.max()).isEqualTo(86_400);
        assertThat(withAttribute(Setting.ASSUME_ROLE_LIFETIME, "5").assumeRoleLifetimeSeconds()).isEqualTo(7200);
        assertBadRequest(() -> put(Setting.ASSUME_ROLE_LIFETIME, JSON.numberNode(5)));
    }

    @ParameterizedTest
    @EnumSource(value = Setting.class, names = {"RESOURCES", "AUDIENCES"})
    @DisplayName("given a list setting then 1..max items on every path")
    void listBounds(Setting setting) {
        ArrayNode most = JSON.arrayNode();
        IntStream.range(0, setting.max()).forEach(i -> most.add("n" + i));
        assertThat(setting.of(withAttribute(setting, attributeText(most)))).asList().hasSize(setting.max());
        assertThat(put(setting, most)).containsKey(setting.realmAttribute());

        ArrayNode tooMany = most.deepCopy().add("one_more");
        assertThat(withAttribute(setting, attributeText(tooMany))).isEqualTo(DEFAULTS);
        assertBadRequest(() -> put(setting, tooMany));
        assertBadRequest(() -> put(setting, JSON.arrayNode()));
        assertBadRequest(() -> SettingsUpdate.fromForm(Map.of(setting.field(), attributeText(tooMany))));
    }

    @ParameterizedTest
    @EnumSource(Setting.class)
    @DisplayName("given a value of the wrong JSON type then the PUT refuses it")
    void wrongTypesAreRefused(Setting setting) {
        JsonNode wrong = setting.kind() == SettingKind.NAME ? JSON.numberNode(3) : JSON.textNode(attributeText(validValue(setting)));
        assertBadRequest(() -> put(setting, wrong));
    }

    @Test
    @DisplayName("given the table then field and attribute names are unique, and every setting has a label and help")
    void namesAreUnique() {
        assertThat(Arrays.stream(Setting.values()).map(Setting::field)).doesNotHaveDuplicates();
        assertThat(Arrays.stream(Setting.values()).map(Setting::attribute)).doesNotHaveDuplicates();
        for (Setting setting : Setting.values()) {
            assertThat(Setting.byField(setting.field())).isSameAs(setting);
            assertThat(Setting.byAttribute(setting.attribute())).isSameAs(setting);
            assertThat(setting.label()).isNotBlank();
            assertThat(setting.help()).endsWith(".").contains("Valid: ");
        }
        assertThat(SettingsUpdate.toJson(DEFAULTS).size()).isEqualTo(Setting.values().length);
    }
}
