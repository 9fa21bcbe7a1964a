package ai.intellia.keycloak.apikey.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a key may do: resource name to read/write flags. Only granted resources are stored, so a
 * realm admin who shrinks the resource list hides grants without destroying them: put the
 * resource back and the keys have it again. Rendering and checks only ever see known resources.
 */
public final class Permissions {

    private static final Set<String> FLAGS = Set.of("read", "write");
    /** The resource whose {@code write} flag lets a key mint end-user tokens (contract section 5). */
    public static final String ASSUME_ROLE = "assume_role";
    /** The scope a key lacking it is told about (RFC 6750 {@code insufficient_scope}). */
    public static final String ASSUME_ROLE_SCOPE = ASSUME_ROLE + ":write";

    private final Map<String, Access> grants;

    private Permissions(Map<String, Access> grants) {
        this.grants = Collections.unmodifiableMap(grants);
    }

    public static Permissions none() {
        return new Permissions(Map.of());
    }

    public static Permissions of(Map<String, Access> grants) {
        Map<String, Access> kept = new LinkedHashMap<>();
        grants.forEach((resource, access) -> {
            if (access.any()) {
                kept.put(resource, access);
            }
        });
        return new Permissions(kept);
    }

    /** Strict parse of a request's {@code permissions}: unknown names and non-booleans are a 400. */
    public static Permissions parse(JsonNode node, List<String> knownResources) {
        if (node == null || node.isNull()) {
            return none();
        }
        if (!node.isObject()) {
            throw ApiError.badRequest("permissions must be an object of resource names to {\"read\": bool, \"write\": bool}.");
        }
        Map<String, Access> grants = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String resource = entry.getKey();
            if (!knownResources.contains(resource)) {
                throw ApiError.badRequest("Unknown permission resource '" + printable(resource) + "'. Known: " + String.join(", ", knownResources) + ".");
            }
            grants.put(resource, parseAccess(resource, entry.getValue()));
        }
        return of(grants);
    }

    private static Access parseAccess(String resource, JsonNode node) {
        if (!node.isObject()) {
            throw ApiError.badRequest("permissions." + resource + " must be an object like {\"read\": true, \"write\": false}.");
        }
        boolean read = false;
        boolean write = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> flag = it.next();
            if (!FLAGS.contains(flag.getKey())) {
                throw ApiError.badRequest("Unknown permission flag '" + printable(flag.getKey()) + "' on " + resource + ": only read and write exist.");
            }
            if (!flag.getValue().isBoolean()) {
                throw ApiError.badRequest("permissions." + resource + "." + flag.getKey() + " must be true or false.");
            }
            if (flag.getKey().equals("read")) {
                read = flag.getValue().booleanValue();
            } else {
                write = flag.getValue().booleanValue();
            }
        }
        return new Access(read, write);
    }

    /** Lenient read of what we stored ourselves. */
    public static Permissions fromStored(JsonNode node) {
        Map<String, Access> grants = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            node.fields().forEachRemaining(e -> grants.put(e.getKey(),
                    new Access(e.getValue().path("read").asBoolean(false), e.getValue().path("write").asBoolean(false))));
        }
        return of(grants);
    }

    public Access access(String resource) {
        return grants.getOrDefault(resource, Access.NONE);
    }

    public boolean allows(String resource, String flag, List<String> knownResources) {
        return knownResources.contains(resource) && access(resource).allows(flag);
    }

    /**
     * Whether a key may assume roles (the REST call and the exchange with {@code requested_subject}):
     * {@code assume_role.write}, and only while {@code assume_role} is a known resource.
     */
    public boolean allowsAssumeRole(List<String> knownResources) {
        return allows(ASSUME_ROLE, "write", knownResources);
    }

    /** Every known resource, filled in with false where not granted. */
    public ObjectNode toJson(List<String> knownResources) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (String resource : knownResources) {
            Access access = access(resource);
            out.putObject(resource).put("read", access.read()).put("write", access.write());
        }
        return out;
    }

    /** Only the grants, for storage. */
    public ObjectNode toStoredJson() {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        grants.forEach((resource, access) -> out.putObject(resource).put("read", access.read()).put("write", access.write()));
        return out;
    }

    /** OAuth scope string: "resource:read resource:write …" for each granted flag of a known resource. */
    public String scope(List<String> knownResources) {
        List<String> scopes = new ArrayList<>();
        for (String resource : knownResources) {
            Access access = access(resource);
            if (access.read()) {
                scopes.add(resource + ":read");
            }
            if (access.write()) {
                scopes.add(resource + ":write");
            }
        }
        return String.join(" ", scopes);
    }

    static String printable(String text) {
        String cut = text.length() > 64 ? text.substring(0, 64) + "…" : text;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Permissions other && grants.equals(other.grants);
    }

    @Override
    public int hashCode() {
        return grants.hashCode();
    }

    @Override
    public String toString() {
        return grants.toString();
    }
}
