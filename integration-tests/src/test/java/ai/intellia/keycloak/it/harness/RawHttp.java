package ai.intellia.keycloak.it.harness;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 over a plain socket, for requests that java.net.http refuses to send (two
 * {@code Authorization} headers, a {@code Host} of our choosing, chunked bodies, raw bytes in the
 * path). One request per connection ({@code Connection: close} is added).
 */
public final class RawHttp {

    private static final int TIMEOUT_MS = 30_000;

    private RawHttp() {
    }

    /** An answer: status, the header block as text, the body as received (chunk framing kept). */
    public record Reply(int status, String headers, String body) {
    }

    /**
     * {@code head}: request line and headers, CRLF-separated, without the final blank line and
     * without {@code Connection}; {@code body} may be null.
     */
    public static Reply send(String baseUrl, String head, byte[] body) {
        URI base = URI.create(baseUrl);
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            out.write((head + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return parse(readAll(socket.getInputStream()));
        } catch (SocketTimeoutException e) {
            throw new UncheckedIOException("no answer within " + TIMEOUT_MS + " ms to: " + head.lines().findFirst().orElse(""), e);
        } catch (IOException e) {
            throw new UncheckedIOException(head.lines().findFirst().orElse(""), e);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[16 * 1024];
        int n;
        try {
            while ((n = in.read(buffer)) >= 0) {
                all.write(buffer, 0, n);
            }
        } catch (IOException reset) {
            if (all.size() == 0) {
                throw reset; // a server may reset after answering; an answer read so far counts
            }
        }
        return all.toByteArray();
    }

    private static Reply parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        String head = end < 0 ? text : text.substring(0, end);
        String body = end < 0 ? "" : text.substring(end + 4);
        String[] statusLine = head.lines().findFirst().orElse("").split(" ");
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) {
            throw new IllegalStateException("not an HTTP answer: " + text.substring(0, Math.min(200, text.length())));
        }
        return new Reply(Integer.parseInt(statusLine[1]), head, body);
    }
}
