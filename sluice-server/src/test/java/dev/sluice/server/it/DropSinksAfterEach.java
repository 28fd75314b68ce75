package dev.sluice.server.it;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Drops every sink of the shared server after each test, so that sinks of finished tests (some
 * deliberately stalled and retrying) do not keep committing in the background of later tests on
 * the 2-core CI machine. Topics and progress records stay, as DROP SINK leaves them.
 */
final class DropSinksAfterEach implements AfterEachCallback {
    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try (Connection connection = SinkTestKit.server().connect(); Statement statement = connection.createStatement()) {
            List<String> sinks = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("SELECT name FROM mz_catalog.mz_sinks")) {
                while (rows.next()) {
                    sinks.add(rows.getString(1));
                }
            }
            for (String sink : sinks) {
                statement.execute("DROP SINK IF EXISTS " + sink);
            }
        }
    }
}
