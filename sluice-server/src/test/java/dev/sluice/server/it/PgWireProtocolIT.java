package dev.sluice.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;

/**
 * The PostgreSQL v3 protocol on the wire, byte by byte, with a hand-rolled client: what psql and
 * drivers rely on beyond what pgJDBC shows (parameter statuses, error fields, transaction status,
 * SSLRequest, Terminate), and that a misbehaving client loses only its own connection.
 */
class PgWireProtocolIT {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = new TestServer("127.0.0.1:1");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A message from the server: its type byte and body. */
    record Message(char type, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** ErrorResponse / NoticeResponse fields by their code. */
        Map<Character, String> fields() {
            Map<Character, String> fields = new LinkedHashMap<>();
            int i = 0;
            while (i < body.length && body[i] != 0) {
                char code = (char) body[i++];
                int end = i;
                while (body[end] != 0) {
                    end++;
                }
                fields.put(code, new String(body, i, end - i, StandardCharsets.UTF_8));
                i = end + 1;
            }
            return fields;
        }
    }

    /** A minimal protocol client. */
    static final class RawClient implements AutoCloseable {
        final Socket socket;
        final DataInputStream in;
        final DataOutputStream out;

        RawClient(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(20_000);
            in = new DataInputStream(socket.getInputStream());
            // Buffered: each message leaves in one write, so a server that answers its first byte cannot cut the rest off.
            out = new DataOutputStream(new java.io.BufferedOutputStream(socket.getOutputStream()));
        }

        void sendUntyped(int code, byte[] payload) throws IOException {
            out.writeInt(8 + payload.length);
            out.writeInt(code);
            out.write(payload);
            out.flush();
        }

        void startup(Map<String, String> parameters) throws IOException {
            ByteArrayOutputStream payload = new ByteArrayOutputStream();
            for (Map.Entry<String, String> parameter : parameters.entrySet()) {
                payload.writeBytes(cstring(parameter.getKey()));
                payload.writeBytes(cstring(parameter.getValue()));
            }
            payload.write(0);
            sendUntyped(3 << 16, payload.toByteArray());
        }

        void send(char type, byte[] body) throws IOException {
            out.writeByte(type);
            out.writeInt(4 + body.length);
            out.write(body);
            out.flush();
        }

        void query(String sql) throws IOException {
            send('Q', cstring(sql));
        }

        Message read() throws IOException {
            char type = (char) in.readUnsignedByte();
            int length = in.readInt();
            byte[] body = new byte[length - 4];
            in.readFully(body);
            return new Message(type, body);
        }

        /** Reads up to and including ReadyForQuery. */
        List<Message> readUntilReady() throws IOException {
            List<Message> messages = new ArrayList<>();
            Message message;
            do {
                message = read();
                messages.add(message);
            } while (message.type() != 'Z');
            return messages;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    static byte[] cstring(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        byte[] result = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, result, 0, bytes.length);
        return result;
    }

    static RawClient connected() throws IOException {
        RawClient client = new RawClient(server.port());
        client.startup(Map.of("user", "materialize", "database", "materialize", "application_name", "raw"));
        List<Message> messages = client.readUntilReady();
        assertThat(messages.get(0).type()).as("AuthenticationOk first").isEqualTo('R');
        return client;
    }

    @Test
    void sslRequestIsAnsweredNoAndStartupReportsTheParametersClientsExpect() throws IOException {
        try (RawClient client = new RawClient(server.port())) {
            client.sendUntyped(80877103, new byte[0]);
            assertThat((char) client.in.readUnsignedByte()).isEqualTo('N');
            client.startup(Map.of("user", "anyone", "database", "materialize"));
            List<Message> messages = client.readUntilReady();
            assertThat(messages.get(0).type()).isEqualTo('R');
            assertThat(messages.get(0).body()).containsExactly(0, 0, 0, 0);
            Map<String, String> statuses = new LinkedHashMap<>();
            for (Message message : messages) {
                if (message.type() == 'S') {
                    String[] parts = message.text().split("\0");
                    statuses.put(parts[0], parts.length > 1 ? parts[1] : "");
                }
            }
            assertThat(statuses).containsEntry("client_encoding", "UTF8").containsEntry("server_encoding", "UTF8")
                    .containsEntry("standard_conforming_strings", "on").containsEntry("integer_datetimes", "on")
                    .containsEntry("DateStyle", "ISO, MDY").containsKeys("server_version", "TimeZone", "application_name");
            assertThat(messages).extracting(Message::type).contains('K');
            assertThat(messages.get(messages.size() - 1).body()).containsExactly('I');
        }
    }

