package dev.sluice.pgwire.internal;

import static java.util.Objects.requireNonNull;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one connection's tasks one at a time, in submission order, on a shared pool: an idle
 * connection holds no thread, and each task sees everything the previous one did (the queue's lock
 * orders them). {@code backlogListener} hears {@code true} when more than {@code highBacklog} tasks
 * wait and {@code false} once the queue is empty again, so the channel can stop reading from a client
 * that sends faster than its session executes. Thread-safe.
 */
final class SerialExecutor implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);

    /** Told whether the backlog is high; called with no lock held. */
    interface BacklogListener {
        void backlogHigh(boolean high);
    }

    private final Executor pool;
    private final int highBacklog;
    private final BacklogListener backlogListener;
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private boolean running;
    private boolean backlogHigh;
    private boolean shutdown;

    SerialExecutor(Executor pool, int highBacklog, BacklogListener backlogListener) {
        this.pool = requireNonNull(pool, "pool is null");
        this.highBacklog = highBacklog;
        this.backlogListener = requireNonNull(backlogListener, "backlogListener is null");
    }

    @Override
    public void execute(Runnable task) {
        requireNonNull(task, "task is null");
        boolean start;
        boolean becameHigh = false;
        synchronized (tasks) {
            if (shutdown) {
                throw new RejectedExecutionException("connection closed");
            }
            tasks.add(task);
            start = !running;
            running = true;
            if (!backlogHigh && tasks.size() > highBacklog) {
                backlogHigh = true;
                becameHigh = true;
            }
        }
        if (becameHigh) {
            backlogListener.backlogHigh(true);
        }
        if (start) {
            try {
                pool.execute(this::drain);
            } catch (RejectedExecutionException e) {
                synchronized (tasks) {
                    running = false;
                    tasks.clear();
                }
                throw e;
            }
        }
    }

    /** Accepts no more tasks; those already queued still run. */
    void shutdown() {
        synchronized (tasks) {
            shutdown = true;
        }
    }

    private void drain() {
        while (true) {
            Runnable task;
            boolean becameLow = false;
            synchronized (tasks) {
                task = tasks.poll();
                if (task == null) {
                    running = false;
                    if (backlogHigh) {
                        backlogHigh = false;
                        becameLow = true;
                    }
                }
            }
            if (becameLow) {
                backlogListener.backlogHigh(false);
            }
            if (task == null) {
                return;
            }
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                LOG.error("pgwire session task failed", e);
            }
        }
    }
}
