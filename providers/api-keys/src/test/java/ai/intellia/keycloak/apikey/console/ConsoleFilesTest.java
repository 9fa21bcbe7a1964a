package ai.intellia.keycloak.apikey.console;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ConsoleFilesTest {

    private final ConsoleFiles files = ConsoleFiles.load();

    @Test
    void servesThePageWithItsContentTypes() {
        assertThat(files.get("index.html")).hasValueSatisfying(f -> {
            assertThat(f.contentType()).isEqualTo("text/html; charset=utf-8");
            assertThat(new String(f.content(), StandardCharsets.UTF_8)).contains("<script type=\"module\" src=\"app.js\">");
        });
        assertThat(files.get("app.js")).hasValueSatisfying(f -> assertThat(f.contentType()).startsWith("text/javascript"));
        assertThat(files.get("app.css")).hasValueSatisfying(f -> assertThat(f.contentType()).startsWith("text/css"));
    }

    @Test
    void servesNothingElse() {
        for (String name : new String[] {null, "", ".", "..", "../index.html", "..%2Fapp.js", "/index.html", "INDEX.HTML",
                "ConsoleFiles.class", "org-admin/app.js", "../ConsoleFiles.class", "../../../../../../META-INF/beans.xml"}) {
            assertThat(files.get(name)).as(name).isEmpty();
        }
    }

    @Test
    void thePageHasNoInlineScriptOrStyle() {
        String html = new String(files.get("index.html").orElseThrow().content(), StandardCharsets.UTF_8);
        assertThat(html).doesNotContain("<script>").doesNotContain("<style").doesNotContain(" style=")
                .doesNotContainPattern("\\son[a-z]+\\s*=");
    }
}
