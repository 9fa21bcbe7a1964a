package ai.intellia.keycloak.apikey.store;

import ai.intellia.keycloak.apikey.domain.BoundedMemo;
import org.keycloak.models.UserModel;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The ids of an organization's technical users, derived from the organization id (see
 * {@link KeyHolders}): its key holders (holder 0, the one every organization had before keys
 * were spread over several holders, and holders 1, 2, …) and their usage ledgers. One per node,
 * owned by {@link ApiKeyServiceFactory}: ids are remembered because verification compares one on
 * every request, and each is an MD5.
 */
final class HolderIds {

    private final BoundedMemo<String, String> holderIds = new BoundedMemo<>(10_000);
    private final BoundedMemo<String, String> bucketIds = new BoundedMemo<>(100_000);
    /** Holders 1, 2, … found to be an organization's (holder id → organization id): derived ids, never stale. */
    private final BoundedMemo<String, String> organizationOfHolder = new BoundedMemo<>(100_000);
    /** Which holder keeps a key (by key id): a key never moves, so an entry never goes stale. */
    private final BoundedMemo<String, String> holderOfKey = new BoundedMemo<>(100_000);
    /** The newest holder number seen per organization: holders are never removed, so it can only be behind. */
    private final BoundedMemo<String, Integer> newestHolder = new BoundedMemo<>(10_000);

    /** Holder 0: the organization's first holder, and the user its keys act as. */
    String holderId(String organizationId) {
        String id = holderIds.get(organizationId);
        if (id == null) {
            id = derivedId("intellia-api-key-holder:", organizationId);
            holderIds.put(organizationId, id);
        }
        return id;
    }

    /** Holder {@code n} of the organization (0 is {@link #holderId}). */
    String holderId(String organizationId, int n) {
        if (n == 0) {
            return holderId(organizationId);
        }
        String name = organizationId + ":" + n;
        String id = bucketIds.get(name);
        if (id == null) {
            id = derivedId("intellia-api-key-holder:", name);
            bucketIds.put(name, id);
        }
        return id;
    }

    /**
     * Whether {@code user} is one of the organization's holders: its id is holder 0's, or the id
     * derived from the holder number it carries. On the verification path: one comparison for
     * holder 0, one memo read for the others once this node has checked them.
     */
    boolean isHolderOf(UserModel user, String organizationId) {
        if (user == null) {
            return false;
        }
        String id = user.getId();
        if (id.equals(holderId(organizationId)) || organizationId.equals(organizationOfHolder.get(id))) {
            return true;
        }
        int n = number(user.getFirstAttribute(KeyHolders.HOLDER_NUMBER));
        if (n > 0 && holderId(organizationId, n).equals(id)) {
            organizationOfHolder.put(id, organizationId);
            return true;
        }
        return false;
    }

    private static int number(String text) {
        if (text == null || text.isEmpty() || text.length() > 9) {
            return -1;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return -1;
            }
        }
        return Integer.parseInt(text);
    }

    /** The holder that keeps key {@code keyId}, if this node has seen it. */
    String holderOfKey(String keyId) {
        return holderOfKey.get(keyId);
    }

    void rememberHolderOfKey(String keyId, String holderId) {
        holderOfKey.put(keyId, holderId);
    }

    /** The newest holder of the organization this node has seen (0 when none). */
    int newestHolderSeen(String organizationId) {
        Integer n = newestHolder.get(organizationId);
        return n == null ? 0 : n;
    }

    void sawNewestHolder(String organizationId, int n) {
        if (n > newestHolderSeen(organizationId)) {
            newestHolder.put(organizationId, n);
        }
    }

    /**
     * The usage ledger of one holder: holder 0's is the organization's ledger of before (its id
     * derived from the organization id, so uses recorded then are where they were); holder n's is
     * derived from the holder's id.
     */
    static String ledgerId(String organizationId, String holderId) {
        boolean first = holderId.equals(derivedId("intellia-api-key-holder:", organizationId));
        return derivedId("intellia-api-key-usage:", first ? organizationId : holderId);
    }

    private static String derivedId(String purpose, String organizationId) {
        return UUID.nameUUIDFromBytes((purpose + organizationId).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
