package ai.intellia.keycloak.apikey.assumerole;

import ai.intellia.keycloak.apikey.domain.ApiError;
import ai.intellia.keycloak.apikey.domain.ErrorCode;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelDuplicateException;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.services.managers.ClientManager;

/**
 * The end-user client ({@code chat-widget}) and role ({@code chat}) of assume-role tokens,
 * created on first need in a realm that lacks them: a public client with full scope off and a
 * scope mapping to the role, so the token's realm roles are exactly that role.
 */
public final class ChatClient {

    private final KeycloakSession session;
    private final RealmModel realm;

    public ChatClient(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    public record Setup(ClientModel client, RoleModel role) {
    }

    /**
     * The pair, created when missing; 503 when an existing one breaks {@link AssumeRoleTarget}'s
     * rule (a setting that names it was ignored already, so this is the default pair gone wrong).
     */
    public Setup ensure(String clientId, String roleName) {
        ClientModel client = realm.getClientByClientId(clientId);
        RoleModel role = realm.getRole(roleName);
        if (client != null && role != null) {
            return checked(new Setup(client, role));
        }
        try {
            KeycloakModelUtils.runJobInTransaction(session.getKeycloakSessionFactory(), session.getContext(), s -> {
                RealmModel r = s.realms().getRealm(realm.getId());
                RoleModel chat = r.getRole(roleName) != null ? r.getRole(roleName) : r.addRole(roleName);
                if (r.getClientByClientId(clientId) == null) {
                    ClientRepresentation rep = new ClientRepresentation();
                    rep.setClientId(clientId);
                    rep.setName("Chat widget (end-user tokens minted by assume-role)");
                    rep.setProtocol("openid-connect");
                    rep.setPublicClient(true);
                    rep.setFullScopeAllowed(false);
                    rep.setStandardFlowEnabled(false);
                    rep.setDirectAccessGrantsEnabled(false);
                    ClientModel created = ClientManager.createClient(s, r, rep);
                    created.addScopeMapping(chat);
                }
            });
        } catch (ModelDuplicateException e) {
            // created concurrently: read below
        }
        client = realm.getClientByClientId(clientId);
        role = realm.getRole(roleName);
        if (client == null || role == null) {
            throw new IllegalStateException("Could not set up client " + clientId + " and role " + roleName);
        }
        return checked(new Setup(client, role));
    }

    private Setup checked(Setup setup) {
        String problem = AssumeRoleTarget.problem(realm, setup.client().getClientId(), setup.role().getName(), true);
        if (problem != null) {
            throw new ApiError(ErrorCode.ASSUME_ROLE_MISCONFIGURED, "Assume-role is not available until a realm admin fixes it: " + problem);
        }
        return setup;
    }
}
