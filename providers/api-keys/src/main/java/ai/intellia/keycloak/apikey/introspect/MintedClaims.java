package ai.intellia.keycloak.apikey.introspect;

import ai.intellia.keycloak.apikey.events.ApiKeyEvents;
import org.keycloak.representations.AccessToken;

import java.util.List;

/**
 * Keycloak's introspection answer is rebuilt from the token's basic claims plus what protocol
 * mappers add for introspection; claims we set while minting would be dropped. For a token we
 * minted (it names its {@code organization_id}), those claims are carried over, so a resource
 * server sees the key ({@code api_key_id}) or the end user ({@code user_id}) and the minter
 * ({@code act}) whichever way it verifies. Other tokens are left exactly as Keycloak made them.
 */
final class MintedClaims {

    private static final List<String> OURS = List.of(ApiKeyEvents.SOURCE, ApiKeyEvents.API_KEY_ID, ApiKeyEvents.ORGANIZATION_ID,
            "user_id", MintedTokenCheck.ACT);

    private MintedClaims() {
    }

    static AccessToken carryOver(AccessToken original, AccessToken answer) {
        if (answer == null || answer == original || !(original.getOtherClaims().get(ApiKeyEvents.ORGANIZATION_ID) instanceof String)) {
            return answer;
        }
        for (String claim : OURS) {
            Object value = original.getOtherClaims().get(claim);
            if (value != null) {
                answer.getOtherClaims().put(claim, value);
            }
        }
        return answer;
    }
}