    @Test
    void errorsCarrySqlStateMessageAndPositionAndTransactionStatusFollowsTheTransaction() throws IOException {
        try (RawClient client = connected()) {
            client.query("SELECT nope FROM nowhere");
            List<Message> messages = client.readUntilReady();
            Message error = messages.get(0);
            assertThat(error.type()).isEqualTo('E');
            assertThat(error.fields()).containsEntry('S', "ERROR").containsEntry('V', "ERROR").containsEntry('C', "42P01")
                    .containsKey('M').containsKey('P');
            assertThat(messages.get(messages.size() - 1).body()).containsExactly('I');

            client.query("BEGIN");
            assertThat(client.readUntilReady()).last().extracting(Message::body).isEqualTo(new byte[] {'T'});
            client.query("SELECT 1 / 0");
            List<Message> failed = client.readUntilReady();
            assertThat(failed.get(0).fields()).containsEntry('C', "22012");
            assertThat(failed.get(failed.size() - 1).body()).containsExactly('E');
            client.query("SELECT 1");
            List<Message> refused = client.readUntilReady();
            assertThat(refused.get(0).fields()).containsEntry('C', "25P02");
            client.query("ROLLBACK");
            List<Message> rolledBack = client.readUntilReady();
            assertThat(rolledBack.get(0).type()).isEqualTo('C');
            assertThat(rolledBack.get(0).text()).startsWith("ROLLBACK");
            assertThat(rolledBack.get(rolledBack.size() - 1).body()).containsExactly('I');
        }
    }

    @Test
    void simpleQueryWithSeveralStatementsAnswersEachAndStopsAtTheFirstError() throws IOException {
        try (RawClient client = connected()) {
            client.query("CREATE TABLE multi (a int); INSERT INTO multi VALUES (1), (2); SELECT a FROM multi ORDER BY a; SELECT 1/0; SELECT 2");
            List<Message> messages = client.readUntilReady();
            List<String> tags = new ArrayList<>();
            for (Message message : messages) {
                if (message.type() == 'C') {
                    tags.add(message.text().replace("\0", ""));
                }
            }
            assertThat(tags).containsExactly("CREATE TABLE", "INSERT 0 2", "SELECT 2");
            assertThat(messages).extracting(Message::type).contains('T', 'D', 'E');
            assertThat(messages.stream().filter(m -> m.type() == 'E').findFirst().orElseThrow().fields()).containsEntry('C', "22012");
            client.query("");
            assertThat(client.readUntilReady()).extracting(Message::type).containsExactly('I', 'Z');
        }
    }

    @Test
    void protocolGarbageClosesOnlyThatConnection() throws Exception {
        try (RawClient client = connected()) {
            // An unknown message type.
            client.send('!', new byte[] {1, 2, 3});
            Message error = client.read();
            assertThat(error.type()).isEqualTo('E');
            assertThat(error.fields()).containsEntry('S', "FATAL").containsEntry('C', "08P01");
            assertThat(readsToEnd(client)).isTrue();
        }
        try (RawClient client = connected()) {
            // A length that cannot be right.
            client.out.writeByte('Q');
            client.out.writeInt(2);
            client.out.flush();
            assertThat(readsToEnd(client)).isTrue();
        }
        try (RawClient client = new RawClient(server.port())) {
            // Not a startup packet at all.
            client.out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            client.out.flush();
            assertThat(readsToEnd(client)).isTrue();
        }
        try (RawClient client = connected()) {
            // Half a message, then the client goes away.
            client.out.writeByte('Q');
            client.out.writeInt(100);
            client.out.write("SELECT".getBytes(StandardCharsets.US_ASCII));
            client.out.flush();
        }
        try (RawClient client = connected()) {
            client.send('X', new byte[0]);
            assertThat(readsToEnd(client)).isTrue();
        }
        try (Connection connection = server.connect(); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT 40 + 2")) {
            assertThat(result.next()).isTrue();
            assertThat(result.getInt(1)).isEqualTo(42);
        }
    }

    /** True once the server has closed the connection (after any final messages). */
    private static boolean readsToEnd(RawClient client) throws IOException {
        try {
            while (true) {
                client.read();
            }
        } catch (EOFException | java.net.SocketException closed) {
            return true;
        }
    }

