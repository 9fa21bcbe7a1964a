package ai.intellia.keycloak.bench;

import ai.intellia.keycloak.it.harness.AdminClient;
import ai.intellia.keycloak.it.harness.DistributionKeycloak;
import ai.intellia.keycloak.it.harness.Http;
import ai.intellia.keycloak.it.harness.Postgres;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static ai.intellia.keycloak.bench.Fixture.REALM;
import static ai.intellia.keycloak.bench.Fixture.RS_CLIENT;
import static ai.intellia.keycloak.bench.Fixture.RS_SECRET;

/**
 * The load benchmark (bench/run.sh). Starts Keycloak with our providers through the integration
 * tests' harness, prepares keys and users through the REST APIs, and measures, in interleaved
 * rounds of closed-loop keep-alive load:
 * R0 (discovery document), CC (client credentials), KI (Keycloak's introspection of an access
 * token), AKI (our key introspection), AKG (AKI of a key with guard rails), AKX (key → JWT
 * exchange), AR (assume-role, existing user), ARN (assume-role creating a user); then AKI with
 * 1 key against AKI with N keys in M organizations (setup time, heap per 10,000 keys), and the
 * SQL statements of a warm AKI run.
 */
public final class LoadBench {

    private static final String TOKEN_PATH = "/realms/" + REALM + "/protocol/openid-connect/token";
    private static final String INTROSPECT_PATH = TOKEN_PATH + "/introspect";
    private static final String FORM = "Content-Type: application/x-www-form-urlencoded";
    private static final String CLIENT_AUTH = "&client_id=" + RS_CLIENT + "&client_secret=" + RS_SECRET;
    /** The end client's address AKG sends: inside the guarded key's allow-list. */
    private static final String AKG_CLIENT_IP = "127.0.0.1";
    /** The realm stores these events (its configuration): an INSERT per request is the event store, not the key path. */
    private static final Set<String> EVENT_STORE = Set.of("INSERT EVENT_ENTITY");

    private final Options o;
    private final Map<String, Object> report = new LinkedHashMap<>();
    private final List<String> checks = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final Set<String> otherKeycloaks = new TreeSet<>();
    private final Map<String, Map<String, Double>> cacheActivity = new LinkedHashMap<>();
    private double maxLoadBefore;
    private DistributionKeycloak server;
    private Probe probe;
    private String hostPort;
    /** Introspection of a made-up key (valid CRC, unknown holder): counted in the SQL phase only. */
    private Load.Scenario forged;
    private String host;
    private int port;

    private LoadBench(Options options) {
        this.o = options;
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        int status = new LoadBench(options).run();
        System.exit(status);
    }

    // ------------------------------------------------------------------------------------------

    private int run() throws Exception {
        Files.createDirectories(o.out);
        Instant began = Instant.now();
        noteOtherKeycloaks("start");
        maxLoadBefore = Probe.loadAverage();
        report.put("mode", o.smoke ? "smoke" : "full");
        report.put("command", o.command);
        report.put("options", o.describe());
        report.put("machine", machine());
        report.put("keycloakHeap", System.getenv().getOrDefault("JAVA_OPTS_KC_HEAP", "kc.sh default (-Xms64m -Xmx512m)"));
        say("Machine: " + report.get("machine"));

        if (o.smoke) {
            // One server for everything: the SQL proof reads the same log (SQL logging costs a little everywhere).
            System.setProperty("keycloak.start.options", sqlLogOptions());
        }
        long t0 = System.nanoTime();
        server = DistributionKeycloak.start();
        say(String.format("Keycloak up in %.0f s (%s, log %s)", secondsSince(t0), server.baseUrl(), server.log()));
        try {
            attach();
            AdminClient admin = new AdminClient(server);
            Fixture fixture = new Fixture(admin);
            t0 = System.nanoTime();
            fixture.prepareBase();
            say(String.format("Base fixture in %.1f s", secondsSince(t0)));
            Map<String, Load.Scenario> scenarios = scenarios(fixture);

            if (o.phases.contains("main")) {
                mainScenarios(scenarios);
                if (o.jfr) {
                    profile(scenarios.values().stream().filter(s -> o.scenarios == null || o.scenarios.contains(s.name())).toList(), "main");
                }
            }
            saveProgress();
            if (o.phases.contains("scale")) {
                scale(fixture, scenarios.get("AKI"));
            }
            saveProgress();
            if (o.phases.contains("org")) {
                oneOrganization(fixture);
            }
            saveProgress();
            if (o.phases.contains("sql")) {
                sqlProof(scenarios);
            }
        } finally {
            noteOtherKeycloaks("end");
            server.close();
        }
        saveProgress();
        if (o.phases.contains("postgres")) {
            mainOnPostgres();
        }
        report.put("otherKeycloakProcessesSeen", new ArrayList<>(otherKeycloaks));
        report.put("loadAverageBeforeStart", maxLoadBefore);
        report.put("quiet", otherKeycloaks.isEmpty());
        report.put("startedAt", began.toString());
        report.put("minutes", Math.round(Duration.between(began, Instant.now()).toSeconds() / 6.0) / 10.0);
        writeOutputs();
        checks.forEach(c -> say("check " + c));
        String closing = (o.smoke ? "smoke" : "bench") + ": " + (checks.size() - failures.size()) + " passed, " + failures.size() + " failed";
        System.out.println(closing);
        return failures.isEmpty() ? 0 : 1;
    }

    /** results.json as it stands, so that a failure in a later phase loses nothing measured. */
    private void saveProgress() throws IOException {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(o.out.resolve("results.json").toFile(), report);
    }

    private void attach() {
        probe = Probe.find(server.managementUrl());
        URI base = URI.create(server.baseUrl());
        host = base.getHost();
        port = base.getPort();
        hostPort = host + ":" + port;
    }

    // --- scenarios -----------------------------------------------------------------------------

