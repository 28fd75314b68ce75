package dev.sluice.server.it;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/** The messages one logger of the in-process server writes while this is open (log4j2, as the server logs). */
final class CapturedLog extends AbstractAppender implements AutoCloseable {
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final String logger;

    private CapturedLog(String logger) {
        super("captured-" + logger, null, null, true, Property.EMPTY_ARRAY);
        this.logger = logger;
    }

    /** Starts capturing what {@code logger} writes at WARN and above. */
    static CapturedLog of(Class<?> logger) {
        CapturedLog captured = new CapturedLog(logger.getName());
        captured.start();
        ((org.apache.logging.log4j.core.Logger) LogManager.getLogger(logger)).addAppender(captured);
        return captured;
    }

    @Override
    public void append(LogEvent event) {
        if (event.getLevel().isMoreSpecificThan(Level.WARN)) {
            messages.add(event.getMessage().getFormattedMessage());
        }
    }

    List<String> messages() {
        return List.copyOf(messages);
    }

    @Override
    public void close() {
        ((org.apache.logging.log4j.core.Logger) LogManager.getLogger(logger)).removeAppender(this);
        stop();
        ((LoggerContext) LogManager.getContext(false)).updateLoggers();
    }
}
