package ai.intellia.keycloak.apikey.store;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UsageLedgerTest {

    @Test
    void aCountAttributeNamesItsKeyBeforeTheNode() {
        assertThat(UsageLedger.countedKey("intellia.usage.0b6c2f1e-7d3a-4c1e-9f00-1a2b3c4d5e6f.ab12cd34"))
                .isEqualTo("0b6c2f1e-7d3a-4c1e-9f00-1a2b3c4d5e6f");
        assertThat(UsageLedger.countedKey(UsageLedger.ATTRIBUTE)).isNull();
        assertThat(UsageLedger.countedKey("intellia.usage.nodeonly")).isNull();
        assertThat(UsageLedger.countedKey("firstName")).isNull();
    }
}