    private Map<String, Load.Scenario> scenarios(Fixture f) {
        Map<String, Load.Scenario> s = new LinkedHashMap<>();
        byte[] r0 = RawHttp.request("GET", hostPort, "/realms/" + REALM + "/.well-known/openid-configuration", null);
        s.put("R0", new Load.Scenario("R0", "GET .well-known/openid-configuration", (w, n) -> r0, 200, "\"issuer\""));
        byte[] cc = form(TOKEN_PATH, "grant_type=client_credentials" + CLIENT_AUTH);
        s.put("CC", new Load.Scenario("CC", "client-credentials grant (intellia-api)", (w, n) -> cc, 200, "\"access_token\""));
        // KI: a login token, renewed before every run (access tokens live 5 minutes in the shipped realm).
        byte[][] ki = new byte[1][];
        Runnable renew = () -> ki[0] = form(INTROSPECT_PATH, "token=" + Http.encode(f.loginToken()) + "&token_type_hint=access_token" + CLIENT_AUTH);
        s.put("KI", new Load.Scenario("KI", "Keycloak introspection of a login access token (password grant, aud intellia-api)",
                (w, n) -> ki[0], 200, "\"active\":true", renew));
        byte[] kia = form(INTROSPECT_PATH, "token=" + Http.encode(f.assumeRoleToken) + "&token_type_hint=access_token" + CLIENT_AUTH);
        s.put("KIA", new Load.Scenario("KIA", "Keycloak introspection of an assume-role token (transient session; not in a ratio)",
                (w, n) -> kia, 200, "\"active\":true"));
        byte[] aki = akiRequest(f.key);
        byte[] akf = akiRequest(madeUp(f.key));
        forged = new Load.Scenario("AKF", "introspection of a made-up key: valid CRC, unknown holder id", (w, n) -> akf, 200, "\"active\":false");
        s.put("AKI", new Load.Scenario("AKI", "our key introspection (token_type_hint=api_key)", (w, n) -> aki, 200, "\"active\":true"));
        // AKG: AKI of a key with guard rails (contract 8), the allow-list checked against client_ip.
        byte[] akg = form(INTROSPECT_PATH, "token=" + f.guardedKey + "&token_type_hint=api_key&client_ip=" + AKG_CLIENT_IP + CLIENT_AUTH);
        s.put("AKG", new Load.Scenario("AKG", "AKI of a key with guard rails (allowedCidrs " + String.join(", ", Fixture.GUARDED_CIDRS)
                + ", introspect limit " + Fixture.GUARDED_INTROSPECT_LIMIT + "), client_ip=" + AKG_CLIENT_IP, (w, n) -> akg, 200, "\"active\":true"));
        byte[] akx = form(TOKEN_PATH, "grant_type=" + Http.encode("urn:ietf:params:oauth:grant-type:token-exchange")
                + "&subject_token=" + f.key + "&subject_token_type=" + Http.encode("urn:intellia:params:oauth:token-type:api-key")
                + CLIENT_AUTH);
        s.put("AKX", new Load.Scenario("AKX", "key → JWT token exchange (RFC 8693)", (w, n) -> akx, 200, "\"access_token\""));
        String arPath = "/realms/" + REALM + "/orgs/" + f.orgId + "/assume-role";
        byte[][] ar = new byte[Fixture.AR_USERS][];
        for (int i = 0; i < ar.length; i++) {
            ar[i] = json(arPath, f.key, Fixture.arBody("bench-ar-" + i));
        }
        s.put("AR", new Load.Scenario("AR", "assume-role, existing end user (" + Fixture.AR_USERS + " rotating)",
                (w, n) -> ar[(int) ((n * 7 + w) % ar.length)], 200, "\"token\""));
        String tag = Long.toString(System.currentTimeMillis(), 36);
        AtomicLong fresh = new AtomicLong();
        s.put("ARN", new Load.Scenario("ARN", "assume-role creating a new end user each call",
                (w, n) -> json(arPath, f.key, Fixture.arBody("bench-new-" + tag + "-" + fresh.incrementAndGet())), 200, "\"token\""));
        return s;
    }