    @Test
    void cancelRequestStopsARunningQueryAndTheSessionStaysUsable() throws Exception {
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE wide (n int)");
            StringBuilder values = new StringBuilder("INSERT INTO wide VALUES (0)");
            for (int i = 1; i < 400; i++) {
                values.append(", (").append(i).append(')');
            }
            statement.execute(values.toString());
            statement.execute("CREATE TABLE big (n int)");
            statement.execute("INSERT INTO big SELECT a.n * 400 + b.n FROM wide a, wide b");
            // Scans check for cancellation row by row; this join streams the big side past the small ones.
            Statement slow = connection.createStatement();
            CompletableFuture<Throwable> running = CompletableFuture.supplyAsync(() -> {
                try {
                    slow.executeQuery("SELECT count(*) FROM big, wide, (SELECT n FROM wide WHERE n < 10) AS few WHERE big.n + wide.n + few.n = -1");
                    return null;
                } catch (Exception e) {
                    return e;
                }
            });
            Thread.sleep(2_000);
            // pgJDBC sends a CancelRequest on a new connection with the session's key.
            slow.cancel();
            Throwable outcome = running.get(60, TimeUnit.SECONDS);
            slow.close();
            assertThat(outcome).isInstanceOfSatisfying(PSQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("57014"));
            try (ResultSet result = statement.executeQuery("SELECT count(*) FROM wide")) {
                assertThat(result.next()).isTrue();
                assertThat(result.getInt(1)).isEqualTo(400);
            }
        }
    }

    @Test
    void binaryResultsAndParametersRoundTripTheCommonTypes() throws Exception {
        String url = server.jdbcUrl() + "&prepareThreshold=-1&binaryTransfer=true";
        try (Connection connection = java.sql.DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE binary_types (b boolean, s smallint, i integer, l bigint, r real, d double precision, "
                    + "n numeric(12,4), t text, by bytea, da date, ts timestamp, tz timestamptz, u uuid)");
            try (java.sql.PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO binary_types VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setBoolean(1, true);
                insert.setShort(2, (short) -7);
                insert.setInt(3, 123456);
                insert.setLong(4, -9_000_000_000L);
                insert.setFloat(5, 1.5f);
                insert.setDouble(6, -2.25);
                insert.setBigDecimal(7, new java.math.BigDecimal("-12345678.1234"));
                insert.setString(8, "héllo");
                insert.setBytes(9, new byte[] {0, 1, (byte) 0xff});
                insert.setDate(10, java.sql.Date.valueOf("2024-02-29"));
                insert.setTimestamp(11, java.sql.Timestamp.valueOf("2024-02-29 23:59:58"));
                insert.setObject(12, java.time.OffsetDateTime.parse("2024-02-29T23:59:58Z"));
                insert.setObject(13, java.util.UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
                assertThat(insert.executeUpdate()).isEqualTo(1);
            }
            try (java.sql.PreparedStatement select = connection.prepareStatement("SELECT * FROM binary_types WHERE i = ?")) {
                select.setInt(1, 123456);
                try (ResultSet result = select.executeQuery()) {
                    assertThat(result.next()).isTrue();
                    assertThat(result.getBoolean(1)).isTrue();
                    assertThat(result.getShort(2)).isEqualTo((short) -7);
                    assertThat(result.getInt(3)).isEqualTo(123456);
                    assertThat(result.getLong(4)).isEqualTo(-9_000_000_000L);
                    assertThat(result.getFloat(5)).isEqualTo(1.5f);
                    assertThat(result.getDouble(6)).isEqualTo(-2.25);
                    assertThat(result.getBigDecimal(7)).isEqualByComparingTo("-12345678.1234");
                    assertThat(result.getString(8)).isEqualTo("héllo");
                    assertThat(result.getBytes(9)).containsExactly(0, 1, 0xff);
                    assertThat(result.getDate(10)).isEqualTo(java.sql.Date.valueOf("2024-02-29"));
                    assertThat(result.getTimestamp(11)).isEqualTo(java.sql.Timestamp.valueOf("2024-02-29 23:59:58"));
                    assertThat(result.getObject(12, java.time.OffsetDateTime.class).toInstant())
                            .isEqualTo(java.time.Instant.parse("2024-02-29T23:59:58Z"));
                    assertThat(result.getObject(13)).isEqualTo(java.util.UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
                    assertThat(result.next()).isFalse();
                }
            }
        }
    }

    @Test
    void noticesReachTheClient() throws Exception {
        try (Connection connection = server.connect(); Statement statement = connection.createStatement()) {
            statement.execute("COMMIT");
            java.sql.SQLWarning warning = statement.getWarnings();
            assertThat((Object) warning).as("a warning").isNotNull();
            assertThat(warning.getMessage()).contains("there is no transaction in progress");
            assertThat(warning.getSQLState()).isEqualTo("25P01");
        }
    }
}
