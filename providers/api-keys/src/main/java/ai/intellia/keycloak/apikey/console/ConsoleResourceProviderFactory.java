package ai.intellia.keycloak.apikey.console;

import ai.intellia.keycloak.apikey.domain.ApiKeySettings;
import ai.intellia.keycloak.apikey.rest.MalformedContentType;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

import java.util.List;

/**
 * Mounts the organization admins' page at {@code /realms/{realm}/api-keys-console/}. The page
 * signs in through a public client of the realm: {@value ApiKeySettings#DEFAULT_CONSOLE_CLIENT} unless the SPI
 * option {@code --spi-realm-restapi-extension--api-keys-console--client-id} or the realm
 * attribute {@value ApiKeySettings#CONSOLE_CLIENT_ATTRIBUTE} names another.
 */
public final class ConsoleResourceProviderFactory implements RealmResourceProviderFactory {

    public static final String PROVIDER_ID = "api-keys-console";

    private volatile ConsoleFiles files;
    private String clientId = ApiKeySettings.DEFAULT_CONSOLE_CLIENT;

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        ConsoleResource resource = new ConsoleResource(session, files(), clientId);
        return new RealmResourceProvider() {
            @Override
            public Object getResource() {
                MalformedContentType.refuse(session);
                return resource;
            }

            @Override
            public void close() {
            }
        };
    }

    /** The realm's own choice of client, else the server-wide one. */
    static String clientId(RealmModel realm, String serverDefault) {
        String own = realm.getAttribute(ApiKeySettings.CONSOLE_CLIENT_ATTRIBUTE);
        return own == null || own.isBlank() ? serverDefault : own.strip();
    }

    private ConsoleFiles files() {
        ConsoleFiles loaded = files;
        if (loaded == null) {
            synchronized (this) {
                if (files == null) {
                    files = ConsoleFiles.load();
                }
                loaded = files;
            }
        }
        return loaded;
    }

    @Override
    public void init(Config.Scope config) {
        String configured = config.get("client-id");
        if (configured != null && !configured.isBlank()) {
            clientId = configured.strip();
        }
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return ProviderConfigurationBuilder.create()
                .property().name("client-id").type("string")
                .helpText("Public client (authorization code + PKCE) that the organization admins' page signs in with.")
                .defaultValue(ApiKeySettings.DEFAULT_CONSOLE_CLIENT).add()
                .build();
    }
}
