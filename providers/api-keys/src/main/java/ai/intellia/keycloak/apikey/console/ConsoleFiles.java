package ai.intellia.keycloak.apikey.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * The organization admins' page: a fixed allow-list of files (sources in {@code themes/org-admin/}
 * at the repository root, packaged next to this class under {@code org-admin/}). A name that is
 * not in the list is simply not found, so no path from a request ever reaches the class loader.
 */
public final class ConsoleFiles {

    /** Classpath folder of the page, relative to this package. */
    static final String FOLDER = "org-admin/";

    /** The only names served, with their content types. */
    static final Map<String, String> CONTENT_TYPES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "app.css", "text/css; charset=utf-8");

    /** One file of the page. */
    public record File(String name, String contentType, byte[] content) {
    }

    private final Map<String, File> files;

    private ConsoleFiles(Map<String, File> files) {
        this.files = files;
    }

    /** Reads every allow-listed file once; a missing one is a packaging error. */
    public static ConsoleFiles load() {
        Map<String, File> loaded = new java.util.HashMap<>();
        CONTENT_TYPES.forEach((name, type) -> loaded.put(name, new File(name, type, read(name))));
        return new ConsoleFiles(Map.copyOf(loaded));
    }

    /** The file of that exact name, if it is one of the page's files. */
    public Optional<File> get(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(files.get(name));
    }

    private static byte[] read(String name) {
        try (InputStream in = ConsoleFiles.class.getResourceAsStream(FOLDER + name)) {
            if (in == null) {
                throw new IllegalStateException("The provider JAR lacks " + FOLDER + name + " next to " + ConsoleFiles.class.getName());
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
