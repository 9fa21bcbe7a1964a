package ai.intellia.keycloak.apikey.store;

import ai.intellia.keycloak.apikey.domain.ApiKeySettings;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.provider.ProviderFactory;

import java.security.SecureRandom;
import java.util.List;

public final class ApiKeyServiceFactory implements ProviderFactory<ApiKeyService> {

    public static final String PROVIDER_ID = "default";

    private final SecureRandom random = new SecureRandom();
    private final UsageThrottle usageThrottle = new UsageThrottle();
    private ApiKeySettings defaults = ApiKeySettings.DEFAULTS;

    @Override
    public ApiKeyService create(KeycloakSession session) {
        return new ApiKeyService(session, defaults, random, usageThrottle);
    }

    @Override
    public void init(Config.Scope config) {
        defaults = ApiKeySettings.from(config::get, ApiKeySettings.DEFAULTS);
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
                .property().name("resources").type("string").helpText("Comma-separated permission resources.")
                .defaultValue(String.join(",", ApiKeySettings.DEFAULTS.resources())).add()
                .property().name("owners-group").type("string").helpText("Organization group of Owners.").defaultValue("Owners").add()
                .property().name("admins-group").type("string").helpText("Organization group of Admins.").defaultValue("Admins").add()
                .property().name("default-group").type("string").helpText("Organization group of new end users.").defaultValue("Default").add()
                .property().name("assume-role-lifetime").type("int").helpText("Lifetime of assume-role tokens, seconds.").defaultValue(7200).add()
                .property().name("assume-role-client").type("string").helpText("Client that assume-role tokens are issued to.").defaultValue("chat-widget").add()
                .property().name("assume-role-role").type("string").helpText("The only realm role of assume-role tokens.").defaultValue("chat").add()
                .property().name("audiences").type("string").helpText("Comma-separated resource-server clients put in aud.").defaultValue("intellia-api").add()
                .build();
    }
}
