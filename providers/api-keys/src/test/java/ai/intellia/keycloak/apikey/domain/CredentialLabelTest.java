package ai.intellia.keycloak.apikey.domain;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class CredentialLabelTest {

    private static final String PREFIX = "ik_0123456789abc";

    @Test
    @DisplayName("a short description is kept whole, followed by the prefix")
    void shortDescription() {
        assertThat(CredentialLabel.of("Production Integration", PREFIX)).isEqualTo("Production Integration (ik_0123456789abc)");
    }

    @ParameterizedTest
    @ValueSource(ints = {236, 237, 238, 254, 255})
    @DisplayName("every description the contract allows gives a label of at most 255 characters that keeps the prefix")
    void longDescriptions(int length) {
        for (String unit : new String[]{"x", "é", "😀"}) {
            String description = unit.repeat(length);
            for (String label : new String[]{CredentialLabel.of(description, PREFIX), CredentialLabel.revoked(description, PREFIX)}) {
                assertThat(label.length()).isLessThanOrEqualTo(CredentialLabel.MAX_LENGTH);
                assertThat(label).endsWith(" (" + PREFIX + ")");
                assertThat(label.codePoints().noneMatch(c -> Character.isSurrogate((char) c))).as("no split character").isTrue();
            }
        }
    }

    @Test
    @DisplayName("two keys with one long description get different labels (the prefix tells them apart)")
    void uniqueness() {
        String description = "d".repeat(255);
        assertThat(CredentialLabel.of(description, PREFIX)).isNotEqualTo(CredentialLabel.of(description, "ik_0123456789abd"));
    }

    @Test
    @DisplayName("a tombstone's label says it is revoked")
    void revoked() {
        assertThat(CredentialLabel.revoked("k", PREFIX)).isEqualTo("[revoked] k (ik_0123456789abc)");
    }
}
