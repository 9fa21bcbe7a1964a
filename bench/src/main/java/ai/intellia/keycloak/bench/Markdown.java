package ai.intellia.keycloak.bench;

import java.util.List;
import java.util.Map;

/** The report as Markdown tables (bench/target/results/results.md, pasted into BENCHMARKS.md). */
final class Markdown {

    private Markdown() {
    }

    @SuppressWarnings("unchecked")
    static String render(Map<String, Object> r) {
        StringBuilder s = new StringBuilder();
        Map<String, Object> machine = (Map<String, Object>) r.get("machine");
        Map<String, Object> options = (Map<String, Object>) r.get("options");
        s.append("## Results (").append(r.get("mode")).append(" run, ").append(r.get("startedAt")).append(", ")
                .append(r.get("minutes")).append(" min)\n\n");
        s.append("- Command: `").append(r.get("command")).append("`\n");
        s.append("- Machine: nproc ").append(machine.get("nproc")).append(", ").append(machine.get("memTotalGiB"))
                .append(" GiB; `").append(String.valueOf(machine.get("javaVersion")).replace("\n", " / ")).append("`\n");
        s.append("- Keycloak heap: `").append(r.get("keycloakHeap")).append("`\n");
        s.append("- Load: closed loop, ").append(options.get("connections")).append(" keep-alive connections, ")
                .append(options.get("rounds")).append(" interleaved rounds × ").append(options.get("secondsPerRun"))
                .append(" s per scenario (after ").append(options.get("warmupSeconds")).append(" s warm-up each)\n");
        List<String> others = (List<String>) r.get("otherKeycloakProcessesSeen");
        s.append("- Machine quiet: ").append(Boolean.TRUE.equals(r.get("quiet")) ? "yes (no other Keycloak process seen at any phase)"
                : "NO: " + others.size() + " sightings of other Keycloak processes").append("; load average before start ")
                .append(r.get("loadAverageBeforeStart")).append("\n\n");

        if (r.get("scenarios") != null) {
            s.append("| scenario | what | median req/s | p50 ms | p99 ms | errors | server CPU ms/req | requests |\n");
            s.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
            ((Map<String, Object>) r.get("scenarios")).forEach((name, v) -> row(s, name, (Map<String, Object>) v));
            s.append(RATIO_HEADER);
            ((Map<String, Object>) r.get("ratios")).forEach((name, v) -> ratio(s, name, (Map<String, Object>) v));
            cacheOps(s, (Map<String, Object>) r.get("scenarios"));
            Map<String, Object> whatIf = (Map<String, Object>) r.get("whatIfEventsNotStored");
            if (whatIf != null) {
                s.append("\nDiagnostic (not a result): one round with the realm not storing INTROSPECT_TOKEN events: ")
                        .append(whatIf).append("\n");
            }
        }

        Map<String, Object> scale = (Map<String, Object>) r.get("scale");
        if (scale != null) {
            Map<String, Object> heap = (Map<String, Object>) scale.get("heapUsedMiB");
            s.append("\n### Scale: ").append(scale.get("keys")).append(" keys in ").append(scale.get("organizations"))
                    .append(" organizations\n\n");
            s.append("- Setup through REST (").append(scale.get("setupParallelism")).append(" calls in parallel): organizations + Owners ")
                    .append(scale.get("setupSecondsOrganizations")).append(" s, keys ").append(scale.get("setupSecondsKeys"))
                    .append(" s (").append(scale.get("keysPerSecondCreated")).append(" keys/s), one introspection of every key ")
                    .append(scale.get("warmPassSeconds")).append(" s\n");
            s.append("- Heap used after full GC: ").append(heap.get("beforeSetup")).append(" MiB before, ")
                    .append(heap.get("afterOrganizations")).append(" MiB with the organizations, ").append(heap.get("afterKeysWarm"))
                    .append(" MiB with every key created and introspected, ").append(heap.get("afterScaleRounds"))
                    .append(" MiB after the scale rounds → **").append(scale.get("heapMiBPer10kKeys"))
                    .append(" MiB per 10,000 keys** (").append(scale.get("heapMiBPer10kKeysRightAfterSetup"))
                    .append(" MiB per 10,000 right after the setup, while H2 still holds the CLOBs it read; ")
                    .append(scale.get("heapMiBPer1kOrganizations")).append(" MiB per 1,000 organizations with their Owner)\n\n");
            s.append("| scenario | what | median req/s | p50 ms | p99 ms | errors | server CPU ms/req | requests |\n");
            s.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
            ((Map<String, Object>) scale.get("scenarios")).forEach((name, v) -> row(s, name, (Map<String, Object>) v));
            s.append(RATIO_HEADER);
            ratio(s, "AKI@N/AKI@1", (Map<String, Object>) scale.get("AKI@N/AKI@1"));
            ratio(s, "AKI@N/hot / AKI@1", (Map<String, Object>) scale.get("AKI@N/hot/AKI@1"));
            cacheOps(s, (Map<String, Object>) scale.get("scenarios"));
            Map<String, Object> growth = (Map<String, Object>) scale.get("heapGrowthByClass");
            if (growth != null) {
                s.append("\nLive heap growth by class while the keys were created and introspected (jcmd GC.class_histogram):\n\n");
                growth.forEach((k, v) -> s.append("- `").append(k).append("` ").append(v).append("\n"));
            }
        }

        Map<String, Object> org = (Map<String, Object>) r.get("oneOrganization");
        if (org != null) {
            s.append("\n### One organization: ").append(org.get("keysCreated")).append(" keys (of ").append(org.get("keysWanted"))
                    .append(" wanted, budget ").append(org.get("budgetSeconds")).append(" s)\n\n");
            s.append("| keys | seconds | keys/s | ms per key |\n| --- | ---: | ---: | ---: |\n");
            for (Map<String, Object> b : (List<Map<String, Object>>) org.get("creationByBlock")) {
                s.append("| ").append(b.get("keys")).append(" | ").append(b.get("seconds")).append(" | ").append(b.get("keysPerSecond"))
                        .append(" | ").append(b.get("msPerKey")).append(" |\n");
            }
            s.append("\nHeap: ").append(org.get("heapMiBPer10kKeys")).append(" MiB per 10,000 keys of one organization. Writes: ")
                    .append(org.get("writes")).append("\n\n");
            Map<String, Object> lists = (Map<String, Object>) org.get("lists");
            if (lists != null) {
                s.append("First page of 20 keys (last uses and counts stored for every key), ").append(lists.get("samples"))
                        .append(" sequential lists: p50 ").append(lists.get("orgN_p50ms")).append(" ms / p99 ").append(lists.get("orgN_p99ms"))
                        .append(" ms in the big organization, p50 ").append(lists.get("org20_p50ms")).append(" ms / p99 ")
                        .append(lists.get("org20_p99ms")).append(" ms in an organization of just 20 keys (ratio of p50s ")
                        .append(((Map<String, Object>) lists.get("listP50@orgN/listP50@org20")).get("value")).append(").\n\n");
            }
            s.append("| scenario | what | median req/s | p50 ms | p99 ms | errors | server CPU ms/req | requests |\n");
            s.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
            ((Map<String, Object>) org.get("scenarios")).forEach((name, v) -> row(s, name, (Map<String, Object>) v));
            s.append(RATIO_HEADER);
            ratio(s, "AKI@orgN/AKI@org1", (Map<String, Object>) org.get("AKI@orgN/AKI@org1"));
            for (String name : List.of("createTimeLastBlock/firstBlock", "p99UnderWrites/p99Idle")) {
                Map<String, Object> m = (Map<String, Object>) org.get(name);
                s.append("| ").append(name).append(" | ").append(m.get("value")).append(" | – | – | ").append(m.get("target"))
                        .append(" | ").append(Boolean.TRUE.equals(m.get("met")) ? "met" : "**missed**").append(" |\n");
            }
        }

        Map<String, Object> pg = (Map<String, Object>) r.get("postgres");
        if (pg != null) {
            s.append("\n### Main scenarios on PostgreSQL\n\n");
            s.append("| scenario | what | median req/s | p50 ms | p99 ms | errors | server CPU ms/req | requests |\n");
            s.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
            ((Map<String, Object>) pg.get("scenarios")).forEach((name, v) -> row(s, name, (Map<String, Object>) v));
            s.append(RATIO_HEADER);
            ((Map<String, Object>) pg.get("ratios")).forEach((name, v) -> ratio(s, name, (Map<String, Object>) v));
        }

        Map<String, Object> sql = (Map<String, Object>) r.get("sql");
        if (sql != null) {
            s.append("\n### SQL and cache activity of warm runs (`").append(sql.get("startOptions")).append("`)\n\n");
            s.append("| scenario | requests | SQL statements | by kind | other than the event store | cache activity (users/realms/work) |\n");
            s.append("| --- | ---: | ---: | --- | ---: | --- |\n");
            sql.forEach((name, v) -> {
                if (v instanceof Map<?, ?> m) {
                    s.append("| ").append(name).append(" | ").append(m.get("requests")).append(" | ").append(m.get("sqlStatements"))
                            .append(" | ").append(m.get("sqlByKind")).append(" | ").append(m.get("sqlStatementsOtherThanEventStore"))
                            .append(" | ").append(m.get("cacheActivity")).append(" |\n");
                }
            });
        }
        return s.toString();
    }

