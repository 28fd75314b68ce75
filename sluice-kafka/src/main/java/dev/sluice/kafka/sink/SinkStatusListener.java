package dev.sluice.kafka.sink;

import java.util.List;
import java.util.Optional;

/** Receives a sink's status changes ({@code starting}, {@code running}, {@code stalled}, {@code dropped}). */
@FunctionalInterface
public interface SinkStatusListener {
    void status(String sinkId, String status, Optional<String> error, List<String> hints);
}
