package ai.intellia.keycloak.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One keep-alive HTTP/1.1 connection to the server, as lean as possible so that the load
 * generator takes little of the machine's two cores: requests are pre-encoded bytes, responses
 * are read with {@code Content-Length} or chunked framing, and the body is kept for checking.
 */
final class RawHttp implements AutoCloseable {

    /** A response: status and body (ISO-8859-1, enough to look for an ASCII marker). */
    record Response(int status, String body) {
    }

    private final String host;
    private final int port;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private byte[] line = new byte[8192];
    private boolean mustClose;

    RawHttp(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /** Sends one request (complete bytes, see {@link #request}) and reads the whole response. */
    Response exchange(byte[] request) throws IOException {
        if (socket == null || mustClose) {
            connect();
        }
        out.write(request);
        out.flush();
        return read();
    }

    private void connect() throws IOException {
        close();
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(30_000);
        socket.connect(new InetSocketAddress(host, port), 5_000);
        in = new BufferedInputStream(socket.getInputStream(), 16384);
        out = socket.getOutputStream();
        mustClose = false;
    }

    private Response read() throws IOException {
        String status = readLine();
        if (status == null) {
            throw new IOException("connection closed by the server");
        }
        // HTTP/1.1 200 OK
        int sp = status.indexOf(' ');
        int code = Integer.parseInt(status.substring(sp + 1, sp + 4));
        long length = -1;
        boolean chunked = false;
        for (String header; (header = readLine()) != null && !header.isEmpty(); ) {
            int colon = header.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = header.substring(0, colon).trim();
            String value = header.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("content-length")) {
                length = Long.parseLong(value);
            } else if (name.equalsIgnoreCase("transfer-encoding") && value.toLowerCase().contains("chunked")) {
                chunked = true;
            } else if (name.equalsIgnoreCase("connection") && value.equalsIgnoreCase("close")) {
                mustClose = true;
            }
        }
        byte[] body;
        if (chunked) {
            body = readChunked();
        } else if (length >= 0) {
            body = in.readNBytes((int) length);
            if (body.length != length) {
                throw new IOException("short body");
            }
        } else {
            body = in.readAllBytes(); // no framing: the server closes
            mustClose = true;
        }
        return new Response(code, new String(body, StandardCharsets.ISO_8859_1));
    }

    private byte[] readChunked() throws IOException {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        while (true) {
            String size = readLine();
            if (size == null) {
                throw new IOException("connection closed inside a chunked body");
            }
            int semi = size.indexOf(';');
            int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
            if (n == 0) {
                for (String trailer; (trailer = readLine()) != null && !trailer.isEmpty(); ) {
                    // ignore trailers
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(n));
            readLine(); // CRLF after the chunk
        }
    }

    /** A CRLF-terminated line without its terminator; null at end of stream. */
    private String readLine() throws IOException {
        int n = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                return n == 0 ? null : new String(line, 0, n, StandardCharsets.ISO_8859_1);
            }
            if (b == '\n') {
                if (n > 0 && line[n - 1] == '\r') {
                    n--;
                }
                return new String(line, 0, n, StandardCharsets.ISO_8859_1);
            }
            if (n == line.length) {
                line = java.util.Arrays.copyOf(line, n * 2);
            }
            line[n++] = (byte) b;
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            socket = null;
        }
    }

    /** The bytes of a request; {@code headers} are "Name: value" strings, {@code body} may be null. */
    static byte[] request(String method, String hostPort, String path, String body, String... headers) {
        StringBuilder s = new StringBuilder(256 + (body == null ? 0 : body.length()));
        s.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        s.append("Host: ").append(hostPort).append("\r\n");
        for (String h : headers) {
            s.append(h).append("\r\n");
        }
        byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (body != null || !method.equals("GET")) {
            s.append("Content-Length: ").append(payload.length).append("\r\n");
        }
        s.append("\r\n");
        byte[] head = s.toString().getBytes(StandardCharsets.UTF_8);
        byte[] all = java.util.Arrays.copyOf(head, head.length + payload.length);
        System.arraycopy(payload, 0, all, head.length, payload.length);
        return all;
    }
}
