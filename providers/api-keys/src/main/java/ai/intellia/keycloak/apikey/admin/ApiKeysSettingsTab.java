package ai.intellia.keycloak.apikey.admin;

import ai.intellia.keycloak.apikey.domain.ApiError;
import ai.intellia.keycloak.apikey.domain.ApiKeySettings;
import ai.intellia.keycloak.apikey.domain.Setting;
import ai.intellia.keycloak.apikey.domain.SettingKind;
import ai.intellia.keycloak.apikey.domain.SettingsUpdate;
import ai.intellia.keycloak.apikey.store.ApiKeyService;
import jakarta.ws.rs.ForbiddenException;
import org.keycloak.Config;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.services.managers.AppAuthManager;
import org.keycloak.services.resources.admin.AdminAuth;
import org.keycloak.services.resources.admin.AdminRoot;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;
import org.keycloak.services.resources.admin.fgap.AdminPermissions;
import org.keycloak.services.ui.extend.UiTabProvider;
import org.keycloak.services.ui.extend.UiTabProviderFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * "Realm settings → API keys" in the admin console: Keycloak's declarative {@code ui-tab}
 * (experimental feature {@code declarative-ui}) renders this form and saves it as a realm
 * component. The realm attributes stay the source of truth: saving the form validates it like
 * {@code PUT …/api-keys/settings} and writes the same attributes; that PUT in turn refreshes the
 * component, so the two never disagree.
 */
public final class ApiKeysSettingsTab implements UiTabProvider, UiTabProviderFactory<ComponentModel> {

    public static final String PROVIDER_ID = "API keys";
    static final String PROVIDER_TYPE = UiTabProvider.class.getName();

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    /**
     * This tab holds settings only; the console shows a property's help (not the tab's), so the
     * first field's help also says where the keys are.
     */
    private static final String WHERE_KEYS_ARE = "The keys themselves are not on this tab: an organization's Owners and Admins"
            + " list, rotate and revoke them on the organization admins' page, /realms/{realm}/api-keys-console/;"
            + " a realm administrator finds an organization's keys under Users → api-keys.<organization alias>… → Credentials"
            + " (Delete revokes), or through GET and DELETE /admin/realms/{realm}/api-keys.";

    @Override
    public String getHelpText() {
        return "Settings of the Intellia organization API keys: permission resources, organization groups, assume-role tokens. "
                + WHERE_KEYS_ARE;
    }

    @Override
    public String getPath() {
        return "/:realm/realm-settings/:tab?";
    }

    @Override
    public Map<String, String> getParams() {
        Map<String, String> params = new HashMap<>();
        params.put("tab", "api-keys");
        return params;
    }

    /** One field per {@link Setting}, in the table's order, showing the built-in defaults. */
    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        ProviderConfigurationBuilder form = ProviderConfigurationBuilder.create();
        for (Setting setting : Setting.values()) {
            form.property().name(setting.field()).label(setting.label())
                    .type(switch (setting.kind()) {
                        case BOOLEAN -> ProviderConfigProperty.BOOLEAN_TYPE;
                        case PUBLIC_KEYS -> ProviderConfigProperty.TEXT_TYPE;
                        default -> ProviderConfigProperty.STRING_TYPE;
                    })
                    .helpText(setting.ordinal() == 0 ? setting.help() + " " + WHERE_KEYS_ARE : setting.help())
                    .defaultValue(consoleDefault(setting)).add();
        }
        return form.build();
    }

    /**
     * The default as the form shows it; none for the leak-report keys, whose default is the empty
     * set: an empty box saves as "no override", so a server-wide set of keys stays in force.
     */
    private static String consoleDefault(Setting setting) {
        if (setting.defaultText() == null || setting.kind() == SettingKind.PUBLIC_KEYS) {
            return null;
        }
        return SettingsUpdate.formText(setting, setting.of(ApiKeySettings.DEFAULTS));
    }

    /**
     * The same checks as the settings PUT: a bad value is a 400 ({@link ComponentValidationException}),
     * choosing a client or role the admin may not is a 403. Keycloak's component resource has
     * already required manage-realm; the finer rights need the admin, so the request's bearer
     * token is authenticated again as Keycloak's admin root does. Without a request (a realm
     * imported at start-up) there is no admin to check.
     */
    @Override
    public void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel model) throws ComponentValidationException {
        try {
            SettingsWrite write = new SettingsWrite(session, realm, SettingsUpdate.fromForm(form(model)));
            if (write.changesAssumeRoleTarget()) {
                AdminPermissionEvaluator auth = requestingAdmin(session, realm);
                if (auth != null) {
                    write.authorize(auth);
                }
            }
            write.checkTarget();
        } catch (ApiError e) {
            if (e.status() == 403) {
                throw new ForbiddenException(e.description());
            }
            throw new ComponentValidationException(e.description());
        }
    }

    @Override
    public void onCreate(KeycloakSession session, RealmModel realm, ComponentModel model) {
        apply(session, realm, model);
    }

    @Override
    public void onUpdate(KeycloakSession session, RealmModel realm, ComponentModel oldModel, ComponentModel newModel) {
        apply(session, realm, newModel);
    }

    private static AdminPermissionEvaluator requestingAdmin(KeycloakSession session, RealmModel realm) {
        if (session.getContext().getRequestHeaders() == null
                || AppAuthManager.extractAuthorizationHeaderToken(session.getContext().getRequestHeaders()) == null) {
            return null;
        }
        RealmModel contextRealm = session.getContext().getRealm();
        try {
            AdminAuth admin = AdminRoot.authenticateRealmAdminRequest(session);
            return AdminPermissions.evaluator(session, realm, admin);
        } finally {
            session.getContext().setRealm(contextRealm); // the admin root switches it to the admin's realm
        }
    }

    /** After a change through the admin REST resource: show the same values in the console. */
    static void refresh(KeycloakSession session, RealmModel realm) {
        ApiKeySettings settings = session.getProvider(ApiKeyService.class).settings(realm);
        realm.getComponentsStream(realm.getId(), PROVIDER_TYPE)
                .filter(c -> PROVIDER_ID.equals(c.getProviderId()))
                .forEach(component -> {
                    SettingsUpdate.toForm(settings).forEach(component::put);
                    realm.updateComponent(component);
                });
    }

    private static void apply(KeycloakSession session, RealmModel realm, ComponentModel model) {
        new SettingsWrite(session, realm, SettingsUpdate.fromForm(form(model))).apply();
    }

    private static Map<String, String> form(ComponentModel model) {
        Map<String, String> form = new HashMap<>();
        SettingsUpdate.fieldNames().forEach(name -> form.put(name, model.get(name)));
        return form;
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }
}
