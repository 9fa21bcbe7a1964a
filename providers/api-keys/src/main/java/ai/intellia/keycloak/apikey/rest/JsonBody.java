package ai.intellia.keycloak.apikey.rest;

import ai.intellia.keycloak.apikey.domain.ApiError;
import ai.intellia.keycloak.apikey.domain.ErrorCode;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads a request body ourselves, so that a wrong content type (415) and an oversized body (413)
 * get our JSON error instead of the framework's answer.
 */
public final class JsonBody {

    static final int MAX_BYTES = 64 * 1024;

    private JsonBody() {
    }

    public static String read(HttpHeaders headers, InputStream body) {
        return utf8(readBytes(headers, body));
    }

    /** The raw body bytes (at most 64 KiB, JSON content type), for a signature over exactly them. */
    static byte[] readBytes(HttpHeaders headers, InputStream body) {
        byte[] bytes = readAtMost(body);
        String contentType = headers.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if ((contentType != null || bytes.length > 0) && !isJson(contentType)) {
            throw new ApiError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Send the body as application/json.");
        }
        return bytes;
    }

    /**
     * Strict: invalid UTF-8 is a 400, never replaced by U+FFFD (which would make two different
     * byte strings the same identifier, e.g. the same end user).
     */
    static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ApiError.badRequest("The request body is not valid UTF-8.");
        }
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        try {
            MediaType type = MediaType.valueOf(contentType);
            return type.getType().equalsIgnoreCase("application")
                    && (type.getSubtype().equalsIgnoreCase("json") || type.getSubtype().toLowerCase().endsWith("+json"));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] readAtMost(InputStream body) {
        if (body == null) {
            return new byte[0];
        }
        try {
            byte[] bytes = body.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new ApiError(ErrorCode.REQUEST_TOO_LARGE, "The request body must be at most 64 KiB.");
            }
            return bytes;
        } catch (IOException e) {
            throw ApiError.badRequest("The request body could not be read.");
        }
    }
}
