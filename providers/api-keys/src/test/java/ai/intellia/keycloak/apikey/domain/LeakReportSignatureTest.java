package ai.intellia.keycloak.apikey.domain;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LeakReportSignatureTest {

    private static final byte[] BODY = "[{\"token\":\"ik_x\",\"type\":\"intellia_api_key\",\"url\":\"https://example.com\",\"source\":\"content\"}]"
            .getBytes(StandardCharsets.UTF_8);

    private final KeyPair scanner = p256();
    private final Map<String, PublicKey> keys = LeakReportPublicKeys.parse("{\"gh-1\":" + json(pem(scanner)) + "}");

    @Test
    void aSignatureOverTheRawBodyByAConfiguredKeyVerifies() {
        assertThat(keys).containsKey("gh-1");
        assertThat(LeakReportSignature.verify(keys, "gh-1", sign(scanner, BODY), BODY)).isTrue();
    }

    @Test
    void aSignatureOverOtherBytesIsRefused() {
        byte[] changed = BODY.clone();
        changed[changed.length - 3] ^= 1;
        assertThat(LeakReportSignature.verify(keys, "gh-1", sign(scanner, BODY), changed)).isFalse();
    }

    @Test
    void anotherKeysSignatureIsRefused() {
        assertThat(LeakReportSignature.verify(keys, "gh-1", sign(p256(), BODY), BODY)).isFalse();
    }

    @Test
    void anUnknownIdentifierOrMissingHeaderIsRefused() {
        String signature = sign(scanner, BODY);
        assertThat(LeakReportSignature.verify(keys, "gh-2", signature, BODY)).isFalse();
        assertThat(LeakReportSignature.verify(keys, null, signature, BODY)).isFalse();
        assertThat(LeakReportSignature.verify(keys, "gh-1", null, BODY)).isFalse();
    }

    @Test
    void garbageSignaturesAreRefusedNotThrown() {
        assertThat(LeakReportSignature.verify(keys, "gh-1", "not base64 !!", BODY)).isFalse();
        assertThat(LeakReportSignature.verify(keys, "gh-1", Base64.getEncoder().encodeToString(new byte[64]), BODY)).isFalse();
        assertThat(LeakReportSignature.verify(keys, "gh-1", "", BODY)).isFalse();
    }

    @Test
    void onlyP256PublicKeysAreAcceptedAsTheSetting() throws GeneralSecurityException {
        assertThat(LeakReportPublicKeys.publicKey(pem(scanner))).isNotNull();
        KeyPairGenerator p384 = KeyPairGenerator.getInstance("EC");
        p384.initialize(new ECGenParameterSpec("secp384r1"));
        assertThat(LeakReportPublicKeys.publicKey(pem(p384.generateKeyPair()))).isNull();
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        assertThat(LeakReportPublicKeys.publicKey(pem(rsa.generateKeyPair()))).isNull();
        assertThat(LeakReportPublicKeys.publicKey("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----")).isNull();
        assertThat(LeakReportPublicKeys.publicKey("hello")).isNull();
    }

    @Test
    void theSettingRefusesAnyEntryThatIsNotAP256Key() {
        assertThat(Setting.LEAK_REPORT_PUBLIC_KEYS.check("{\"a\":" + json(pem(scanner)) + "}")).contains("\"a\":");
        assertThatThrownBy(() -> Setting.LEAK_REPORT_PUBLIC_KEYS.check("{\"a\":" + json(pem(scanner)) + ",\"b\":\"x\"}"))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.description()).contains("P-256"));
        assertThatThrownBy(() -> Setting.LEAK_REPORT_PUBLIC_KEYS.check("[]")).isInstanceOf(ApiError.class);
        assertThatThrownBy(() -> Setting.LEAK_REPORT_PUBLIC_KEYS.check("{\"a\":1}")).isInstanceOf(ApiError.class);
    }

    static KeyPair p256() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(KeyPair pair) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(pair.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    private static String json(String text) {
        return StrictJson.mapper().getNodeFactory().textNode(text).toString();
    }

    private static String sign(KeyPair pair, byte[] body) {
        try {
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(pair.getPrivate());
            signer.update(body);
            return Base64.getEncoder().encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
