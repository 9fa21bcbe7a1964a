package ai.intellia.keycloak.apikey.store;

import ai.intellia.keycloak.apikey.domain.ApiKeySettings;
import ai.intellia.keycloak.apikey.domain.FixedWindowLimiter;
import ai.intellia.keycloak.apikey.domain.ParsedRecordCache;
import ai.intellia.keycloak.apikey.domain.Setting;
import ai.intellia.keycloak.apikey.domain.SettingKind;
import ai.intellia.keycloak.apikey.org.OrganizationGroupIds;
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
    /** Organization group ids by name: three per organization in use, about 200 bytes each. */
    private static final int MAX_GROUP_IDS = 30_000;

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
    private final OrganizationGroupIds groupIds = new OrganizationGroupIds(MAX_GROUP_IDS);
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
        return new ApiKeyService(session, defaults, random, pendingUses, pendingCounts, rateLimiter, store, tagSecrets, groupIds);
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

    /** Every {@link Setting} as an option (its server-wide default), and the flush interval. */
    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        ProviderConfigurationBuilder options = ProviderConfigurationBuilder.create();
        for (Setting setting : Setting.values()) {
            options.property().name(setting.attribute()).label(setting.label()).helpText(setting.help() + " Invalid values are ignored.")
                    .type(switch (setting.kind()) {
                        case INTEGER -> "int";
                        case BOOLEAN -> "boolean";
                        default -> "string";
                    })
                    .defaultValue(spiDefault(setting)).add();
        }
        return options.property().name("last-used-flush-interval").type("int")
                .helpText("Seconds between writes of the keys' last use (batched; verification never writes).")
                .defaultValue(DEFAULT_FLUSH_SECONDS).add()
                .property().name("keys-per-holder").type("int")
                .helpText("Keys kept by one key holder user before the next is opened: a key write makes the next verification reload one holder of at most about this many keys.")
                .defaultValue(DEFAULT_KEYS_PER_HOLDER).add()
                .build();
    }

    /** Numbers and booleans typed, everything else as the option's text. */
    private static Object spiDefault(Setting setting) {
        String text = setting.defaultText();
        return text != null && (setting.kind() == SettingKind.INTEGER || setting.kind() == SettingKind.BOOLEAN)
                ? setting.kind().value(text) : text;
    }
}
