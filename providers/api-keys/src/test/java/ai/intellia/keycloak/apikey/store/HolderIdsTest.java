package ai.intellia.keycloak.apikey.store;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class HolderIdsTest {

    private static final String ORG = "6f0b6c2f-7d3a-4c1e-9f00-1a2b3c4d5e6f";

    private static String derived(String text) {
        return UUID.nameUUIDFromBytes(text.getBytes(StandardCharsets.UTF_8)).toString();
    }

    @Test
    void holderZeroAndItsLedgerKeepTheIdsOfTheOneHolderAndLedgerOfBefore() {
        HolderIds ids = new HolderIds();
        assertThat(ids.holderId(ORG)).isEqualTo(derived("intellia-api-key-holder:" + ORG));
        assertThat(ids.holderId(ORG, 0)).isEqualTo(ids.holderId(ORG));
        assertThat(HolderIds.ledgerId(ORG, ids.holderId(ORG))).isEqualTo(derived("intellia-api-key-usage:" + ORG));
    }

    @Test
    void everyHolderHasItsOwnLedger() {
        HolderIds ids = new HolderIds();
        Set<String> all = new HashSet<>();
        for (int n = 0; n < 5; n++) {
            String holder = ids.holderId(ORG, n);
            assertThat(all.add(holder)).isTrue();
            assertThat(all.add(HolderIds.ledgerId(ORG, holder))).isTrue();
        }
    }
}