    /**
     * The key with another holder id and a valid CRC: what anyone can make up (the CRC is public).
     * Contract 3 says it is refused without touching the database.
     */
    private static String madeUp(String key) {
        String base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        java.util.Random random = new java.util.Random();
        StringBuilder holder = new StringBuilder("0"); // a leading 0 keeps the 22 digits within 128 bits
        for (int i = 1; i < 22; i++) {
            holder.append(base62.charAt(random.nextInt(62)));
        }
        String body = key.substring(0, 25) + holder + key.substring(47, key.length() - 6);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(body.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        long value = crc.getValue();
        char[] out = new char[6];
        for (int i = 5; i >= 0; i--) {
            out[i] = base62.charAt((int) (value % 62));
            value /= 62;
        }
        return body + new String(out);
    }

    private byte[] akiRequest(String key) {
        return form(INTROSPECT_PATH, "token=" + key + "&token_type_hint=api_key" + CLIENT_AUTH);
    }

    private byte[] form(String path, String body) {
        return RawHttp.request("POST", hostPort, path, body, FORM);
    }

    private byte[] json(String path, String bearer, String body) {
        return RawHttp.request("POST", hostPort, path, body, "Content-Type: application/json", "Authorization: Bearer " + bearer);
    }

    // --- phase 1: the main scenarios, interleaved ---------------------------------------------

    private void mainScenarios(Map<String, Load.Scenario> scenarios) {
        List<Load.Scenario> list = new ArrayList<>(scenarios.values());
        if (o.scenarios != null) { // a diagnostic run of a few scenarios (e.g. --scenarios AKI,AKG), not a full result
            list.removeIf(s -> !o.scenarios.contains(s.name()));
        }
        if (o.warmupSeconds > 0) {
            say("Warm-up: " + o.warmupSeconds + " s per scenario");
        }
        for (Load.Scenario s : o.warmupSeconds > 0 ? list : List.<Load.Scenario>of()) {
            Load.Run r = Load.run(s, host, port, o.connections, o.warmupSeconds * 1000L, 1000, probe::cpuTicks);
            checkRun("warm-up " + s.name(), r);
        }
        Map<String, List<Load.Run>> runs = rounds(list, o.rounds, o.seconds);
        Map<String, Object> table = summaries(list, runs);
        report.put("scenarios", table);
        Map<String, Object> ratios = new LinkedHashMap<>();
        ratios.put("AKI/R0", ratio(table, "AKI", "R0", 1.0)); // targets: issue 12
        ratios.put("AKI/KI", ratio(table, "AKI", "KI", 3.0));
        ratios.put("AKG/AKI", ratio(table, "AKG", "AKI", 0.9)); // what guard rails cost at introspection
        ratios.put("AKX/CC", ratio(table, "AKX", "CC", 1.0));
        ratios.put("AR/CC", ratio(table, "AR", "CC", 1.0));
        ratios.put("ARN/CC", ratio(table, "ARN", "CC", 0.35));
        report.put("ratios", ratios);
        if (o.smoke && runs.containsKey("AKG")) {
            Load.Run akg = merge(runs.get("AKG"));
            check("AKG: a guarded key introspects \"active\":true (client_ip in allowedCidrs, limit not reached)",
                    akg.ok() > 0 && akg.errors() == 0 && akg.warmupErrors() == 0,
                    akg.ok() + " active, " + (akg.errors() + akg.warmupErrors()) + " not"
                            + (akg.firstError() == null ? "" : ", first: " + akg.firstError()));
        } else if (o.scenarios == null) {
            report.put("whatIfEventsNotStored", whatIfNoEvents(scenarios));
        }
        noteOtherKeycloaks("after main scenarios");
    }

    /**
     * The main scenarios again on PostgreSQL (what users run): a throw-away PostgreSQL from the
     * installed binaries on loopback, a fresh Keycloak on it, the same fixture and rounds.
     */
    private void mainOnPostgres() throws IOException {
        Path dir = Path.of(System.getProperty("work.dir", "bench/target")).resolve("postgres-bench");
        say("PostgreSQL: the main scenarios on a fresh PostgreSQL in " + dir);
        try (Postgres db = Postgres.start(dir)) {
            long t0 = System.nanoTime();
            server = DistributionKeycloak.startOnPostgres(db);
            try {
                say(String.format("Keycloak on PostgreSQL up in %.0f s (%s)", secondsSince(t0), server.baseUrl()));
                attach();
                Fixture fixture = new Fixture(new AdminClient(server));
                fixture.prepareBase();
                Map<String, Load.Scenario> scenarios = scenarios(fixture);
                List<Load.Scenario> list = new ArrayList<>(scenarios.values());
                if (o.scenarios != null) {
                    list.removeIf(s -> !o.scenarios.contains(s.name()));
                }
                for (Load.Scenario s : o.warmupSeconds > 0 ? list : List.<Load.Scenario>of()) {
                    checkRun("PostgreSQL warm-up " + s.name(), Load.run(s, host, port, o.connections, o.warmupSeconds * 1000L, 1000, probe::cpuTicks));
                }
                Map<String, Object> table = summaries(list, rounds(list, o.rounds, o.seconds));
                Map<String, Object> pg = new LinkedHashMap<>();
                pg.put("scenarios", table);
                Map<String, Object> ratios = new LinkedHashMap<>();
                ratios.put("AKI/R0", ratio(table, "AKI", "R0", 1.0));
                ratios.put("AKX/CC", ratio(table, "AKX", "CC", 1.0));
                ratios.put("AR/CC", ratio(table, "AR", "CC", 1.0));
                ratios.put("ARN/CC", ratio(table, "ARN", "CC", 0.35));
                pg.put("ratios", ratios);
                report.put("postgres", pg);
                noteOtherKeycloaks("after PostgreSQL");
            } finally {
                server.close();
            }
        }
    }

    /**
     * Diagnostic, not a result: one more round of R0, KI and AKI with the realm NOT storing
     * INTROSPECT_TOKEN events (the shipped realm stores them, and the contract wants key use
     * recorded), to tell the event store's share of the introspection cost. Restored afterwards.
     */
    private Map<String, Object> whatIfNoEvents(Map<String, Load.Scenario> scenarios) {
        AdminClient admin = new AdminClient(server);
        String url = admin.url(REALM, "/events/config");
        com.fasterxml.jackson.databind.JsonNode config = Fixture.expect(200, Http.get(url, admin.token())).json();
        com.fasterxml.jackson.databind.node.ObjectNode changed = config.deepCopy();
        com.fasterxml.jackson.databind.node.ArrayNode types = changed.putArray("enabledEventTypes");
        config.path("enabledEventTypes").forEach(t -> {
            if (!t.asText().startsWith("INTROSPECT_TOKEN")) {
                types.add(t);
            }
        });
        say("What-if: the realm stops storing INTROSPECT_TOKEN events for one round of R0, KI, AKI");
        Fixture.expect(204, Http.putJson(url, admin.token(), changed));
        Map<String, Object> m = new LinkedHashMap<>();
        try {
            List<Load.Scenario> list = List.of(scenarios.get("R0"), scenarios.get("KI"), scenarios.get("AKI"));
            Map<String, List<Load.Run>> runs = rounds(list, 1, o.seconds);
            for (Load.Scenario s : list) {
                Load.Run r = runs.get(s.name()).get(0);
                m.put(s.name(), Map.of("rps", round1(r.rps()), "serverCpuMsPerRequest", round2(r.serverCpuMsPerRequest()),
                        "errors", r.errors()));
            }
            double aki = runs.get("AKI").get(0).rps();
            m.put("AKI/R0", round2(aki / runs.get("R0").get(0).rps()));
            m.put("AKI/KI", round2(aki / runs.get("KI").get(0).rps()));
        } finally {
            Fixture.expect(204, Http.putJson(url, admin.token(), config));
        }
        return m;
    }

    /** {@code rounds} rounds; each round runs every scenario once, starting one further along each time. */
    private Map<String, List<Load.Run>> rounds(List<Load.Scenario> list, int rounds, int seconds) {
        Map<String, List<Load.Run>> runs = new LinkedHashMap<>();
        list.forEach(s -> runs.put(s.name(), new ArrayList<>()));
        list.forEach(s -> cacheActivity.put(s.name(), new java.util.TreeMap<>()));
        for (int round = 0; round < rounds; round++) {
            StringBuilder line = new StringBuilder("Round " + (round + 1) + "/" + rounds + ":");
            for (int i = 0; i < list.size(); i++) {
                Load.Scenario s = list.get((i + round) % list.size());
                Map<String, Double> before = probe.metrics("vendor_statistics");
                Load.Run r = Load.run(s, host, port, o.connections, 1000, seconds * 1000L, probe::cpuTicks);
                cacheActivity(Probe.delta(before, probe.metrics("vendor_statistics")))
                        .forEach((k, v) -> cacheActivity.get(s.name()).merge(k, v, Double::sum));
                runs.get(s.name()).add(r);
                line.append(String.format(" %s %.0f/s%s", s.name(), r.rps(), r.errors() > 0 ? " (" + r.errors() + " err)" : ""));
            }
            say(line.toString());
        }
        return runs;
    }

    private Map<String, Object> summary(Load.Scenario s, List<Load.Run> runs) {
        Load.Run all = merge(runs);
        double[] rps = runs.stream().mapToDouble(Load.Run::rps).sorted().toArray();
        double[] cpu = runs.stream().mapToDouble(Load.Run::serverCpuMsPerRequest).sorted().toArray();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("what", s.what());
        m.put("medianRps", round1(median(rps)));
        m.put("rpsPerRound", Arrays.stream(rps).map(LoadBench::round1).boxed().collect(Collectors.toList()));
        m.put("p50ms", round2(Load.percentileMillis(all.latenciesNanos(), 50)));
        m.put("p99ms", round2(Load.percentileMillis(all.latenciesNanos(), 99)));
        m.put("requests", all.ok());
        m.put("errors", all.errors() + all.warmupErrors());
        m.put("serverCpuMsPerRequest", round2(median(cpu)));
        Map<String, Double> cache = cacheActivity.get(s.name());
        if (cache != null && all.ok() > 0) {
            // per request, so that scenarios compare (includes the 1 s before each measured window)
            Map<String, Double> perRequest = new LinkedHashMap<>();
            cache.forEach((k, v) -> perRequest.put(k, Math.round(v / all.ok() * 1000) / 1000.0));
            m.put("cacheOpsPerRequest", perRequest);
        }
        if (all.firstError() != null) {
            m.put("firstError", all.firstError());
        }
        return m;
    }

    private static Load.Run merge(List<Load.Run> runs) {
        long ok = 0;
        long errors = 0;
        long warm = 0;
        double seconds = 0;
        long cpu = 0;
        String first = null;
        int n = 0;
        for (Load.Run r : runs) {
            ok += r.ok();
            errors += r.errors();
            warm += r.warmupErrors();
            seconds += r.seconds();
            cpu += r.serverCpuTicks();
            n += r.latenciesNanos().length;
            first = first != null ? first : r.firstError();
        }
        long[] all = new long[n];
        int at = 0;
        for (Load.Run r : runs) {
            System.arraycopy(r.latenciesNanos(), 0, all, at, r.latenciesNanos().length);
            at += r.latenciesNanos().length;
        }
        Arrays.sort(all);
        return new Load.Run(runs.isEmpty() ? "?" : runs.get(0).scenario(), ok, errors, warm, seconds, all, cpu, first);
    }

    /** Each scenario's summary over its rounds, checking that every answer was a good one. */
    private Map<String, Object> summaries(List<Load.Scenario> list, Map<String, List<Load.Run>> runs) {
        Map<String, Object> table = new LinkedHashMap<>();
        for (Load.Scenario s : list) {
            table.put(s.name(), summary(s, runs.get(s.name())));
            Load.Run total = merge(runs.get(s.name()));
            check(s.name() + ": answers all good", total.ok() > 0 && total.errors() == 0 && total.warmupErrors() == 0,
                    total.ok() + " good, " + total.errors() + " errors" + (total.firstError() == null ? "" : ", first: " + total.firstError()));
        }
        return table;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> ratio(Map<String, Object> table, String a, String b, double target) {
        Map<String, Object> ta = (Map<String, Object>) table.get(a);
        Map<String, Object> tb = (Map<String, Object>) table.get(b);
        if (ta == null || tb == null) {
            return Map.of("value", "not measured (--scenarios)", "target", target, "met", false);
        }
        double va = (double) ta.get("medianRps");
        double vb = (double) tb.get("medianRps");
        Map<String, Object> m = new LinkedHashMap<>();
        double r = vb == 0 ? Double.NaN : va / vb;
        m.put("value", round2(r));
        // Two readings that a slow moment of the shared machine disturbs less: the median of the
        // ratios within each round (both ran within a minute of each other), and server CPU.
        List<Double> ra = (List<Double>) ta.get("rpsPerRound");
        List<Double> rb = (List<Double>) tb.get("rpsPerRound");
        if (ra != null && rb != null && ra.size() == rb.size() && !ra.isEmpty()) {
            double[] pairs = new double[ra.size()];
            for (int i = 0; i < pairs.length; i++) {
                pairs[i] = rb.get(i) == 0 ? Double.NaN : ra.get(i) / rb.get(i);
            }
            Arrays.sort(pairs);
            int n = pairs.length;
            m.put("perRoundMedian", round2(n % 2 == 1 ? pairs[n / 2] : (pairs[n / 2 - 1] + pairs[n / 2]) / 2));
        }
        Object ca = ta.get("serverCpuMsPerRequest");
        Object cb = tb.get("serverCpuMsPerRequest");
        if (ca instanceof Double x && cb instanceof Double y && x > 0) {
            m.put("cpuRatio", round2(y / x));
        }
        m.put("target", target);
        m.put("met", r >= target);
        return m;
    }

    // --- phase 2: 1 key vs N keys -------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private void scale(Fixture fixture, Load.Scenario akiOne) throws IOException {
        int orgs = o.orgs;
        int perOrg = Math.max(1, o.keys / orgs);
        int keyCount = orgs * perOrg;
        Map<String, Object> scale = new LinkedHashMap<>();
        scale.put("organizations", orgs);
        scale.put("keysPerOrganization", perOrg);
        scale.put("keys", keyCount);
        scale.put("setupParallelism", o.setupParallel);
        say("Scale: " + keyCount + " keys in " + orgs + " organizations (" + o.setupParallel + " REST calls in parallel)");

        long heapBefore = heap("before the scale setup");
        String tag = Long.toString(System.currentTimeMillis(), 36);
        long t0 = System.nanoTime();
        List<Fixture.ScaleOrg> created = fixture.createOrganizations(tag, orgs, o.setupParallel);
        double orgSeconds = secondsSince(t0);
        say(String.format("  %d organizations with an Owner each in %.1f s", orgs, orgSeconds));
        long heapOrgs = heap("after the organizations");
        Map<String, long[]> histogramOrgs = o.smoke ? Map.of() : probe.classHistogram();
        if (o.jfr) {
            Files.createDirectories(o.out.resolve("jfr"));
            probe.jfrStart("keysetup", o.out.resolve("jfr").toAbsolutePath().resolve("key-setup.jfr"));
        }
        t0 = System.nanoTime();
        List<String> keys = fixture.createKeys(created, perOrg, o.setupParallel);
        double keySeconds = secondsSince(t0);
        long keysCreatedAt = System.nanoTime();
        if (o.jfr) {
            probe.jfrStop("keysetup");
            try {
                Files.writeString(o.out.resolve("jfr/key-setup.txt"), JfrSummary.summarize(o.out.resolve("jfr/key-setup.jfr"), 25,
                        List.of("ai.intellia.", "org.keycloak.")));
            } catch (IOException | RuntimeException e) {
                say("  could not summarize the key setup recording: " + e);
            }
        }
        say(String.format("  %d keys in %.1f s (%.0f keys/s)", keys.size(), keySeconds, keys.size() / keySeconds));
        t0 = System.nanoTime();
        long[] warm = warmEveryKey(keys);
        double warmSeconds = secondsSince(t0);
        say(String.format("  every key introspected once in %.1f s (%d errors)", warmSeconds, warm[1]));
        check("scale: every key introspects active", warm[1] == 0 && warm[0] == keys.size(), warm[0] + " active, " + warm[1] + " not");
        long heapKeys = heap("after creating and introspecting every key");
        scale.put("setupSecondsOrganizations", round1(orgSeconds));
        scale.put("setupSecondsKeys", round1(keySeconds));
        scale.put("keysPerSecondCreated", round1(keys.size() / keySeconds));
        scale.put("warmPassSeconds", round1(warmSeconds));
        Map<String, Object> heapMiB = new LinkedHashMap<>();
        heapMiB.put("beforeSetup", mib(heapBefore));
        heapMiB.put("afterOrganizations", mib(heapOrgs));
        heapMiB.put("afterKeysWarm", mib(heapKeys));
        scale.put("heapUsedMiB", heapMiB);
        scale.put("heapMiBPer10kKeys", round2(mib(heapKeys - heapOrgs) / (keyCount / 10_000.0)));
        scale.put("heapMiBPer1kOrganizations", round2(mib(heapOrgs - heapBefore) / (orgs / 1000.0)));

        String[] allKeys = keys.toArray(String[]::new);
        String[] oneKeyPerOrg = new String[Math.min(orgs, 1000)];
        for (int i = 0; i < oneKeyPerOrg.length; i++) {
            oneKeyPerOrg[i] = allKeys[i * perOrg];
        }
        List<Load.Scenario> list = List.of(
                new Load.Scenario("AKI@1", "AKI, always the same key", akiOne.source(), 200, "\"active\":true"),
                new Load.Scenario("AKI@N", "AKI, a key drawn at random among all " + keyCount,
                        (w, n) -> akiRequest(allKeys[ThreadLocalRandom.current().nextInt(allKeys.length)]), 200, "\"active\":true"),
                new Load.Scenario("AKI@N/hot", "AKI, " + keyCount + " keys stored, " + oneKeyPerOrg.length + " in use (one per organization)",
                        (w, n) -> akiRequest(oneKeyPerOrg[ThreadLocalRandom.current().nextInt(oneKeyPerOrg.length)]), 200, "\"active\":true"));
        Map<String, List<Load.Run>> runs = rounds(list, o.scaleRounds, o.seconds);
        Map<String, Object> table = summaries(list, runs);
        scale.put("scenarios", table);
        // The embedded H2 database keeps every CLOB it read (credential data) referenced for its LOB
        // timeout (5 minutes): measured again once those are gone, for what the keys themselves take.
        long settle = keysCreatedAt + 320_000_000_000L - System.nanoTime();
        if (settle > 0 && !o.smoke && keyCount >= 10_000) {
            say(String.format("  waiting %.0f s for H2's 5-minute LOB timeout before measuring the heap again", settle / 1e9));
            Load.sleepUntil(System.nanoTime() + settle);
        }
        long heapSettled = heap("after the scale rounds (H2 LOB references released)");
        if (!o.smoke) {
            scale.put("heapGrowthByClass", Probe.histogramGrowth(histogramOrgs, probe.classHistogram(), 12));
        }
        scale.put("heapMiBPer10kKeysRightAfterSetup", scale.get("heapMiBPer10kKeys"));
        scale.put("heapMiBPer10kKeys", round2(mib(heapSettled - heapOrgs) / (keyCount / 10_000.0)));
        ((Map<String, Object>) scale.get("heapUsedMiB")).put("afterScaleRounds", mib(heapSettled));
        scale.put("AKI@N/AKI@1", ratio(table, "AKI@N", "AKI@1", 0.95));
        scale.put("AKI@N/hot/AKI@1", ratio(table, "AKI@N/hot", "AKI@1", 0.9));
        report.put("scale", scale);
        if (o.jfr) {
            profile(list, "scale");
        }
        noteOtherKeycloaks("after scale");
    }

    // --- phase: one organization with many keys (issue 12) ------------------------------------

    /**
     * Keys of ONE organization: how creating a key, and verifying keys of that organization while
     * its keys are written, cost as the organization grows. Keys are created in blocks (rate per
     * block) until {@code --org-keys} or the time budget; then AKI of a key of that organization
     * against a key of a one-key organization, idle and under {@code --org-writes} writes/s.
     */
    @SuppressWarnings("unchecked")
    private void oneOrganization(Fixture fixture) {
        AdminClient admin = new AdminClient(server);
        Map<String, Object> org = new LinkedHashMap<>();
        // the default cap (10,000 working keys) would stop the phase: raised for the bench realm only
        Fixture.expect(200, Http.putJson(admin.url(REALM, "/api-keys/settings"), admin.token(),
                Map.of("maxKeysPerOrganization", Math.max(10_000, o.orgKeys + 1000))));
        String tag = Long.toString(System.currentTimeMillis(), 36);
        Fixture.ScaleOrg big = fixture.createOrganizations(tag + "big", 1, 1).get(0);
        Fixture.ScaleOrg small = fixture.createOrganizations(tag + "one", 1, 1).get(0);
        java.util.function.Supplier<String> bigOwner = fixture.ownerTokens(big.ownerUsername());
        Map<String, Object> permissions = Map.of("agents", Map.of("read", true));
        String oneKey = fixture.createKey(small.id(), fixture.ownerTokens(small.ownerUsername()).get(), "bench one-key org", permissions);
        say("One organization: up to " + o.orgKeys + " keys in blocks of " + o.orgBlock + " (" + o.setupParallel
                + " in parallel, budget " + o.orgBudgetSeconds + " s)");
        long heapBefore = heap("before the organization's keys");
        List<Map<String, Object>> blocks = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        long started = System.nanoTime();
        while (keys.size() < o.orgKeys && secondsSince(started) < o.orgBudgetSeconds) {
            int n = Math.min(o.orgBlock, o.orgKeys - keys.size());
            int from = keys.size();
            long t0 = System.nanoTime();
            keys.addAll(Fixture.parallel(n, o.setupParallel, i -> fixture.createKey(big.id(), bigOwner.get(), "bench big " + (from + i), permissions)));
            double seconds = secondsSince(t0);
            Map<String, Object> block = new LinkedHashMap<>();
            block.put("keys", from + "–" + keys.size());
            block.put("seconds", round1(seconds));
            block.put("keysPerSecond", round1(n / seconds));
            block.put("msPerKey", round2(seconds * 1000 / n));
            blocks.add(block);
            say(String.format("  keys %d–%d: %.1f s (%.1f keys/s)", from, keys.size(), seconds, n / seconds));
        }
        long heapAfter = heap("after the organization's keys");
        org.put("keysCreated", keys.size());
        org.put("keysWanted", o.orgKeys);
        org.put("budgetSeconds", o.orgBudgetSeconds);
        org.put("creationByBlock", blocks);
        double first = (double) blocks.get(0).get("msPerKey");
        double last = (double) blocks.get(blocks.size() - 1).get("msPerKey");
        org.put("createTimeLastBlock/firstBlock", Map.of("value", round2(last / first), "target", "≤ 1.5", "met", last / first <= 1.5));
        org.put("heapMiBPer10kKeys", round2(mib(heapAfter - heapBefore) / (keys.size() / 10_000.0)));
        check("one organization: every key created (" + o.orgKeys + " wanted)", keys.size() == o.orgKeys || !o.smoke,
                keys.size() + " created in " + round1(secondsSince(started)) + " s");

        String bigKey = keys.get(0);
        List<Load.Scenario> list = List.of(
                new Load.Scenario("AKI@org1", "AKI of the key of a one-key organization", (w, i) -> akiRequest(oneKey), 200, "\"active\":true"),
                new Load.Scenario("AKI@orgN", "AKI of a key of the organization with " + keys.size() + " keys", (w, i) -> akiRequest(bigKey),
                        200, "\"active\":true"));
        Load.run(list.get(1), host, port, o.connections, 1000, 500, probe::cpuTicks); // warm
        Map<String, List<Load.Run>> idle = rounds(list, o.scaleRounds, o.seconds);
        Map<String, Object> table = summaries(list, idle);
        org.put("scenarios", table);
        org.put("AKI@orgN/AKI@org1", ratio(table, "AKI@orgN", "AKI@org1", 0.95));
        org.put("lists", listLatencies(fixture, keys, big, bigOwner));

        Load.Scenario underWrites = new Load.Scenario("AKI@orgN+writes", "AKI@orgN while " + o.orgWritesPerSecond
                + " writes/s (create, revoke) go to the same organization", list.get(1).source(), 200, "\"active\":true");
        List<Load.Run> busy = new ArrayList<>();
        int writes;
        long[] writeLatencies;
        String writeError;
        try (WriteChurn churn = new WriteChurn(fixture, big.id(), bigOwner, o.orgWritesPerSecond).start()) {
            for (int round = 0; round < o.scaleRounds; round++) {
                busy.add(Load.run(underWrites, host, port, o.connections, 1000, o.seconds * 1000L, probe::cpuTicks));
            }
            churn.close();
            writes = churn.writes();
            writeLatencies = churn.sortedLatencies();
            writeError = churn.firstError();
        }
        Map<String, Object> busySummary = summary(underWrites, busy);
        table.put(underWrites.name(), busySummary);
        check("one organization: AKI answers all good while its keys are written", merge(busy).errors() == 0 && merge(busy).ok() > 0,
                merge(busy).ok() + " good, " + merge(busy).errors() + " errors");
        check("one organization: every write succeeded", writeError == null && writes > 0, writes + " writes" + (writeError == null ? "" : ", first error: " + writeError));
        Map<String, Object> churnReport = new LinkedHashMap<>();
        churnReport.put("writesPerSecondWanted", o.orgWritesPerSecond);
        churnReport.put("writes", writes);
        churnReport.put("writeP50ms", round2(Load.percentileMillis(writeLatencies, 50)));
        churnReport.put("writeP99ms", round2(Load.percentileMillis(writeLatencies, 99)));
        org.put("writes", churnReport);
        double p99Idle = (double) ((Map<String, Object>) table.get("AKI@orgN")).get("p99ms");
        double p99Busy = (double) busySummary.get("p99ms");
        org.put("p99UnderWrites/p99Idle", Map.of("value", round2(p99Busy / p99Idle), "target", "≤ 2", "met", p99Busy / p99Idle <= 2));
        report.put("oneOrganization", org);
        say(String.format("  AKI@orgN p99 %.2f ms idle, %.2f ms under %d writes (write p99 %.0f ms)", p99Idle, p99Busy, writes,
                Load.percentileMillis(writeLatencies, 99)));
        noteOtherKeycloaks("after one organization");
    }

    /**
     * A first page (20 keys, with their last uses and counts) of the big organization against the
     * same page of an organization with just those 20 keys, once every key has a stored use (each
     * key introspected, then a flush waited for: the default flush interval is 60 s; smoke mode
     * lists the unwritten uses instead). Sequential lists after 10 unmeasured ones, p50 and p99 each.
     */
    private Map<String, Object> listLatencies(Fixture fixture, List<String> keys, Fixture.ScaleOrg big,
                                              java.util.function.Supplier<String> bigOwner) {
        String tag = Long.toString(System.nanoTime(), 36);
        Fixture.ScaleOrg page = fixture.createOrganizations(tag + "page", 1, 1).get(0);
        String pageOwner = fixture.ownerTokens(page.ownerUsername()).get();
        List<String> pageKeys = Fixture.parallel(20, o.setupParallel, i -> fixture.createKey(page.id(), pageOwner, "bench page " + i,
                Map.of("agents", Map.of("read", true))));
        long[] warmed = warmEveryKey(keys);
        long[] pageWarmed = warmEveryKey(pageKeys);
        check("one organization: every key introspected before the lists", warmed[0] == keys.size() && pageWarmed[0] == 20,
                warmed[0] + " + " + pageWarmed[0] + " active, " + (warmed[1] + pageWarmed[1]) + " other");
        if (!o.smoke) {
            say("  waiting 65 s for the last-use flush, so that the lists read every key's stored use");
            sleep(65_000);
        }
        Map<String, Object> lists = new LinkedHashMap<>();
        int samples = o.smoke ? 5 : 50;
        listTimes(fixture, big.id(), bigOwner, 10, 20);
        listTimes(fixture, page.id(), () -> pageOwner, 10, 20);
        long[] bigLists = listTimes(fixture, big.id(), bigOwner, samples, 20);
        long[] pageLists = listTimes(fixture, page.id(), () -> pageOwner, samples, 20);
        lists.put("samples", samples);
        lists.put("orgN_p50ms", round2(Load.percentileMillis(bigLists, 50)));
        lists.put("orgN_p99ms", round2(Load.percentileMillis(bigLists, 99)));
        lists.put("org20_p50ms", round2(Load.percentileMillis(pageLists, 50)));
        lists.put("org20_p99ms", round2(Load.percentileMillis(pageLists, 99)));
        double ratio = Load.percentileMillis(bigLists, 50) / Load.percentileMillis(pageLists, 50);
        lists.put("listP50@orgN/listP50@org20", Map.of("value", round2(ratio), "target", "O(page): ≈ 1, reported"));
        say(String.format("  first page of 20: p50 %.1f ms (%d keys) vs %.1f ms (20 keys)", Load.percentileMillis(bigLists, 50), keys.size(),
                Load.percentileMillis(pageLists, 50)));
        return lists;
    }

    /** Sorted durations (ns) of {@code n} first-page lists of the organization; each answer is checked to hold {@code page} keys. */
    private long[] listTimes(Fixture fixture, String orgId, java.util.function.Supplier<String> owner, int n, int page) {
        String url = fixture.baseUrl + "/realms/" + REALM + "/orgs/" + orgId + "/api-keys?first=0&max=20";
        long[] times = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            Http.Reply reply = Http.get(url, owner.get());
            times[i] = System.nanoTime() - t0;
            boolean good = reply.status() == 200 && reply.json().size() == page && reply.json().get(0).hasNonNull("lastUsedAt");
            if (!good || i == 0) {
                check("one organization: a list of " + orgId + " answers " + page + " keys with their last use", good,
                        reply.status() + " " + (reply.status() == 200 ? reply.json().size() + " keys" : reply.body()));
            }
        }
        Arrays.sort(times);
        return times;
    }

