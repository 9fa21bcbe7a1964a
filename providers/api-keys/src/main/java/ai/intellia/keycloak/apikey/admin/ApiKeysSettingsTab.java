package ai.intellia.keycloak.apikey.admin;

import ai.intellia.keycloak.apikey.domain.ApiError;
import ai.intellia.keycloak.apikey.domain.ApiKeySettings;
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

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        ApiKeySettings d = ApiKeySettings.DEFAULTS;
        return ProviderConfigurationBuilder.create()
                .property().name("resources").label("Permission resources").type(ProviderConfigProperty.STRING_TYPE)
                .helpText("Comma-separated resource names keys can be granted read/write on. " + WHERE_KEYS_ARE).defaultValue(String.join(",", d.resources())).add()
                .property().name("ownersGroup").label("Owners group").type(ProviderConfigProperty.STRING_TYPE)
                .helpText("Organization group whose members are Owners.").defaultValue(d.ownersGroup()).add()
                .property().name("adminsGroup").label("Admins group").type(ProviderConfigProperty.STRING_TYPE)
                .helpText("Organization group whose members are Admins.").defaultValue(d.adminsGroup()).add()
                .property().name("defaultGroup").label("End-user group").type(ProviderConfigProperty.STRING_TYPE)
                .helpText("Organization group that assume-role puts new end users in.").defaultValue(d.defaultGroup()).add()
                .property().name("assumeRoleLifetimeSeconds").label("Assume-role token lifetime (s)").type(ProviderConfigProperty.STRING_TYPE)
                .helpText("Lifetime of end-user tokens, 60 to 86400 seconds.").defaultValue(Integer.toString(d.assumeRoleLifetimeSeconds())).add()
                .property().name("assumeRoleClient").label("Assume-role client").type(ProviderConfigProperty.STRING_TYPE)
                .helpText("Public client (azp) of end-user tokens, full scope off, scope only the role; created on first need. Needs manage-clients.").defaultValue(d.assumeRoleClient()).add()
                .property().name("assumeRoleRole").label("Assume-role realm role").type(ProviderConfigProperty.STRING_TYPE)
                .helpText("The only realm role in end-user tokens: a plain (not composite) role; created on first need. Needs the right to map it.").defaultValue(d.assumeRoleRole()).add()
                .property().name("audiences").label("Resource-server audiences").type(ProviderConfigProperty.STRING_TYPE)
                .helpText("Comma-separated client ids put in aud of minted tokens (when they exist).").defaultValue(String.join(",", d.audiences())).add()
                .property().name("maxKeysPerOrganization").label("Live keys per organization").type(ProviderConfigProperty.STRING_TYPE)
                .helpText("Creating a key beyond this many working keys of an organization is refused (409).")
                .defaultValue(Integer.toString(d.maxKeysPerOrganization())).add()
                .property().name("maxKeyLifetimeDays").label("Maximum key lifetime (days)").type(ProviderConfigProperty.STRING_TYPE)
                .helpText("Keys may expire at most this many days after creation or rotation (1 to 36500; blank: no maximum)."
                        + " Organizations may set a smaller maximum in their attributes.").add()
                .property().name("requireExpiry").label("Require an expiry").type(ProviderConfigProperty.BOOLEAN_TYPE)
                .helpText("Refuse keys without expiresAt (also implied by a maximum lifetime).").defaultValue("false").add()
                .property().name("leakReportPublicKeys").label("Leak-report public keys").type(ProviderConfigProperty.TEXT_TYPE)
                .helpText("JSON object {identifier: PEM} of the EC P-256 keys that a secret scanner signs leak reports with"
                        + " (POST /realms/{realm}/api-keys/leak-reports).").add()
                .property().name("defaultRateLimits").label("Default rate limits of keys").type(ProviderConfigProperty.STRING_TYPE)
                .helpText("JSON object with optional assumeRole, exchange, introspect, each N/s, N/min or N/h, e.g. {\"exchange\": \"60/min\"};"
                        + " a key's own rateLimits win; counted per node. Blank: none.").add()
                .build();
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
