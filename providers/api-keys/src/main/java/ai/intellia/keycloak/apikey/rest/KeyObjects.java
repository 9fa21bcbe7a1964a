package ai.intellia.keycloak.apikey.rest;

import ai.intellia.keycloak.apikey.domain.ApiKeyRecord;
import ai.intellia.keycloak.apikey.domain.ApiKeyRepresentation;
import ai.intellia.keycloak.apikey.domain.StrictJson;
import ai.intellia.keycloak.apikey.domain.UsageDays;
import ai.intellia.keycloak.apikey.store.ApiKeyService;
import ai.intellia.keycloak.apikey.store.IssuedKey;
import ai.intellia.keycloak.apikey.store.KeyActivity;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.keycloak.models.RealmModel;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The key objects that the organization API and the admin REST answer, built by
 * {@link ApiKeyRepresentation}. A page reads the stored last uses and usage counts once per
 * key holder on it (one ledger read each), never once per key.
 */
public final class KeyObjects {

    private final ApiKeyService keys;
    private final RealmModel realm;
    private final List<String> resources;

    public KeyObjects(ApiKeyService keys, RealmModel realm, List<String> resources) {
        this.keys = keys;
        this.realm = realm;
        this.resources = resources;
    }

    /** A list answer: the keys in the order given, each with {@code lastUsedAt} and {@code usage}. */
    public ArrayNode page(List<ApiKeyRecord> records) {
        Map<String, Instant> lastUses = new HashMap<>();
        Map<String, UsageDays> usage = new HashMap<>();
        records.stream()
                .collect(Collectors.groupingBy(ApiKeyRecord::organizationId, Collectors.mapping(ApiKeyRecord::id, Collectors.toList())))
                .forEach((organizationId, ids) -> {
                    KeyActivity activity = keys.activity(realm, organizationId, ids);
                    lastUses.putAll(activity.lastUses());
                    usage.putAll(activity.usage());
                });
        LocalDate today = UsageDays.today(Clock.systemUTC());
        ArrayNode out = StrictJson.mapper().createArrayNode();
        records.forEach(r -> out.add(ApiKeyRepresentation.of(r, resources, lastUses.get(r.id()), usage.get(r.id()), today)));
        return out;
    }

    /** A get answer. */
    public ObjectNode one(ApiKeyRecord record) {
        return (ObjectNode) page(List.of(record)).get(0);
    }

    /** A create or rotate answer: the new key with its secret string ({@code key}), shown this once; no usage yet. */
    public ObjectNode issued(IssuedKey issued) {
        ObjectNode body = ApiKeyRepresentation.of(issued.record(), resources, null);
        body.put("key", issued.key());
        return body;
    }
}