    /** Introspects every key once (fills the caches); answers {active, other}. */
    private long[] warmEveryKey(List<String> keys) {
        AtomicInteger next = new AtomicInteger();
        AtomicLong active = new AtomicLong();
        AtomicLong other = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < o.connections; t++) {
            Thread thread = new Thread(() -> {
                try (RawHttp http = new RawHttp(host, port)) {
                    for (int i; (i = next.getAndIncrement()) < keys.size(); ) {
                        try {
                            RawHttp.Response r = http.exchange(akiRequest(keys.get(i)));
                            (r.status() == 200 && r.body().contains("\"active\":true") ? active : other).incrementAndGet();
                        } catch (IOException e) {
                            other.incrementAndGet();
                            http.close();
                        }
                    }
                }
            }, "warm-" + t);
            thread.start();
            threads.add(thread);
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return new long[] {active.get(), other.get()};
    }

    private long heap(String when) {
        long used = probe.heapUsedAfterGc();
        say(String.format("  heap used after full GC, %s: %.1f MiB", when, mib(used)));
        return used;
    }

    // --- phase 3: SQL and cache activity of warm introspection --------------------------------

    private void sqlProof(Map<String, Load.Scenario> scenarios) {
        if (!o.smoke) {
            say("Restarting Keycloak with " + sqlLogOptions() + " for the SQL count");
            System.setProperty("keycloak.start.options", sqlLogOptions());
            server.restart();
            attach();
        }
        Map<String, Object> sql = new LinkedHashMap<>();
        sql.put("startOptions", sqlLogOptions());
        // Key uses are written by a timer every 60 s, off the request path: counted apart ("background …").
        int seconds = Math.min(o.seconds, 30);
        for (String name : List.of("AKI", "AKF", "KI", "R0")) {
            Load.Scenario s = name.equals("AKF") ? forged : scenarios.get(name);
            Load.run(s, host, port, o.connections, Math.min(o.warmupSeconds, 10) * 1000L, 500, probe::cpuTicks);
            sleep(500);
            Map<String, Double> metricsBefore = probe.metrics("vendor_statistics", "vendor_cache");
            long from = size(server.log());
            Load.Run r = Load.run(s, host, port, o.connections, 0, seconds * 1000L, probe::cpuTicks);
            sleep(1000); // let the console log catch up
            long to = size(server.log());
            Map<String, Double> metricsAfter = probe.metrics("vendor_statistics", "vendor_cache");
            Probe.SqlCount count = Probe.sqlStatements(server.log(), from, to);
            long requests = r.ok() + r.errors() + r.warmupErrors() + o.connections; // requests in flight at the edges
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("requests", r.ok() + r.errors());
            m.put("sqlStatements", count.statements());
            m.put("sqlByKind", count.byKind());
            m.put("sqlStatementsOtherThanEventStore", count.excluding(EVENT_STORE));
            Map<String, Double> cache = cacheActivity(Probe.delta(metricsBefore, metricsAfter));
            m.put("cacheActivity", cache.isEmpty() ? "metrics not available" : cache);
            sql.put(name, m);
            say(String.format("  %s warm, %d requests: %d SQL statements %s", name, r.ok() + r.errors(), count.statements(), count.byKind()));
            if (name.equals("AKF")) {
                check("AKF: a made-up key (valid CRC) costs no SQL besides the event store", count.excluding(EVENT_STORE) == 0 && r.ok() > 0,
                        count + " for " + (r.ok() + r.errors()) + " requests");
            }
            if (name.equals("AKI")) {
                check("AKI warm: no SQL on request threads besides the event store", count.excluding(EVENT_STORE) == 0 && r.ok() > 0,
                        count + " for " + (r.ok() + r.errors()) + " requests (≤ " + requests + " with those in flight)");
                if (!cache.isEmpty()) {
                    double removals = cache.entrySet().stream()
                            .filter(e -> e.getKey().contains("evictions") || e.getKey().contains("remove_hits") || e.getKey().contains("misses"))
                            .filter(e -> e.getKey().contains("\"users\"") || e.getKey().contains("\"realms\""))
                            .mapToDouble(Map.Entry::getValue).sum();
                    check("AKI warm: no user/realm cache eviction, removal or miss", removals == 0, cache.toString());
                }
            }
        }
        report.put("sql", sql);
    }

