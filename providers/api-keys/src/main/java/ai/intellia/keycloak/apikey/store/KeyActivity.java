package ai.intellia.keycloak.apikey.store;

import ai.intellia.keycloak.apikey.domain.UsageDays;

import java.time.Instant;
import java.util.Map;

/** What the usage ledgers say about some keys (by key id): their last uses and their counts of the last 30 days. */
public record KeyActivity(Map<String, Instant> lastUses, Map<String, UsageDays> usage) {
}
