package ai.intellia.keycloak.it.harness;

import ai.intellia.keycloak.it.harness.KeycloakServer.Settings;
import dasniko.testcontainers.keycloak.KeycloakContainer;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.testcontainers.utility.MountableFile;

/**
 * Keycloak in a container ({@code quay.io/keycloak/keycloak:<version>}, start-dev) through
 * testcontainers-keycloak: {@code -Dkeycloak.server=container}. Needs a Docker engine.
 */
public final class ContainerKeycloak implements KeycloakServer {

    private final KeycloakContainer container;
    private final Path log = Settings.workDir().resolve("keycloak-container.log");

    private ContainerKeycloak(KeycloakContainer container) {
        this.container = container;
    }

    @SuppressWarnings("resource") // closed by close()
    public static ContainerKeycloak start() {
        KeycloakContainer container = new KeycloakContainer("quay.io/keycloak/keycloak:" + Settings.keycloakVersion())
                .withProviderLibsFrom(files(Settings.providersDir(), ".jar"));
        for (Path realm : RealmImport.files(Settings.repoRoot())) {
            container.withCopyFileToContainer(MountableFile.forHostPath(realm),
                    "/opt/keycloak/data/import/" + realm.getFileName());
        }
        String extra = (Settings.get("keycloak.build.options", "") + " " + String.join(" ", DistributionKeycloak.storeOptions())).trim();
        if (!extra.isBlank()) {
            container.withCustomCommand(extra); // start-dev accepts build and runtime options directly
        }
        container.start();
        return new ContainerKeycloak(container);
    }

    @Override
    public String baseUrl() {
        String url = container.getAuthServerUrl();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public void restart() {
        throw new UnsupportedOperationException("restart() needs -Dkeycloak.server=dist (start-dev keeps no data)");
    }

    /** The container's output so far, written to target/keycloak-container.log. */
    @Override
    public Path log() {
        try {
            Files.writeString(log, container.getLogs());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return log;
    }

    @Override
    public String adminUsername() {
        return container.getAdminUsername();
    }

    @Override
    public String adminPassword() {
        return container.getAdminPassword();
    }

    @Override
    public void close() {
        container.stop();
    }

    private static List<File> files(Path dir, String suffix) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.list(dir)) {
            return paths.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().map(Path::toFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
