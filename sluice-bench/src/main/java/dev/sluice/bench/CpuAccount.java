package dev.sluice.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Where the CPU went during one phase of the benchmark: per group of this JVM's threads (by their Linux names, which
 * the JVM sets from the Java names cut to 15 characters: the sink's writer, its input reader, the producers' network
 * threads, GC, JIT, …), and for the child processes (the broker's JVM), the seconds they ran and the seconds they were
 * ready to run but waited for a core (from {@code /proc/.../schedstat}); then the whole machine's busy share (from
 * {@code /proc/stat}, so other processes' load shows too), next to the window's wall time. Sampled every
 * {@link #PERIOD} on its own thread (the first sample at or after a window's start opens it), so that a window can start at a moment known only afterwards (the first
 * message's create time) and threads that ended meanwhile still count. With two cores shared by the broker and the
 * sink, it says whether a thread is the bottleneck (running, or waiting for a core, most of the wall time). Linux
 * only; elsewhere the report says so.
 */
final class CpuAccount implements AutoCloseable {
    /** Often enough to place a window's start; seldom enough that the sampling itself costs little CPU. */
    private static final Duration PERIOD = Duration.ofMillis(200);
    /** Task names by {@code /proc} path: read once per task. */
    private static final Map<Path, String> NAMES = new java.util.concurrent.ConcurrentHashMap<>();

    /** Nanoseconds a task ran and waited runnable, as {@code /proc/.../schedstat} counts them. */
    private record Use(String name, long ran, long waited) {
    }

    /** One sample: wall clock, use per task of this JVM, summed use of the child processes, machine jiffies. */
    private record Sample(long millis, Map<String, Use> tasks, Use children, long[] machine) {
    }

    private final Function<String, String> group;
    private final List<Sample> samples = new ArrayList<>();
    private final Thread sampler;
    private volatile boolean closed;

    private CpuAccount(Function<String, String> group) {
        this.group = group;
        record(sample());
        this.sampler = new Thread(this::sampleUntilClosed, "cpu-account");
        this.sampler.setDaemon(true);
        this.sampler.start();
    }

    /** Starts sampling now; {@code group} maps a thread's Linux name to its group in the report. Caller closes. */
    static CpuAccount start(Function<String, String> group) {
        return new CpuAccount(group);
    }

    private void sampleUntilClosed() {
        while (!closed) {
            try {
                Thread.sleep(PERIOD.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            record(sample());
        }
    }

    private synchronized void record(Sample sample) {
        samples.add(sample);
    }

    private static Sample sample() {
        Map<String, Use> tasks = tasks(ProcessHandle.current().pid());
        long ran = 0;
        long waited = 0;
        for (long child : ProcessHandle.current().descendants().mapToLong(ProcessHandle::pid).toArray()) {
            for (Use use : tasks(child).values()) {
                ran += use.ran();
                waited += use.waited();
            }
        }
        return new Sample(System.currentTimeMillis(), tasks, new Use("children", ran, waited), machineTicks());
    }

    /** Use per task id of process {@code pid}; empty where {@code /proc} cannot be read. */
    private static Map<String, Use> tasks(long pid) {
        Map<String, Use> tasks = new HashMap<>();
        try (var entries = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) entries::iterator) {
                try {
                    String[] schedstat = Files.readString(task.resolve("schedstat")).trim().split("\\s+");
                    String name = NAMES.computeIfAbsent(task, CpuAccount::name);
                    tasks.put(task.getFileName().toString(), new Use(name, Long.parseLong(schedstat[0]), Long.parseLong(schedstat[1])));
                } catch (IOException | RuntimeException ended) {
                    // The task ended meanwhile.
                }
            }
        } catch (IOException | RuntimeException e) {
            return tasks;
        }
        return tasks;
    }

    private static String name(Path task) {
        try {
            return Files.readString(task.resolve("comm")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    /**
     * One line for the window from the first sample at or after {@code fromMillis} (wall clock) until now: wall seconds,
     * then per group "ran/waited" seconds, the broker's, and the machine's busy share of its cores.
     */
    String report(long fromMillis) {
        Sample end = sample();
        List<Sample> taken;
        synchronized (this) {
            taken = new ArrayList<>(samples);
        }
        Sample start = taken.stream().filter(sample -> sample.millis() >= fromMillis).findFirst().orElse(end);
        if (end.tasks().isEmpty()) {
            return String.format(Locale.ROOT, "wall %.2f s; CPU use unavailable (no /proc)", (end.millis() - start.millis()) / 1e3);
        }
        // A task's last sample counts for it when it ended before now.
        Map<String, Use> last = new HashMap<>();
        for (Sample sample : taken) {
            if (sample.millis() >= start.millis()) {
                last.putAll(sample.tasks());
            }
        }
        last.putAll(end.tasks());
        Map<String, long[]> byGroup = new LinkedHashMap<>();
        last.forEach((id, use) -> {
            Use before = start.tasks().get(id);
            long[] sums = byGroup.computeIfAbsent(group.apply(use.name()), ignored -> new long[2]);
            sums[0] += use.ran() - (before == null ? 0 : before.ran());
            sums[1] += use.waited() - (before == null ? 0 : before.waited());
        });
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "wall %.2f s; ran/waited for a core, s:", (end.millis() - start.millis()) / 1e3));
        byGroup.entrySet().stream().sorted((left, right) -> Long.compare(right.getValue()[0], left.getValue()[0]))
                .forEach(entry -> line.append(String.format(Locale.ROOT, " %s %.2f/%.2f,", entry.getKey(), entry.getValue()[0] / 1e9,
                        entry.getValue()[1] / 1e9)));
        line.append(String.format(Locale.ROOT, " broker JVM %.2f/%.2f", (end.children().ran() - start.children().ran()) / 1e9,
                (end.children().waited() - start.children().waited()) / 1e9));
        if (end.machine().length == 2 && start.machine().length == 2 && end.machine()[1] > start.machine()[1]) {
            line.append(String.format(Locale.ROOT, "; machine busy %.0f%% of %d cores",
                    100.0 * (end.machine()[0] - start.machine()[0]) / (end.machine()[1] - start.machine()[1]), Runtime.getRuntime().availableProcessors()));
        }
        return line.toString();
    }

    @Override
    public void close() {
        closed = true;
        sampler.interrupt();
    }

    /** Busy and total jiffies of all cores, or an empty array where {@code /proc/stat} cannot be read. */
    private static long[] machineTicks() {
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            // user nice system idle iowait irq softirq steal; guest time is already counted in user.
            for (int i = 1; i <= 8 && i < fields.length; i++) {
                total += Long.parseLong(fields[i]);
            }
            long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[0];
        }
    }
}