    /** The non-zero changes of the Infinispan statistics of the caches the key path reads (and the invalidation channel). */
    private static Map<String, Double> cacheActivity(Map<String, Double> delta) {
        Map<String, Double> m = new LinkedHashMap<>();
        delta.forEach((k, v) -> {
            boolean cache = k.contains("cache=\"users\"") || k.contains("cache=\"realms\"") || k.contains("cache=\"work\"")
                    || k.contains("cache=\"authorization\"");
            boolean counter = k.contains("evictions") || k.contains("remove") || k.contains("misses") || k.contains("stores")
                    || k.contains("hits") || k.contains("invalidations");
            if (cache && counter && !k.contains("_seconds") && v != 0) {
                java.util.regex.Matcher c = java.util.regex.Pattern.compile("cache=\"([^\"]+)\"").matcher(k);
                String name = k.replace("vendor_statistics_", "");
                name = name.contains("{") ? name.substring(0, name.indexOf('{')) : name;
                m.merge((c.find() ? c.group(1) : "?") + "." + name, v, Double::sum);
            }
        });
        return m;
    }

    private static String sqlLogOptions() {
        return "--log-level=INFO,org.hibernate.SQL:debug";
    }

    // --- profiling --------------------------------------------------------------------------

    private void profile(List<Load.Scenario> list, String phase) {
        Path dir = o.out.resolve("jfr");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        for (Load.Scenario s : list) {
            String name = s.name().replaceAll("[^A-Za-z0-9]", "_");
            Path file = dir.resolve(name + ".jfr");
            probe.jfrStart(name, file);
            Load.Run r = Load.run(s, host, port, o.connections, 1000, o.seconds * 1000L, probe::cpuTicks);
            probe.jfrStop(name);
            say(String.format("  JFR %s (%s phase, %.0f req/s while recording): %s", s.name(), phase, r.rps(), file));
            try {
                String summary = JfrSummary.summarize(file, 25, List.of("ai.intellia.", "org.keycloak."));
                Files.writeString(dir.resolve(name + ".txt"), summary);
            } catch (IOException | RuntimeException e) {
                say("  could not summarize " + file + ": " + e);
            }
        }
    }

