package dev.sluice.pgwire.internal;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A StartupMessage: protocol version, then name/value string pairs ended by an empty name.
 * Options named {@code _pq_.*} are protocol extensions, none of which the server knows.
 */
record StartupMessage(int majorVersion, int minorVersion, Map<String, String> parameters, List<String> protocolOptions) {
    static final int SSL_REQUEST = 80_877_103;
    static final int GSSENC_REQUEST = 80_877_104;
    static final int CANCEL_REQUEST = 80_877_102;

    StartupMessage {
        parameters = Map.copyOf(requireNonNull(parameters, "parameters is null"));
        protocolOptions = List.copyOf(requireNonNull(protocolOptions, "protocolOptions is null"));
    }

    /** Parses the payload after the length; 08P01 when it is malformed. */
    static StartupMessage parse(byte[] payload) {
        MessageReader reader = new MessageReader(payload);
        int version = reader.int32();
        Map<String, String> parameters = new LinkedHashMap<>();
        List<String> protocolOptions = new ArrayList<>();
        while (true) {
            String name = reader.string();
            if (name.isEmpty()) {
                break;
            }
            String value = reader.string();
            if (name.startsWith("_pq_.")) {
                protocolOptions.add(name);
            } else {
                parameters.put(name, value);
            }
        }
        if (reader.hasRemaining()) {
            throw MessageReader.violation("invalid startup packet layout: expected terminator as last byte");
        }
        return new StartupMessage(version >>> 16, version & 0xffff, parameters, protocolOptions);
    }
}
