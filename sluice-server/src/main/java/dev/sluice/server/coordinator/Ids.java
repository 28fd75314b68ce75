package dev.sluice.server.coordinator;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Generation of the environment id (the REGION ID of default Kafka names). */
final class Ids {
    private Ids() {
    }

    /** A new environment id: {@code sluice-} and 12 random hex digits; generated once per data directory. */
    static String newEnvironmentId(SecureRandom random) {
        byte[] bytes = new byte[6];
        random.nextBytes(bytes);
        return "sluice-" + HexFormat.of().formatHex(bytes);
    }
}
