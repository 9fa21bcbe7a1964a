package ai.intellia.keycloak.apikey.rest;

import ai.intellia.keycloak.apikey.domain.ApiError;
import ai.intellia.keycloak.apikey.domain.ErrorCode;
import ai.intellia.keycloak.apikey.domain.LeakReport;
import ai.intellia.keycloak.apikey.domain.LeakReportPublicKeys;
import ai.intellia.keycloak.apikey.domain.LeakReportSignature;
import ai.intellia.keycloak.apikey.domain.StrictJson;
import ai.intellia.keycloak.apikey.store.ApiKeyService;
import ai.intellia.keycloak.apikey.store.LeakedKeys;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import java.io.InputStream;

/**
 * {@code POST /realms/{realm}/api-keys/leak-reports}: a secret scanner (GitHub's partner program)
 * reports tokens it found in public. Authenticated only by the signature over the raw body, so it
 * is checked before the body is even parsed; nothing is revoked for an unsigned report. Tokens are
 * never logged, never echoed (the answer names them by hash).
 */
public final class LeakReportsResource {

    static final String KEY_IDENTIFIER = "Github-Public-Key-Identifier";
    static final String SIGNATURE = "Github-Public-Key-Signature";

    private final KeycloakSession session;
    private final RealmModel realm;

    LeakReportsResource(KeycloakSession session) {
        this.session = session;
        this.realm = session.getContext().getRealm();
    }

    @POST
    @Path("leak-reports")
    @Produces(MediaType.APPLICATION_JSON)
    public Response report(InputStream body) {
        HttpHeaders headers = session.getContext().getRequestHeaders();
        byte[] bytes = JsonBody.readBytes(headers, body);
        var publicKeys = LeakReportPublicKeys.parse(session.getProvider(ApiKeyService.class).settings(realm).leakReportPublicKeys());
        if (!LeakReportSignature.verify(publicKeys, headers.getHeaderString(KEY_IDENTIFIER), headers.getHeaderString(SIGNATURE), bytes)) {
            throw unsigned();
        }
        LeakReport report = LeakReport.parse(JsonBody.utf8(bytes));
        LeakedKeys leaked = new LeakedKeys(session, realm);
        ArrayNode answer = StrictJson.mapper().createArrayNode();
        for (LeakReport.Entry entry : report.entries()) {
            ObjectNode item = answer.addObject().put("token_hash", entry.tokenHash());
            if (entry.type() == null) {
                item.putNull("token_type");
            } else {
                item.put("token_type", entry.type());
            }
            item.put("label", leaked.report(entry) ? "true_positive" : "false_positive");
        }
        return Responses.json(200, answer);
    }

    /** 401 without a Bearer challenge: the credential here is the signature, not a bearer token. */
    private static ApiError unsigned() {
        return new ApiError(ErrorCode.INVALID_SIGNATURE, "A leak report must be signed (headers " + KEY_IDENTIFIER + " and "
                + SIGNATURE + ") by a key configured in the setting leakReportPublicKeys.");
    }
}
