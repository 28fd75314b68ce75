package dev.sluice.server.http;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Supplier;

/**
 * Gauges and counters exposed on {@code /metrics} in the Prometheus text format (0.0.4).
 * Thread-safe.
 */
public final class MetricsRegistry {
    /** A family of samples: name, help, type and a supplier of labelled values. */
    private record Family(String help, String type, Supplier<Map<String, Double>> samples) {
    }

    private final Map<String, Family> families = new ConcurrentSkipListMap<>();

    public MetricsRegistry() {
        gauge("process_start_time_seconds", "Start time of the process since the epoch, in seconds.",
                () -> Map.of("", ManagementFactory.getRuntimeMXBean().getStartTime() / 1000.0));
        gauge("jvm_memory_used_bytes", "Used bytes of a JVM memory area.", () -> {
            MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
            return Map.of("area=\"heap\"", (double) heap.getUsed(), "area=\"nonheap\"", (double) nonHeap.getUsed());
        });
        gauge("jvm_threads_current", "Current thread count of the JVM.", () -> Map.of("", (double) ManagementFactory.getThreadMXBean().getThreadCount()));
    }

    /** Registers a gauge family; keys of the map are label sets like {@code sink_id="u3"} (empty for none). */
    public void gauge(String name, String help, Supplier<Map<String, Double>> samples) {
        families.put(name, new Family(help, "gauge", samples));
    }

    public void counter(String name, String help, Supplier<Map<String, Double>> samples) {
        families.put(name, new Family(help, "counter", samples));
    }

    /** The exposition text. */
    public String render() {
        StringBuilder text = new StringBuilder();
        families.forEach((name, family) -> {
            text.append("# HELP ").append(name).append(' ').append(family.help().replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
            text.append("# TYPE ").append(name).append(' ').append(family.type()).append('\n');
            family.samples().get().forEach((labels, value) -> {
                text.append(name);
                if (!labels.isEmpty()) {
                    text.append('{').append(labels).append('}');
                }
                text.append(' ').append(format(value)).append('\n');
            });
        });
        return text.toString();
    }

    /** Escapes a label value per the exposition format. */
    public static String label(String name, String value) {
        return name + "=\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    private static String format(double value) {
        if (value == Math.rint(value) && !Double.isInfinite(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }
}
