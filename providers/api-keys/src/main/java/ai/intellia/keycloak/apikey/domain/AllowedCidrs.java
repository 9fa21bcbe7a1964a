package ai.intellia.keycloak.apikey.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A key's network allow-list (contract section 8): IPv4 and IPv6 blocks, parsed once with the key
 * record. Addresses are compared as bytes; an IPv4-mapped IPv6 address ({@code ::ffff:192.0.2.1})
 * is the IPv4 address it maps, on both sides, so a dual-stack listener's notation cannot slip past
 * an IPv4 list. Text is never resolved through DNS: only address literals are accepted.
 */
public final class AllowedCidrs {

    public static final int MAX_ENTRIES = 50;
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private record Block(byte[] network, int prefix) {

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (address[full] & mask) == (network[full] & mask);
        }

        String text() {
            try {
                return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e); // 4 or 16 bytes: cannot happen
            }
        }
    }

    private final List<Block> blocks;

    private AllowedCidrs(List<Block> blocks) {
        this.blocks = List.copyOf(blocks);
    }

    /** The list of a request body or stored record; null for absent or JSON null (no restriction); 400 when invalid. */
    public static AllowedCidrs parse(JsonNode json) {
        if (json == null || json.isNull()) {
            return null;
        }
        if (!json.isArray() || json.size() > MAX_ENTRIES) {
            throw invalid();
        }
        List<Block> blocks = new ArrayList<>();
        for (JsonNode item : json) {
            if (!item.isTextual()) {
                throw invalid();
            }
            Block block = block(item.asText());
            if (block == null) {
                throw invalid();
            }
            if (blocks.stream().noneMatch(b -> b.text().equals(block.text()))) {
                blocks.add(block);
            }
        }
        return new AllowedCidrs(blocks);
    }

    /** Whether {@code address} (an IP literal, e.g. Keycloak's remote address) is inside a block; false for anything else. */
    public boolean allows(String address) {
        return allows(addressBytes(address));
    }

    /** Whether an address parsed by {@link #addressBytes} is inside a block; false for null. */
    public boolean allows(byte[] bytes) {
        if (bytes == null) {
            return false;
        }
        for (Block block : blocks) {
            if (block.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    /** The bytes of an IPv4 or IPv6 literal (4 for IPv4 and IPv4-mapped IPv6), or null when it is none. */
    public static byte[] addressBytes(String address) {
        return address == null ? null : literal(address.strip());
    }

    /** The blocks in canonical form ({@code 203.0.113.0/24}, {@code 2001:db8:0:0:0:0:0:0/32}). */
    public List<String> texts() {
        return blocks.stream().map(Block::text).toList();
    }

    public ArrayNode toJson() {
        ArrayNode array = StrictJson.mapper().createArrayNode();
        texts().forEach(array::add);
        return array;
    }

    private static Block block(String text) {
        String value = text.strip();
        int slash = value.indexOf('/');
        String address = slash < 0 ? value : value.substring(0, slash);
        byte[] bytes = literal(address);
        if (bytes == null) {
            return null;
        }
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            String length = value.substring(slash + 1);
            if (!length.matches("\\d{1,3}")) {
                return null;
            }
            prefix = Integer.parseInt(length);
            if (bytes.length == 4 && address.contains(":")) {
                prefix -= 96; // an IPv4-mapped block: ::ffff:192.0.2.0/120 is 192.0.2.0/24
            }
            if (prefix < 0 || prefix > bytes.length * 8) {
                return null;
            }
        }
        byte[] network = bytes.clone();
        for (int bit = prefix; bit < network.length * 8; bit++) {
            network[bit / 8] &= (byte) ~(0x80 >>> (bit % 8)); // host bits are not part of a block
        }
        return new Block(network, prefix);
    }

    /** The bytes of an address literal (4 for IPv4 and IPv4-mapped IPv6, else 16), or null; never a DNS lookup. */
    private static byte[] literal(String text) {
        if (IPV4.matcher(text).matches()) {
            byte[] bytes = new byte[4];
            String[] parts = text.split("\\.");
            for (int i = 0; i < 4; i++) {
                int part = Integer.parseInt(parts[i]);
                if (part > 255) {
                    return null;
                }
                bytes[i] = (byte) part;
            }
            return bytes;
        }
        // Only hex digits, ':' and '.', with a ':' and starting with one of them: InetAddress parses
        // such text as an IPv6 literal and never falls back to a name lookup.
        if (!text.contains(":") || !IPV6.matcher(text).matches()) {
            return null;
        }
        try {
            // an IPv4-mapped literal comes back as an Inet4Address: its 4 bytes, compared as IPv4
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static ApiError invalid() {
        return ApiError.badRequest("allowedCidrs must be null or an array of at most " + MAX_ENTRIES
                + " IPv4 or IPv6 addresses or CIDR blocks such as 203.0.113.0/24 or 2001:db8::/32.");
    }
}