    // --- outputs ------------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private void writeOutputs() throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        json.writeValue(o.out.resolve("results.json").toFile(), report);
        String md = Markdown.render(report);
        Files.writeString(o.out.resolve("results.md"), md, StandardCharsets.UTF_8);
        System.out.println();
        System.out.println(md);

        if (report.get("ratios") == null || report.get("scale") == null) {
            return; // a partial run (--phases): no chart
        }
        List<Chart.Bar> bars = new ArrayList<>();
        ((Map<String, Object>) report.get("ratios")).forEach((k, v) -> {
            Map<String, Object> r = (Map<String, Object>) v;
            bars.add(new Chart.Bar(k, (double) r.get("value"), (double) r.get("target")));
        });
        Map<String, Object> scale = (Map<String, Object>) report.get("scale");
        Map<String, Object> sr = (Map<String, Object>) scale.get("AKI@N/AKI@1");
        bars.add(new Chart.Bar("AKI@" + compact((int) scale.get("keys")) + "/AKI@1", (double) sr.get("value"), (double) sr.get("target")));
        Map<String, Object> machine = (Map<String, Object>) report.get("machine");
        List<String> subtitle = List.of(
                String.format("Keycloak 26.7.3 + Intellia providers; %s; closed loop, %d connections, median of %d interleaved rounds × %d s",
                        o.smoke ? "SMOKE RUN (not a measurement)" : "full run", o.connections, o.rounds, o.seconds),
                String.format("%s CPUs, %s GiB, Java %s; %s", machine.get("nproc"), machine.get("memTotalGiB"),
                        System.getProperty("java.version"),
                        otherKeycloaks.isEmpty() ? "machine quiet (no other Keycloak running)" : "other Keycloak processes were running (noisy)"));
        Path png = o.out.resolve("bench-ratios.png");
        try {
            Chart.write(png, "Intellia API keys vs Keycloak's own endpoints (ratios of req/s)", subtitle, bars);
            say("Chart: " + png);
            if (o.docs != null) {
                Files.createDirectories(o.docs.getParent());
                Files.copy(png, o.docs, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                say("Chart copied to " + o.docs);
            }
        } catch (Throwable e) { // e.g. no fonts on a minimal machine: the numbers matter more than the picture
            say("Could not draw the chart: " + e);
        }
        say("Results: " + o.out.resolve("results.md") + ", " + o.out.resolve("results.json"));
    }

