package ai.intellia.keycloak.it;

import ai.intellia.keycloak.it.harness.AdminClient;
import ai.intellia.keycloak.it.harness.Http;
import ai.intellia.keycloak.it.harness.KeycloakExtension;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.security.oauth2.server.resource.introspection.SpringOpaqueTokenIntrospector;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The clients resource servers really run, unmodified: Spring Security's opaque-token introspector
 * (what {@code spring.security.oauth2.resourceserver.opaquetoken.*} configures: no hint, client
 * credentials) and its JWT decoder with issuer and audience validation.
 */
@ExtendWith(KeycloakExtension.class)
class SpringClientsIT {

    private final AdminClient admin;
    private OrgFixture org;
    private JsonNode created;
    private String key;
    private OpaqueTokenIntrospector spring;

    SpringClientsIT(AdminClient admin) {
        this.admin = admin;
    }

    @BeforeEach
    void keyAndIntrospector() {
        org = OrgFixture.create(admin);
        created = org.createKey(Map.of("description", "spring", "permissions",
                Map.of("agents", Map.of("read", true), "assume_role", Map.of("write", true))));
        key = created.get("key").asText();
        spring = new SpringOpaqueTokenIntrospector(
                admin.baseUrl() + "/realms/" + org.realm + "/protocol/openid-connect/token/introspect",
                OrgFixture.RS_CLIENT, OrgFixture.RS_SECRET);
    }

    private static java.util.List<String> authorities(OAuth2AuthenticatedPrincipal principal) {
        return principal.getAuthorities().stream().map(GrantedAuthority::getAuthority).toList();
    }

    @Test
    @DisplayName("given a key then Spring's opaque-token introspector authenticates it with its scopes and the key's principal")
    void key() {
        OAuth2AuthenticatedPrincipal principal = spring.introspect(key);
        assertThat(authorities(principal)).containsExactlyInAnyOrder("SCOPE_agents:read", "SCOPE_assume_role:write");
        String keyTokenSub = RealmJwt.verified(admin, org.realm, Minted.keyToken(admin, org, key)).get("sub").asText();
        assertThat(principal.getName()).isEqualTo(keyTokenSub);
        assertThat((String) principal.getAttribute("api_key_id")).isEqualTo(created.get("id").asText());
        assertThat((String) principal.getAttribute("organization_id")).isEqualTo(org.orgId);
    }

    @Test
    @DisplayName("given a revoked key then Spring refuses it, and the tokens it minted")
    void revokedKey() {
        String keyToken = Minted.keyToken(admin, org, key);
        String endUser = Minted.endUserToken(org, key, "spring-user");
        Http.delete(org.keysUrl() + "/" + created.get("id").asText(), org.ownerToken);
        assertThatThrownBy(() -> spring.introspect(key)).isInstanceOf(BadOpaqueTokenException.class);
        assertThatThrownBy(() -> spring.introspect(keyToken)).isInstanceOf(BadOpaqueTokenException.class);
        assertThatThrownBy(() -> spring.introspect(endUser)).isInstanceOf(BadOpaqueTokenException.class);
    }

    @Test
    @DisplayName("given a key-exchange JWT then Spring's introspector maps the key's scopes and the same principal")
    void keyExchangeJwt() {
        String jwt = Minted.keyToken(admin, org, key);
        OAuth2AuthenticatedPrincipal principal = spring.introspect(jwt);
        assertThat(authorities(principal)).contains("SCOPE_agents:read", "SCOPE_assume_role:write");
        assertThat(principal.getName()).isEqualTo(spring.introspect(key).getName());
    }

    @Test
    @DisplayName("given an assume-role JWT then Spring's introspector authenticates the end user")
    void assumeRoleJwt() {
        String jwt = Minted.endUserToken(org, key, "spring-end-user");
        OAuth2AuthenticatedPrincipal principal = spring.introspect(jwt);
        assertThat(principal.getName()).isEqualTo(RealmJwt.verified(admin, org.realm, jwt).get("sub").asText());
        assertThat(authorities(principal)).contains("SCOPE_openid");
        assertThat((String) principal.getAttribute("user_id")).isEqualTo("spring-end-user");
    }

    @Test
    @DisplayName("given minted JWTs then Spring's NimbusJwtDecoder with issuer and intellia-api audience accepts them offline")
    void jwtDecoder() {
        NimbusJwtDecoder decoder = NimbusJwtDecoder
                .withJwkSetUri(admin.baseUrl() + "/realms/" + org.realm + "/protocol/openid-connect/certs").build();
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefaultWithIssuer(RealmJwt.issuer(admin, org.realm)),
                jwt -> jwt.getAudience().contains(OrgFixture.RS_CLIENT) ? OAuth2TokenValidatorResult.success()
                        : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "not for intellia-api", null))));

        Jwt keyToken = decoder.decode(Minted.keyToken(admin, org, key));
        assertThat(keyToken.getClaimAsString("api_key_id")).isEqualTo(created.get("id").asText());
        assertThat(keyToken.getClaimAsString("scope")).contains("agents:read");
        Jwt endUser = decoder.decode(Minted.endUserToken(org, key, "offline-user"));
        assertThat(endUser.getClaimAsString("user_id")).isEqualTo("offline-user");
        assertThat(endUser.getClaimAsMap("act")).containsEntry("sub", created.get("id").asText());

        // an Owner's ordinary token is not meant for intellia-api: the audience check refuses it
        assertThatThrownBy(() -> decoder.decode(org.ownerToken)).isInstanceOf(JwtException.class);
    }
}
