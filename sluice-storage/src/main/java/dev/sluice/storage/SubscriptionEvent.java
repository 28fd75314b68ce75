package dev.sluice.storage;

import dev.sluice.common.time.Update;
import java.util.List;

/** What a {@link Subscription} delivers. */
public sealed interface SubscriptionEvent {
    /** All updates of one timestamp. */
    record Updates(long time, List<Update> updates) implements SubscriptionEvent {
        public Updates {
            updates = List.copyOf(updates);
        }
    }

    /** Every update before {@code upper} has been delivered. */
    record Progress(long upper) implements SubscriptionEvent {
    }
}
