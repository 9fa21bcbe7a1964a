package ai.intellia.keycloak.apikey.domain;

/** Read and write flags on one resource. */
public record Access(boolean read, boolean write) {

    public static final Access NONE = new Access(false, false);

    public boolean any() {
        return read || write;
    }

    public boolean allows(String flag) {
        return switch (flag) {
            case "read" -> read;
            case "write" -> write;
            default -> false;
        };
    }
}