    private static String compact(int n) {
        return n >= 1000 && n % 1000 == 0 ? (n / 1000) + "k" : Integer.toString(n);
    }

    private Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        int cpus = Runtime.getRuntime().availableProcessors();
        long memKb = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    memKb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException ignored) {
            // unknown
        }
        String javaVersion;
        try {
            Process p = new ProcessBuilder("java", "-version").redirectErrorStream(true).start();
            javaVersion = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor();
        } catch (IOException | InterruptedException e) {
            javaVersion = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
        }
        m.put("nproc", cpus);
        m.put("memTotalGiB", round1(memKb / 1024.0 / 1024.0));
        m.put("javaVersion", javaVersion);
        m.put("summary", String.format("%d CPUs, %.0f GiB, %s", cpus, memKb / 1024.0 / 1024.0,
                javaVersion.lines().findFirst().orElse("java ?")));
        return m;
    }

    private void noteOtherKeycloaks(String when) {
        List<String> others = Probe.otherKeycloakProcesses();
        if (!others.isEmpty()) {
            say("Note (" + when + "): other Keycloak processes on this machine: " + others.size());
        }
        others.forEach(p -> otherKeycloaks.add(when + ": " + p));
    }

    private void check(String what, boolean ok, String detail) {
        String line = (ok ? "PASS " : "FAIL ") + what + " — " + detail;
        checks.add(line);
        if (!ok) {
            failures.add(line);
        }
    }

    private void checkRun(String what, Load.Run r) {
        if (r.ok() == 0 || r.errors() + r.warmupErrors() > 0) {
            check(what, false, r.ok() + " good, " + (r.errors() + r.warmupErrors()) + " errors, first: " + r.firstError());
        }
    }

    // --- small helpers ------------------------------------------------------------------------

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static double median(double[] sorted) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static double mib(long bytes) {
        return round1(bytes / 1024.0 / 1024.0);
    }

    private static double secondsSince(long nanoTime) {
        return (System.nanoTime() - nanoTime) / 1e9;
    }

    private static void say(String line) {
        System.out.println("[bench " + java.time.LocalTime.now().withNano(0) + "] " + line);
        System.out.flush();
    }

    // --- options ------------------------------------------------------------------------------

    static final class Options {
        boolean smoke;
        int rounds = 5;
        int seconds = 10;
        int warmupSeconds = 5;
        int connections = 8;
        int keys = 100_000;
        int orgs = 1000;
        int scaleRounds = 3;
        int setupParallel = 6;
        boolean jfr;
        Set<String> phases = Set.of("main", "scale", "org", "sql", "postgres");
        int orgKeys = 10_000;
        int orgBlock = 1000;
        int orgBudgetSeconds = 1200;
        double orgWritesPerSecond = 5;
        /** Only these main-phase scenarios (null: all). */
        Set<String> scenarios;
        Path out = Path.of("bench/target/results");
        Path docs;
        String command = "bench/run.sh";

        static Options parse(String[] args) {
            Options o = new Options();
            List<String> a = Arrays.asList(args);
            if (a.contains("--smoke")) {
                o.smoke = true;
                o.rounds = 1;
                o.seconds = 1;
                o.warmupSeconds = 0; // each run still has its 1 s unmeasured start
                o.keys = 100;
                o.orgs = 1;
                o.scaleRounds = 1;
                o.orgKeys = 60;
                o.orgBlock = 20;
                o.orgBudgetSeconds = 120;
            }
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--smoke" -> {
                    }
                    case "--rounds" -> o.rounds = Integer.parseInt(args[++i]);
                    case "--seconds" -> o.seconds = Integer.parseInt(args[++i]);
                    case "--warmup" -> o.warmupSeconds = Integer.parseInt(args[++i]);
                    case "--connections" -> o.connections = Integer.parseInt(args[++i]);
                    case "--keys" -> o.keys = Integer.parseInt(args[++i]);
                    case "--orgs" -> o.orgs = Integer.parseInt(args[++i]);
                    case "--scale-rounds" -> o.scaleRounds = Integer.parseInt(args[++i]);
                    case "--setup-parallel" -> o.setupParallel = Integer.parseInt(args[++i]);
                    case "--jfr" -> o.jfr = true;
                    case "--phases" -> o.phases = Set.of(args[++i].split(","));
                    case "--scenarios" -> o.scenarios = Set.of(args[++i].split(","));
                    case "--org-keys" -> o.orgKeys = Integer.parseInt(args[++i]);
                    case "--org-block" -> o.orgBlock = Integer.parseInt(args[++i]);
                    case "--org-budget" -> o.orgBudgetSeconds = Integer.parseInt(args[++i]);
                    case "--org-writes" -> o.orgWritesPerSecond = Double.parseDouble(args[++i]);
                    case "--out" -> o.out = Path.of(args[++i]);
                    case "--docs-chart" -> o.docs = Path.of(args[++i]);
                    case "--command" -> o.command = args[++i];
                    default -> throw new IllegalArgumentException("unknown option " + arg
                            + " (options: --smoke --rounds N --seconds N --warmup N --connections N --keys N --orgs N"
                            + " --scale-rounds N --setup-parallel N --jfr --phases main,scale,org,sql,postgres --scenarios AKI,AKG,… --org-keys N --org-block N --org-budget S --org-writes R --out DIR --docs-chart FILE)");
                }
            }
            if (!a.contains("--orgs") && a.contains("--keys")) {
                o.orgs = Math.max(1, Math.min(1000, o.keys / 100)); // 100 keys per organization, like 100,000 in 1,000
            }
            if (o.orgs > o.keys) {
                o.orgs = o.keys;
            }
            return o;
        }

        Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rounds", rounds);
            m.put("secondsPerRun", seconds);
            m.put("warmupSeconds", warmupSeconds);
            m.put("connections", connections);
            m.put("keys", keys);
            m.put("organizations", orgs);
            m.put("scaleRounds", scaleRounds);
            m.put("setupParallel", setupParallel);
            m.put("jfr", jfr);
            m.put("phases", new TreeSet<>(phases));
            m.put("orgKeys", orgKeys);
            m.put("orgBlock", orgBlock);
            m.put("orgBudgetSeconds", orgBudgetSeconds);
            m.put("orgWritesPerSecond", orgWritesPerSecond);
            if (scenarios != null) {
                m.put("scenarios", new TreeSet<>(scenarios));
            }
            return m;
        }
    }
}
