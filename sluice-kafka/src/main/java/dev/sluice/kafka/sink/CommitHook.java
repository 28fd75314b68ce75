package dev.sluice.kafka.sink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;

/**
 * Called by a sink's writer after the last message and the progress record of a transaction were
 * handed to the producer, right before {@code commitTransaction}. Only tests install one that does
 * anything, to make a crash land in exactly that moment.
 */
@FunctionalInterface
public interface CommitHook {
    /** The system property naming the trigger file of {@link #fromSystemProperties()}; set only by crash tests. */
    String PAUSE_PROPERTY = "sluice.sink.test.pauseBeforeCommit";

    CommitHook NONE = (sinkId, frontier, messages) -> {
    };

    void beforeCommit(String sinkId, long frontier, long messages) throws InterruptedException;

    /**
     * {@link #NONE} unless {@code -Dsluice.sink.test.pauseBeforeCommit=<file>} was given when the sink was created.
     * Then, whenever {@code <file>} exists at the commit of a transaction that carries data, the writer creates
     * {@code <file>.paused} (holding {@code <sink id> <frontier> <messages>}) and waits until {@code <file>} is gone
     * (at most five minutes) before it commits. A crash test creates the trigger, waits for the marker and SIGKILLs
     * the process: the kill lands between the last produce and the commit.
     */
    static CommitHook fromSystemProperties() {
        Optional<Path> trigger = Optional.ofNullable(System.getProperty(PAUSE_PROPERTY)).map(Path::of);
        if (trigger.isEmpty()) {
            return NONE;
        }
        Path file = trigger.get();
        Path marker = file.resolveSibling(file.getFileName() + ".paused");
        return (sinkId, frontier, messages) -> {
            if (messages == 0 || !Files.exists(file)) {
                return;
            }
            try {
                // Written aside and moved into place, so that whoever sees the marker sees all of it.
                Path written = marker.resolveSibling(marker.getFileName() + "." + sinkId);
                Files.writeString(written, sinkId + " " + frontier + " " + messages + "\n", StandardCharsets.UTF_8);
                Files.move(written, marker, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
                while (Files.exists(file) && System.nanoTime() - deadline < 0) {
                    Thread.sleep(20);
                }
                Files.deleteIfExists(marker);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }
}
