package ai.intellia.keycloak.apikey.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The limb arithmetic of {@link Base62} against the original BigInteger code, over many inputs. */
class Base62PropertyTest {

    private static final int RUNS = 5_000;
    /** Outside the alphabet: ASCII neighbours, controls, DEL, Latin-1, fullwidth, a lone surrogate. */
    private static final String NOT_BASE62 = "_-+/ =.:@[`{\u0000\t\u007f\u0080\u00e9\uff21\ud83d";

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    private static void assertEncodesLikeTheReference(byte[] bytes) {
        assertThat(Base62.encode(bytes)).as("encode %s", HexFormat.of().formatHex(bytes)).isEqualTo(Base62Reference.encode(bytes));
    }

    private static void assertDecodesLikeTheReference(String text, int bytes) {
        byte[] expected = Base62Reference.decode(text, bytes);
        assertThat(decodeAll(text, bytes)).as("decode \"%s\" into %d bytes", text, bytes).isEqualTo(expected);
        // The same text inside a longer one, decoded by range as ApiKeyToken does.
        String framed = "ik_" + text + "zz";
        assertThat(Base62.decode(framed, 3, 3 + text.length(), bytes)).as("decode range \"%s\" into %d bytes", text, bytes).isEqualTo(expected);
    }

    /** Edge values of a byte count, each as the shortest text and as texts with extra leading zeros. */
    private static List<String> edgeTexts(int bytes) {
        BigInteger limit = BigInteger.TWO.pow(8 * bytes);
        List<BigInteger> values = List.of(BigInteger.ZERO, BigInteger.ONE, BigInteger.valueOf(61), BigInteger.valueOf(62),
                limit.subtract(BigInteger.ONE), limit, limit.add(BigInteger.ONE), limit.shiftLeft(1),
                BigInteger.valueOf(62).pow(Base62.width(bytes)).subtract(BigInteger.ONE));
        List<String> texts = new ArrayList<>();
        for (BigInteger value : values) {
            String digits = Base62Reference.digits(value);
            for (int pad = 0; pad <= Base62.width(bytes) + 2; pad++) {
                texts.add("0".repeat(pad) + digits);
            }
        }
        return texts;
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 7, 8, 9, 16, 31, 32, 33})
    void encodeMatchesTheReferenceOnEdgeAndRandomBytes(int length) {
        assertEncodesLikeTheReference(new byte[length]);
        assertEncodesLikeTheReference(filled(length, 0xFF));
        for (int i = 0; i < 8 * length; i++) {
            byte[] oneBit = new byte[length];
            oneBit[i / 8] = (byte) (1 << (i % 8));
            assertEncodesLikeTheReference(oneBit);
        }
        Random random = new Random(length);
        for (int run = 0; run < RUNS; run++) {
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            // Leading zero bytes are where padding goes wrong, so make them common.
            Arrays.fill(bytes, 0, random.nextInt(length + 1) / 2, (byte) 0);
            assertEncodesLikeTheReference(bytes);
        }
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 7, 8, 9, 16, 31, 32, 33})
    void decodeMatchesTheReferenceOnEdgeValuesWithAnyPadding(int bytes) {
        edgeTexts(bytes).forEach(text -> assertDecodesLikeTheReference(text, bytes));
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {1, 4, 16, 32})
    void decodeAcceptsTheLargestValueThatFitsAndRefusesOneMore(int bytes) {
        BigInteger limit = BigInteger.TWO.pow(8 * bytes);
        String max = Base62Reference.digits(limit.subtract(BigInteger.ONE));
        String tooBig = Base62Reference.digits(limit);
        assertThat(decodeAll(max, bytes)).isEqualTo(filled(bytes, 0xFF));
        assertThat(decodeAll(tooBig, bytes)).isNull();
        assertThat(decodeAll("000" + tooBig, bytes)).isNull();
        assertThat(decodeAll(Base62.encode(new byte[bytes]), bytes)).isEqualTo(new byte[bytes]);
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 7, 8, 9, 16, 31, 32, 33})
    void decodeMatchesTheReferenceOnRandomTextsOfAnyLength(int bytes) {
        Random random = new Random(1000 + bytes);
        int width = Base62.width(bytes);
        for (int run = 0; run < RUNS; run++) {
            char[] text = new char[random.nextInt(width + 4)];
            // Mostly zeros in front, so that many texts of every length fit and the rest barely do not.
            int zeros = random.nextInt(text.length + 1);
            for (int i = 0; i < text.length; i++) {
                text[i] = i < zeros && random.nextBoolean() ? '0' : Base62Reference.ALPHABET.charAt(random.nextInt(62));
            }
            if (text.length > 0 && random.nextInt(8) == 0) {
                text[random.nextInt(text.length)] = NOT_BASE62.charAt(random.nextInt(NOT_BASE62.length()));
            }
            assertDecodesLikeTheReference(new String(text), bytes);
        }
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {1, 4, 16, 32})
    void decodeOfAnEncodingMatchesTheReference(int bytes) {
        Random random = new Random(2000 + bytes);
        for (int run = 0; run < RUNS; run++) {
            byte[] value = new byte[bytes];
            random.nextBytes(value);
            String text = Base62.encode(value);
            assertThat(decodeAll(text, bytes)).isEqualTo(value).isEqualTo(Base62Reference.decode(text, bytes));
        }
    }

    @Test
    void everyCharOutsideTheAlphabetIsRefusedLikeTheReference() {
        for (char c = 0; c < 0x3000; c++) {
            String text = "1" + c + "1";
            assertDecodesLikeTheReference(text, 4);
        }
        for (char c : NOT_BASE62.toCharArray()) {
            assertThat(decodeAll("0" + c, 4)).isNull();
        }
    }

    @Test
    void negativeByteCountsAreRefusedLikeTheReference() {
        for (String text : List.of("", "0", "1", "zz", "_")) {
            for (int bytes : new int[] {-1, -4, -5, -8}) {
                assertThat(Base62Reference.decode(text, bytes)).isNull();
                assertThat(decodeAll(text, bytes)).isNull();
            }
        }
    }

    /** The whole text, as {@code Base62.decode} reads a range of a key. */
    private static byte[] decodeAll(String text, int bytes) {
        return Base62.decode(text, 0, text.length(), bytes);
    }
}
