package dev.sluice.registry.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileRecordLogTest {
    @TempDir
    Path directory;

    private List<String> reopen(Path file) throws IOException {
        List<String> records = new ArrayList<>();
        FileRecordLog.open(file, payload -> records.add(new String(payload, StandardCharsets.UTF_8))).close();
        return records;
    }

    private static void append(Path file, String... records) throws IOException {
        try (FileRecordLog log = FileRecordLog.open(file, payload -> {
        })) {
            for (String record : records) {
                log.append(record.getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void recordsReplayInTheOrderWritten() throws IOException {
        Path file = directory.resolve("log");
        append(file, "one", "two");
        append(file, "three", "");

        assertThat(reopen(file)).containsExactly("one", "two", "three", "");
    }

    @Test
    void aNewLogIsEmpty() throws IOException {
        assertThat(reopen(directory.resolve("log"))).isEmpty();
        assertThat(Files.size(directory.resolve("log"))).isZero();
    }

    @Test
    void aTornHeaderOrPayloadIsCutOff() throws IOException {
        Path file = directory.resolve("log");
        append(file, "kept");
        long intact = Files.size(file);
        Files.write(file, new byte[] {0, 0}, StandardOpenOption.APPEND);
        assertThat(reopen(file)).containsExactly("kept");
        assertThat(Files.size(file)).isEqualTo(intact);

        Files.write(file, new byte[] {0, 0, 0, 9, 1, 2, 3, 4, 'x'}, StandardOpenOption.APPEND);
        assertThat(reopen(file)).containsExactly("kept");
        assertThat(Files.size(file)).isEqualTo(intact);
    }

    @Test
    void aLengthBeyondTheFileIsTreatedAsTorn() throws IOException {
        Path file = directory.resolve("log");
        append(file, "kept");
        long intact = Files.size(file);
        Files.write(file, new byte[] {(byte) 0x7f, 0, 0, 0, 0, 0, 0, 0, 'y'}, StandardOpenOption.APPEND);

        assertThat(reopen(file)).containsExactly("kept");
        assertThat(Files.size(file)).isEqualTo(intact);
    }
}