    @SuppressWarnings("unchecked")
    private static void cacheOps(StringBuilder s, Map<String, Object> scenarios) {
        s.append("\nInfinispan cache operations per request (users/realms/work caches; statistics of the management port):\n\n");
        s.append("| scenario | cache operations per request |\n| --- | --- |\n");
        scenarios.forEach((name, v) -> {
            Object ops = ((Map<String, Object>) v).get("cacheOpsPerRequest");
            s.append("| ").append(name).append(" | ").append(ops == null ? "n/a" : ops).append(" |\n");
        });
    }

    private static void row(StringBuilder s, String name, Map<String, Object> m) {
        s.append("| ").append(name).append(" | ").append(m.get("what")).append(" | ").append(m.get("medianRps"))
                .append(" | ").append(m.get("p50ms")).append(" | ").append(m.get("p99ms")).append(" | ").append(m.get("errors"))
                .append(" | ").append(m.get("serverCpuMsPerRequest")).append(" | ").append(m.get("requests")).append(" |\n");
    }

    private static final String RATIO_HEADER = "\n| ratio | value (medians) | median of per-round ratios | CPU ratio | target | |\n"
            + "| --- | ---: | ---: | ---: | ---: | --- |\n";

    private static void ratio(StringBuilder s, String name, Map<String, Object> m) {
        s.append("| ").append(name).append(" | ").append(m.get("value"))
                .append(" | ").append(m.getOrDefault("perRoundMedian", "–"))
                .append(" | ").append(m.getOrDefault("cpuRatio", "–"))
                .append(" | ≥ ").append(m.get("target")).append(" | ")
                .append(Boolean.TRUE.equals(m.get("met")) ? "met" : "**missed**").append(" |\n");
    }
}
