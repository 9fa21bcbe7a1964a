package ai.intellia.keycloak.apikey.store;

import org.keycloak.provider.Provider;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.Spi;

/**
 * Our own small SPI, so that the key service and its per-node state (random source, uses and
 * usage counts waiting for the next flush, parsed records, rate-limit windows, organization group
 * ids, server-wide settings) live in a factory, not in static fields. Options are set as
 * {@code --spi-intellia-api-keys--default--<option>=…}.
 */
public final class ApiKeySpi implements Spi {

    public static final String NAME = "intellia-api-keys";

    @Override
    public boolean isInternal() {
        return false;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public Class<? extends Provider> getProviderClass() {
        return ApiKeyService.class;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Class<? extends ProviderFactory> getProviderFactoryClass() {
        return ApiKeyServiceFactory.class;
    }
}
