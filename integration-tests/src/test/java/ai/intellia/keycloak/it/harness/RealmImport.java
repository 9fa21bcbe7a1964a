package ai.intellia.keycloak.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The realm files a test server imports, the same for every server the harness starts:
 * {@code realm-export/demo/*.json} when that folder exists (the realm with its demo data),
 * else {@code realm-export/*.json}; and the realms only the tests use,
 * {@code integration-tests/src/test/resources/realms/*.json} (data as an earlier release stored it).
 */
public final class RealmImport {

    private RealmImport() {
    }

    /** The folder whose {@code *.json} files are imported. */
    public static Path folder(Path repoRoot) {
        Path exports = repoRoot.resolve("realm-export");
        Path demo = exports.resolve("demo");
        return Files.isDirectory(demo) ? demo : exports;
    }

    public static List<Path> files(Path repoRoot) {
        Path folder = folder(repoRoot);
        List<Path> files = new ArrayList<>();
        try (var json = Files.newDirectoryStream(folder, "*.json")) {
            json.forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + folder, e);
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("No realm file in " + folder);
        }
        Path testRealms = repoRoot.resolve("integration-tests/src/test/resources/realms");
        if (Files.isDirectory(testRealms)) {
            try (var json = Files.newDirectoryStream(testRealms, "*.json")) {
                json.forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot list " + testRealms, e);
            }
        }
        return files;
    }
}
