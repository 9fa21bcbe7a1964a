package ai.intellia.keycloak.it;

import ai.intellia.keycloak.it.harness.Http.Reply;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docs/openapi.yaml}, as a test oracle: {@link #check} asserts that an answer's status is
 * one the document lists for that operation, that its documented required headers are there, and
 * that its JSON body validates against the documented schema (JSON Schema 2020-12, the dialect of
 * OpenAPI 3.1, with format assertions on: date-time, email, uri).
 */
final class OpenApiDocument {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

    private final JsonNode root;
    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private final SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();

    private OpenApiDocument(JsonNode root) {
        this.root = root;
    }

    /** The repository's document: {@code docs/openapi.yaml} next to this module. */
    static OpenApiDocument load() {
        Path file = Path.of("..", "docs", "openapi.yaml");
        assertThat(file).as("the OpenAPI document at the repository root").exists();
        try {
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
            assertThat(root.path("openapi").asText()).startsWith("3.1");
            return new OpenApiDocument(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every documented operation, as {@code "GET /realms/{realm}/orgs"}. */
    Set<String> operations() {
        Set<String> out = new TreeSet<>();
        root.path("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
            if (METHODS.contains(method)) {
                out.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
            }
        }));
        return out;
    }

    /** The status codes documented for an operation. */
    Set<String> statuses(String operation) {
        Set<String> out = new TreeSet<>();
        operation(operation).path("responses").fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** Asserts that {@code reply} is a documented answer of {@code operation} ("METHOD /template"). */
    void check(String operation, Reply reply) {
        JsonNode responses = operation(operation).path("responses");
        String status = Integer.toString(reply.status());
        assertThat(responses.has(status)).as("%s answered %s, which the document does not list (%s): %s",
                operation, status, statuses(operation), reply).isTrue();
        JsonNode response = resolve(responses.get(status));
        for (Iterator<java.util.Map.Entry<String, JsonNode>> it = response.path("headers").fields(); it.hasNext(); ) {
            var header = it.next();
            if (resolve(header.getValue()).path("required").asBoolean()) {
                assertThat(reply.header(header.getKey())).as("%s %s: header %s", operation, status, header.getKey()).isPresent();
            }
        }
        JsonNode schema = response.path("content").path("application/json").path("schema");
        if (schema.isMissingNode()) {
            return;
        }
        assertThat(reply.header("Content-Type")).as("%s %s: content type", operation, status).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        Set<ValidationMessage> problems = schema(schema).validate(reply.json());
        assertThat(problems).as("%s %s: body %s against %s", operation, status, reply.body(), schema).isEmpty();
    }

    /** The schema with the document's components beside it, so that its {@code $ref}s resolve. */
    private JsonSchema schema(JsonNode schema) {
        ObjectNode standalone = schema.deepCopy();
        standalone.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        standalone.set("components", root.path("components"));
        return factory.getSchema(standalone, config);
    }

    private JsonNode operation(String operation) {
        String[] parts = operation.split(" ", 2);
        JsonNode node = root.path("paths").path(parts[1]).path(parts[0].toLowerCase(Locale.ROOT));
        assertThat(node.isMissingNode()).as("operation %s is in the document", operation).isFalse();
        return node;
    }

    /** Follows a local {@code $ref} ("#/components/responses/NotFound"). */
    private JsonNode resolve(JsonNode node) {
        JsonNode ref = node.get("$ref");
        return ref == null ? node : root.at(ref.asText().substring(1));
    }
}
