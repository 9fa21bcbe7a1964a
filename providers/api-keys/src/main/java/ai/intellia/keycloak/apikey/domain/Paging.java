package ai.intellia.keycloak.apikey.domain;

/** {@code ?first=&max=} as the contract defines it: first ≥ 0, max ≥ 1 (default 100, capped at 1000). */
public record Paging(int first, int max) {

    public static final int DEFAULT_MAX = 100;
    public static final int MAX_MAX = 1000;

    public static Paging parse(String first, String max) {
        int from = first == null ? 0 : number("first", first, 0);
        int size = max == null ? DEFAULT_MAX : Math.min(number("max", max, 1), MAX_MAX);
        return new Paging(from, size);
    }

    private static int number(String name, String text, int minimum) {
        int value;
        try {
            if (!text.strip().matches("[+-]?[0-9]+")) {
                throw new NumberFormatException(); // Integer.parseInt alone also takes non-ASCII digits such as "١"
            }
            value = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            if (text.strip().matches("\\d+")) {
                return Integer.MAX_VALUE; // a huge but well-formed number: cap it rather than refuse
            }
            throw ApiError.badRequest(name + " must be an integer ≥ " + minimum + ".");
        }
        if (value < minimum) {
            throw ApiError.badRequest(name + " must be an integer ≥ " + minimum + ".");
        }
        return value;
    }
}
