package dev.sluice.server.session;

import dev.sluice.common.error.ErrorCode;
import dev.sluice.common.error.SluiceException;

/**
 * A session's transaction, as a state machine.
 *
 * <pre>
 * from \ to       IDLE   STARTED  READING  WRITING  FAILED
 * IDLE             -      BEGIN     -        -        -
 * STARTED        COMMIT     -     SELECT   write    error
 * READING        COMMIT     -       -        -      error
 * WRITING        COMMIT     -       -        -      error
 * FAILED        ROLLBACK    -       -        -        -
 * </pre>
 *
 * Like Materialize, an explicit transaction is either read-only or write-only: its first statement
 * decides. Statements outside an explicit transaction run in their own implicit transaction and
 * never change this state.
 */
public enum TransactionState {
    IDLE,
    STARTED,
    READING,
    WRITING,
    FAILED;

    /** Returns {@code to} if the edge is legal; throws naming both states otherwise. */
    public TransactionState transition(TransactionState to) {
        boolean legal = switch (this) {
            case IDLE -> to == STARTED;
            case STARTED -> to == IDLE || to == READING || to == WRITING || to == FAILED;
            case READING, WRITING -> to == IDLE || to == FAILED;
            case FAILED -> to == IDLE;
        };
        if (!legal) {
            throw new SluiceException(ErrorCode.INTERNAL_ERROR, "internal error: illegal transaction transition " + this + " -> " + to);
        }
        return to;
    }

    public boolean inExplicitTransaction() {
        return this != IDLE;
    }
}
