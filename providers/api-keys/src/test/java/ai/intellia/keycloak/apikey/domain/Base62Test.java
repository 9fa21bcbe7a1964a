package ai.intellia.keycloak.apikey.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Base62Test {

    private static final BigInteger B62 = BigInteger.valueOf(62);

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    private static byte[] random(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @ParameterizedTest(name = "{0} bytes -> {1} chars")
    @CsvSource({"0,0", "1,2", "4,6", "16,22", "32,43"})
    void widthIsTheNumberOfBase62CharsTheKeyLayoutUses(int bytes, int chars) {
        assertThat(Base62.width(bytes)).isEqualTo(chars);
    }

    @Test
    void widthIsTheSmallestThatHoldsEveryValueOfThatManyBytes() {
        for (int bytes = 1; bytes <= 64; bytes++) {
            BigInteger values = BigInteger.TWO.pow(8 * bytes);
            int width = Base62.width(bytes);
            assertThat(B62.pow(width)).as("62^%d holds %d bytes", width, bytes).isGreaterThanOrEqualTo(values);
            assertThat(B62.pow(width - 1)).as("62^%d is too small for %d bytes", width - 1, bytes).isLessThan(values);
        }
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {1, 4, 16, 32})
    void allZeroBytesEncodeToZerosOfFullWidthAndRoundTrip(int length) {
        byte[] zeros = new byte[length];
        String text = Base62.encode(zeros);
        assertThat(text).hasSize(Base62.width(length)).matches("0+");
        assertThat(decodeAll(text, length)).isEqualTo(zeros);
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {1, 4, 16, 32})
    void allOnesBytesEncodeToFullWidthAndRoundTrip(int length) {
        byte[] max = filled(length, 0xFF);
        String text = Base62.encode(max);
        assertThat(text).hasSize(Base62.width(length));
        assertThat(decodeAll(text, length)).isEqualTo(max);
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {1, 2, 4, 16, 32})
    void randomBytesRoundTripAtFixedWidthUsingOnlyAlphanumerics(int length) {
        for (long seed = 0; seed < 200; seed++) {
            byte[] bytes = random(length, seed);
            String text = Base62.encode(bytes);
            assertThat(text).hasSize(Base62.width(length)).matches("[0-9A-Za-z]+");
            assertThat(decodeAll(text, length)).isEqualTo(bytes);
        }
    }

    @Test
    void leadingZeroBytesArePreservedByTheRoundTrip() {
        byte[] bytes = {0, 0, 0, 1};
        assertThat(decodeAll(Base62.encode(bytes), 4)).containsExactly(0, 0, 0, 1);
    }

    @ParameterizedTest(name = "\"{0}\" into {1} bytes")
    @CsvSource({
            "zzzzzz, 4",                 // 62^6-1 > 2^32-1
            "4gfFC4, 4",                 // exactly 2^32
            "zzzzzzzzzzzzzzzzzzzzzz, 16",
            "zz, 1",
            "48, 1"                      // exactly 256
    })
    void decodeRejectsValuesThatDoNotFitTheByteCount(String text, int bytes) {
        assertThat(decodeAll(text, bytes)).isNull();
    }

    @Test
    void decodeAcceptsTheLargestValueThatFits() {
        assertThat(decodeAll("4gfFC3", 4)).containsExactly(0xFF, 0xFF, 0xFF, 0xFF);
        assertThat(decodeAll("47", 1)).containsExactly(0xFF);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"abc_12", "abc-12", "abc+12", "abc/12", "abc 12", "abc=12", "abcé12", "ＡBC123"})
    void decodeRejectsCharactersOutsideTheAlphabet(String text) {
        assertThat(decodeAll(text, 4)).isNull();
    }

    /** The whole text, as {@code Base62.decode} reads a range of a key. */
    private static byte[] decodeAll(String text, int bytes) {
        return Base62.decode(text, 0, text.length(), bytes);
    }
}
