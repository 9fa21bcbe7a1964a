package ai.intellia.keycloak.apikey.store;

import ai.intellia.keycloak.apikey.domain.ApiKeySettings;
import ai.intellia.keycloak.apikey.domain.FixedWindowLimiter;
import ai.intellia.keycloak.apikey.domain.ParsedRecordCache;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.services.resources.ShutdownDelayInitiatedEvent;

import java.security.SecureRandom;
import java.util.List;

public final class ApiKeyServiceFactory implements ProviderFactory<ApiKeyService> {

    public static final String PROVIDER_ID = "default";

    /** Key uses held between two flushes, ≈ 130 bytes each (≤ 26 MiB); past it, new keys' uses are dropped. */
    private static final int MAX_PENDING_USES = 200_000;
    private static final long DEFAULT_FLUSH_SECONDS = 60;
    /** Small enough that reloading one holder after a write costs little, large enough that an organization has few holders. */
    private static final int DEFAULT_KEYS_PER_HOLDER = 100;
    /** Parsed key records beside Keycloak's cached credentials: ≈ 750 bytes each, so ≤ 15 MiB. */
    private static final int MAX_PARSED_RECORDS = 20_000;
    /** Counters of rate-limited (key, operation) pairs kept per node: about 100 bytes each. */
    private static final int MAX_RATE_LIMIT_WINDOWS = 100_000;

    private final SecureRandom random = new SecureRandom();
    private final PendingUses pendingUses = new PendingUses(MAX_PENDING_USES);
    /** (key, day) usage counts held between two flushes, ≈ 200 bytes each (≤ 40 MiB). */
    private final PendingCounts pendingCounts = new PendingCounts(MAX_PENDING_USES);
    /**
     * Names this node's usage-count attributes: only this node writes them, so counts of two
     * nodes never overwrite each other (a new one per start; old ones age out after 30 days).
     */
    private final String nodeId = KeycloakModelUtils.generateId().substring(0, 8);
    private final ParsedRecordCache parsedRecords = new ParsedRecordCache(MAX_PARSED_RECORDS);
    private final FixedWindowLimiter rateLimiter = new FixedWindowLimiter(MAX_RATE_LIMIT_WINDOWS, System::currentTimeMillis);
    private final HolderIds holderIds = new HolderIds();
    private final LegacyKeyHolders legacyHolders = new LegacyKeyHolders(holderIds);
    private final KeyTagSecrets tagSecrets = new KeyTagSecrets();
    private ApiKeySettings defaults = ApiKeySettings.DEFAULTS;
    private long flushSeconds = DEFAULT_FLUSH_SECONDS;
    private int keysPerHolder = DEFAULT_KEYS_PER_HOLDER;
    private UsageFlusher flusher;

    @Override
    public ApiKeyService create(KeycloakSession session) {
        ApiKeyStore store = new HolderCredentialStore(session, holderIds, legacyHolders, parsedRecords, keysPerHolder);
        return new ApiKeyService(session, defaults, random, pendingUses, pendingCounts, rateLimiter, store, tagSecrets);
    }

    @Override
    public void init(Config.Scope config) {
        defaults = ApiKeySettings.from(config::get, ApiKeySettings.DEFAULTS);
        flushSeconds = Math.max(1, config.getLong("last-used-flush-interval", DEFAULT_FLUSH_SECONDS));
        keysPerHolder = Math.max(1, config.getInt("keys-per-holder", DEFAULT_KEYS_PER_HOLDER));
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
        flusher = new UsageFlusher(factory, pendingUses, pendingCounts, nodeId, flushSeconds);
        factory.register(event -> {
            if (event instanceof ShutdownDelayInitiatedEvent) {
                flusher.onShutdownDelay();
            }
        });
    }

    @Override
    public void close() {
        if (flusher != null) {
            flusher.close();
        }
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
                .property().name("assume-role-lifetime").type("int").helpText("Lifetime of assume-role tokens, 60 to 86400 seconds (other values are ignored).").defaultValue(7200).add()
                .property().name("assume-role-client").type("string").helpText("Client that assume-role tokens are issued to.").defaultValue("chat-widget").add()
                .property().name("assume-role-role").type("string").helpText("The only realm role of assume-role tokens.").defaultValue("chat").add()
                .property().name("last-used-flush-interval").type("int")
                .helpText("Seconds between writes of the keys' last use (batched; verification never writes).")
                .defaultValue(DEFAULT_FLUSH_SECONDS).add()
                .property().name("keys-per-holder").type("int")
                .helpText("Keys kept by one key holder user before the next is opened: a key write makes the next verification reload one holder of at most about this many keys.")
                .defaultValue(DEFAULT_KEYS_PER_HOLDER).add()
                .property().name("audiences").type("string").helpText("Comma-separated resource-server clients put in aud.").defaultValue("intellia-api").add()
                .property().name("max-keys-per-organization").type("int")
                .helpText("Working keys an organization may have (1 to 1000000); one more is refused with 409.").defaultValue(10_000).add()
                .property().name("max-key-lifetime-days").type("int")
                .helpText("Days a key may live at most (1 to 36500; unset: no maximum).").add()
                .property().name("require-expiry").type("boolean").helpText("Refuse keys without an expiry.").defaultValue(false).add()
                .property().name("leak-report-public-keys").type("string")
                .helpText("JSON object {identifier: PEM} of EC P-256 keys accepted on leak reports.").add()
                .build();
    }
}
