package ai.intellia.keycloak.it;

import ai.intellia.keycloak.it.harness.AdminClient;
import ai.intellia.keycloak.it.harness.Http;
import ai.intellia.keycloak.it.harness.Http.Reply;
import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A realm-issued JWT, its signature checked against the realm's JWKS, its claims as JSON. */
final class RealmJwt {

    private RealmJwt() {
    }

    /** The claims of {@code token}, after asserting that the realm's published keys signed it. */
    static JsonNode verified(AdminClient admin, String realm, String token) {
        try {
            Reply certs = Http.get(admin.baseUrl() + "/realms/" + realm + "/protocol/openid-connect/certs", null);
            assertThat(certs.status()).as(certs.toString()).isEqualTo(200);
            SignedJWT jwt = SignedJWT.parse(token);
            assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
            JWK key = JWKSet.parse(certs.body()).getKeyByKeyId(jwt.getHeader().getKeyID());
            assertThat(key).as("kid %s in the realm JWKS", jwt.getHeader().getKeyID()).isNotNull();
            assertThat(jwt.verify(new RSASSAVerifier(key.toRSAKey()))).as("signature").isTrue();
            return Http.JSON.readTree(jwt.getPayload().toString());
        } catch (Exception e) {
            throw new AssertionError("not a JWT of realm " + realm + ": " + token, e);
        }
    }

    static String issuer(AdminClient admin, String realm) {
        return admin.baseUrl() + "/realms/" + realm;
    }

    /** {@code aud} is a string or an array. */
    static List<String> audiences(JsonNode claims) {
        JsonNode aud = claims.path("aud");
        List<String> out = new ArrayList<>();
        if (aud.isTextual()) {
            out.add(aud.asText());
        } else {
            aud.forEach(a -> out.add(a.asText()));
        }
        return out;
    }

    static List<String> scopes(JsonNode claims) {
        return Arrays.asList(claims.path("scope").asText().split(" "));
    }

    static long lifetime(JsonNode claims) {
        return claims.get("exp").asLong() - claims.get("iat").asLong();
    }
}
