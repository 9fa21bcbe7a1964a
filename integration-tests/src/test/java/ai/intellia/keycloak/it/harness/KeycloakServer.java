package ai.intellia.keycloak.it.harness;

import java.nio.file.Path;

/** A running Keycloak with our providers installed and the realms of {@link Settings#realmImportDir()} imported. */
public interface KeycloakServer extends AutoCloseable {

    /** e.g. {@code http://127.0.0.1:PORT}, without a trailing slash. */
    String baseUrl();

    /** Stops and starts again, keeping the data (and the ports). */
    void restart();

    /** The server's console output. */
    Path log();

    /** Bootstrap admin of the master realm. */
    String adminUsername();

    String adminPassword();

    @Override
    void close();

    /** The settings failsafe passes in (see integration-tests/pom.xml). */
    final class Settings {
        private Settings() {
        }

        public static String get(String name, String fallback) {
            String value = System.getProperty(name);
            return value == null || value.isBlank() ? fallback : value.trim();
        }

        public static Path path(String name, String fallback) {
            return Path.of(get(name, fallback)).toAbsolutePath().normalize();
        }

        public static String keycloakVersion() {
            return get("keycloak.version", "26.7.3");
        }

        /** Root target/providers/: the JARs to install. */
        public static Path providersDir() {
            return path("providers.dir", "../target/providers");
        }

        /** The repository root (holds realm-export/). */
        public static Path repoRoot() {
            return path("repo.root", "..");
        }

        /**
         * The realm files to import: {@code realm-export/demo/} (the production realm plus demo data:
         * organization acme, its Owner, the demo secret, the portal's password grant) when it
         * exists, else {@code realm-export/} (contract section 1: what a black-box suite does too).
         */
        public static Path realmImportDir() {
            return RealmImport.folder(repoRoot());
        }

        /** This module's target/ folder. */
        public static Path workDir() {
            return path("work.dir", "target");
        }
    }
}
